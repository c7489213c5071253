package io.wickrlocal.store;

/** Optional filters of the block list; null means "any". Both match a case-insensitive substring. */
public record GuestBlockFilter(String username, String admin) {}

package io.wickrlocal.store;

/**
 * Optional filters of a bot listing; null means "any". Name filters match a case-insensitive
 * substring.
 */
public record BotFilter(String username, String displayName, Integer status, String groupId) {}

package io.wickrlocal.store;

/** One guest's activity in one billing period ("YYYY-MM", UTC): one row of a guest listing. */
public record GuestActivityRecord(String usernameHash, String username, String billingPeriod) {}

package io.wickrlocal.service;

import java.security.SecureRandom;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Random identifiers. IDs are drawn at random and checked against the store inside the
 * transaction that uses them, so several nodes can mint IDs without coordinating.
 */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int ATTEMPTS = 20;
    /** User ids have 10 digits: from this one, and fewer than this many of them. */
    private static final long FIRST_USER_ID = 1_000_000_000L;
    private static final long USER_ID_SPAN = 8_999_999_999L;

    private Ids() {}

    /** An 8-digit network id, 10000000 to 99999999. */
    static String networkId(Predicate<String> taken) {
        return unique(() -> Long.toString(10_000_000L + RANDOM.nextInt(90_000_000)), taken);
    }

    /** A 10-digit user id. */
    static long userId(Predicate<Long> taken) {
        return unique(() -> FIRST_USER_ID + (long) (RANDOM.nextDouble() * USER_ID_SPAN), taken);
    }

    /**
     * The first of {@code n} consecutive free 10-digit user ids. One range per batch keeps the store's check to one
     * short range read, which on PostgreSQL locks a page or two of the id index instead of one page an id (that
     * many page locks become a lock on the whole index, and every concurrent BatchCreateUser would conflict).
     *
     * @param anyTaken whether an id from the first argument to the second, both included, is in use
     */
    static long freeUserIdRange(int n, BiPredicate<Long, Long> anyTaken) {
        for (int i = 0; i < ATTEMPTS; i++) {
            long first = FIRST_USER_ID + (long) (RANDOM.nextDouble() * (USER_ID_SPAN - n));
            if (n == 0 || !anyTaken.test(first, first + n - 1)) {
                return first;
            }
        }
        throw new IllegalStateException("could not find " + n + " free identifiers after " + ATTEMPTS + " attempts");
    }

    static String groupId() {
        return random(ALNUM, 12);
    }

    static String inviteCode() {
        return random(CODE, 10);
    }

    static String token(int length) {
        return random(ALNUM, length);
    }

    static String deviceId() {
        return java.util.UUID.randomUUID().toString();
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    private static <T> T unique(java.util.function.Supplier<T> next, Predicate<T> taken) {
        for (int i = 0; i < ATTEMPTS; i++) {
            T candidate = next.get();
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("could not find a free identifier after " + ATTEMPTS + " attempts");
    }
}

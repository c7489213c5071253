package io.wickrlocal.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/** Classifies SQL failures, so callers know which ones are worth running again. */
final class SqlFailures {
    private SqlFailures() {}

    static StoreException wrap(SQLException e) {
        return new StoreException("store failure: " + e.getMessage(), e, isTransient(e));
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                String state = s.getSQLState();
                if ("23505".equals(state)) { // PostgreSQL unique_violation
                    return true;
                }
                String msg = String.valueOf(s.getMessage());
                if (msg.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || msg.contains("SQLITE_CONSTRAINT_UNIQUE")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when running the whole transaction again may succeed: the transient failures, and a
     * unique key taken by a transaction that committed concurrently (the next attempt sees its row).
     */
    static boolean isWorthRetrying(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StoreException s && s.isTransient()) {
                return true;
            }
            if (c instanceof SQLException s && isTransient(s)) {
                return true;
            }
        }
        return isUniqueViolation(t);
    }

    /**
     * True when a statement ran into the lock timeout or the statement timeout (or the idle-in-transaction
     * timeout ended the session): the call has waited the whole bound, and is not tried again.
     */
    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                String state = s.getSQLState();
                if ("55P03".equals(state) || "57014".equals(state) || "25P03".equals(state)) {
                    return true;
                }
            }
            if (c == c.getCause()) {
                break;
            }
        }
        return false;
    }

    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (e instanceof SQLTransientException) {
            return true;
        }
        // Not a lock or statement timeout ({@link #isTimeout}): that call has waited its whole bound already.
        if (state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08")
                || state.equals("57P01"))) {
            return true; // serialization failure, deadlock, connection lost, server shutting down
        }
        String msg = String.valueOf(e.getMessage());
        return msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED");
    }
}

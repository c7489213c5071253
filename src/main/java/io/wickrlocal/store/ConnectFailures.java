package io.wickrlocal.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Reads a failure to reach PostgreSQL: whether waiting may cure it, and a short fixed phrase for it. The
 * phrase names the kind of failure only, never a host, a user or a server's message, so that it can go
 * into answers that need no signature ({@code /_local/ready}) and into logs alike.
 */
final class ConnectFailures {
    private ConnectFailures() {}

    /**
     * True when the database is not accepting connections at the moment (refused, unreachable, timed out,
     * starting up, shutting down, in recovery, the connection lost): waiting for it may cure it.
     * False for what waiting does not cure (a wrong password, a missing database) and for other errors.
     */
    static boolean isUnreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P03") || state.equals("57P01")
                        || state.equals("57P02")) {
                    return true; // connection exception, cannot connect now, admin or crash shutdown
                }
            }
            if (c instanceof ConnectException || c instanceof SocketTimeoutException
                    || c instanceof NoRouteToHostException) {
                return true;
            }
            if (c == c.getCause()) {
                break;
            }
        }
        return false;
    }

    /** A short phrase for the failure, such as "connection refused"; see the class comment. */
    static String phrase(Throwable t) {
        String state = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
            if (c instanceof SocketTimeoutException) {
                return "connection timed out";
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host";
            }
            if (c instanceof java.sql.SQLTransientConnectionException && !(c.getCause() instanceof SQLException)) {
                return "no pooled connection was free within the pool's timeout";
            }
            if (state == null && c instanceof SQLException s && s.getSQLState() != null) {
                state = s.getSQLState();
                String message = String.valueOf(s.getMessage());
                switch (state) {
                    case "57P03" -> {
                        return message.contains("shutting down") ? "the database is shutting down"
                                : message.contains("recovery") ? "the database is in recovery"
                                : "the database is starting up";
                    }
                    case "57P01", "57P02" -> {
                        return "the database ended the connection (shutdown)";
                    }
                    case "53300" -> {
                        return "the database has too many connections";
                    }
                    case "3D000" -> {
                        return "the database does not exist";
                    }
                    default -> {
                        if (state.startsWith("28")) {
                            return "authentication failed";
                        }
                    }
                }
            }
            if (c == c.getCause()) {
                break;
            }
        }
        if (state != null && state.startsWith("08")) {
            return "connection failed";
        }
        return state == null ? "no answer" : "error SQLSTATE " + state;
    }
}

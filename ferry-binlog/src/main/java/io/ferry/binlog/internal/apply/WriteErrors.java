package io.ferry.binlog.internal.apply;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Which target write errors are worth retrying the whole transaction for. */
public final class WriteErrors {
    /**
     * Server error codes after which the same transaction can succeed: deadlock (1213), lock wait timeout (1205),
     * server shutting down (1053), network errors (1158-1161), connection killed (1927, MariaDB), and the client's
     * server-gone-away / lost-connection codes (2006, 2013).
     */
    private static final Set<Integer> RETRIABLE_CODES = Set.of(1213, 1205, 1053, 1158, 1159, 1160, 1161, 1927, 2006, 2013);

    /** Codes after which the connection is gone: gone away, lost, killed, server shutdown. */
    private static final Set<Integer> CONNECTION_LOST_CODES = Set.of(2006, 2013, 1927, 1053);

    private WriteErrors() {
    }

    /**
     * True when {@code error} or any of its causes is a deadlock, a lock wait timeout or a lost connection
     * (SQLSTATE class 08, or the JDBC transient/recoverable connection types).
     */
    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                if (RETRIABLE_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when the connection that raised {@code error} cannot be used any more and must be replaced. */
    public static boolean isConnectionLost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ((state != null && state.startsWith("08")) || CONNECTION_LOST_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }
}

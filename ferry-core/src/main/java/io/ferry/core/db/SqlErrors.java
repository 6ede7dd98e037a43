package io.ferry.core.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Classifies database errors in one place, so the copy and the binlog apply retry exactly the same things. */
public final class SqlErrors {
    /** ER_LOCK_WAIT_TIMEOUT: also what MariaDB reports for a NOWAIT locking read that meets a lock. */
    public static final int LOCK_WAIT_TIMEOUT = 1205;
    public static final int DEADLOCK = 1213;
    /** ER_LOCK_NOWAIT (MySQL 8): a NOWAIT locking read met a lock. */
    public static final int LOCK_NOWAIT = 3572;

    /**
     * Server error codes after which the same transaction can succeed: lock conflicts (1205, 1213, 3572), server
     * shutting down (1053), network errors (1158-1161), connection killed (1927, MariaDB), and the client's
     * server-gone-away / lost-connection codes (2006, 2013).
     */
    private static final Set<Integer> RETRIABLE_CODES =
            Set.of(LOCK_WAIT_TIMEOUT, DEADLOCK, LOCK_NOWAIT, 1053, 1158, 1159, 1160, 1161, 1927, 2006, 2013);
    /** Codes after which the connection is gone: gone away, lost, killed, server shutdown. */
    private static final Set<Integer> CONNECTION_LOST_CODES = Set.of(2006, 2013, 1927, 1053);

    private SqlErrors() {
    }

    /**
     * True when retrying the same transaction may succeed: lock conflicts, deadlocks, and lost or refused
     * connections (SQLSTATE class 08, or the JDBC transient/recoverable connection types). Walks the cause chain.
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

    /** True when a locking read failed because another transaction holds a conflicting row lock. */
    public static boolean isLockConflict(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                int code = e.getErrorCode();
                if (code == LOCK_WAIT_TIMEOUT || code == LOCK_NOWAIT || code == DEADLOCK) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first line of the deepest SQL message, for one-line error reports. */
    public static String describe(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? String.valueOf(error) : message.lines().findFirst().orElse(message);
    }
}

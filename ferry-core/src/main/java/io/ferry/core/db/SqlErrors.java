package io.ferry.core.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Classifies database errors in one place, so every component retries the same things. */
public final class SqlErrors {
    /** ER_LOCK_WAIT_TIMEOUT: also what MariaDB reports for a NOWAIT locking read that meets a lock. */
    public static final int LOCK_WAIT_TIMEOUT = 1205;
    public static final int DEADLOCK = 1213;
    /** ER_LOCK_NOWAIT (MySQL 8): a NOWAIT locking read met a lock. */
    public static final int LOCK_NOWAIT = 3572;

    private SqlErrors() {
    }

    /**
     * True when retrying the same transaction may succeed: lock conflicts, deadlocks, and lost or refused
     * connections. Walks the whole cause chain.
     */
    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException e) {
                int code = e.getErrorCode();
                if (code == LOCK_WAIT_TIMEOUT || code == DEADLOCK || code == LOCK_NOWAIT) {
                    return true;
                }
                String state = e.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001"))) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True when a locking read failed because another transaction holds a conflicting row lock. */
    public static boolean isLockConflict(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                int code = e.getErrorCode();
                if (code == LOCK_WAIT_TIMEOUT || code == LOCK_NOWAIT || code == DEADLOCK) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The first line of the deepest SQL message, for one-line error reports. */
    public static String describe(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message == null ? error.toString() : message.lines().findFirst().orElse(message);
    }
}

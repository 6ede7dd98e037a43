package io.ferry.copy.internal.rowcopy;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Target transactions of the row copy: statements run in order and commit together, or roll back together. A
 * failure is reported as the statement's own error: restoring autocommit or rolling back on a connection that was
 * lost fails too, and must not hide the lost connection (which the caller retries) behind "connection is closed".
 */
public final class Transactions {
    interface Step {
        void run() throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code write}, then {@code after}, in one transaction on {@code c}. */
    static void run(Connection c, Step write, Step after) throws SQLException {
        c.setAutoCommit(false);
        try {
            write.run();
            after.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            restoreAutoCommit(c, e);
            throw e;
        }
        c.setAutoCommit(true);
    }

    /** Puts {@code c} back in autocommit mode; a failure to do so is attached to {@code failure}. */
    private static void restoreAutoCommit(Connection c, Exception failure) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}

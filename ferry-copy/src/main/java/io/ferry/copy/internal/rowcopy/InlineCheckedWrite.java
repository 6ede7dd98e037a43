package io.ferry.copy.internal.rowcopy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes a batch and runs the inline verifier's check in one target transaction, so the check sees exactly it. */
final class InlineCheckedWrite {
    interface Check {
        void run() throws SQLException;
    }

    private InlineCheckedWrite() {
    }

    static void run(Connection target, Statement st, TargetBatch batch, Check check) throws SQLException {
        Transactions.run(target, () -> batch.write(st), check::run);
    }
}

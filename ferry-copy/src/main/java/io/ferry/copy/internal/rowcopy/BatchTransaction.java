package io.ferry.copy.internal.rowcopy;

import io.ferry.core.db.StatementComment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes a copy batch and its saved progress in one target transaction, in one round trip
 * ({@code START TRANSACTION; INSERT ...; <progress>; COMMIT}), so the saved progress is exactly the rows
 * committed. The server stops at the first failing statement; the transaction is then rolled back before the
 * error is thrown, so the pooled connection is never returned with a transaction open.
 */
final class BatchTransaction {
    private BatchTransaction() {
    }

    /**
     * Writes {@code batch} and then {@code stateStatement} (or nothing when {@code null}) in one transaction: one
     * packet when the batch is a single INSERT and there is a state statement, otherwise one statement at a time,
     * since joined statements could exceed the target's packet limit (and a load cannot share its packet).
     */
    static void write(Connection target, Statement st, TargetBatch batch, String stateStatement) throws SQLException {
        if (batch instanceof TargetBatch.Inserts inserts && inserts.single() && stateStatement != null) {
            write(st, inserts.statements().get(0), stateStatement);
            return;
        }
        Transactions.run(target, () -> batch.write(st), () -> {
            if (stateStatement != null) {
                st.execute(stateStatement);
            }
        });
    }

    private static void write(Statement st, String insert, String stateStatement) throws SQLException {
        // Each statement of the packet is logged on its own: each carries the marginalia.
        String packet = StatementComment.of(st.getConnection())
                .join(List.of("START TRANSACTION", insert, stateStatement, "COMMIT"));
        try {
            boolean isResultSet = st.execute(packet);
            while (isResultSet || st.getUpdateCount() != -1) {
                isResultSet = st.getMoreResults();
            }
        } catch (SQLException e) {
            try {
                st.execute("ROLLBACK");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }
}

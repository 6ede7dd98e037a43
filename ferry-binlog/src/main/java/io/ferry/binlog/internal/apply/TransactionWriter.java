package io.ferry.binlog.internal.apply;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.db.StatementComment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link PendingTransaction} to the target as {@code START TRANSACTION; s1; ...; sn; COMMIT} in one
 * multi-statement packet (the connection allows multi-queries), so a transaction costs one round trip whatever
 * its size; only a transaction over {@link #PACKET_SOFT_LIMIT} bytes of SQL is split over several packets of the
 * same transaction. JDBC's {@code addBatch/executeBatch} is not used: connector-j sends batches of four or fewer
 * statements one by one, and {@code setAutoCommit(false)} and {@code commit()} each cost a round trip of their own.
 * The server stops at the first failing statement, which is then rolled back with the rest of the transaction.
 */
public final class TransactionWriter {
    /** Packets stay well below the server's default max_allowed_packet (16 MiB on MariaDB, 64 MiB on MySQL). */
    public static final int PACKET_SOFT_LIMIT = 4 << 20;

    /** The applier's sessions run without key checks; a failed transaction may have left them on. */
    public static final String FOREIGN_KEY_CHECKS_OFF = "SET SESSION foreign_key_checks = 0";

    private static final Logger LOG = LoggerFactory.getLogger(TransactionWriter.class);

    private final DataSource target;
    private final RetryPolicy retries;
    private final int packetLimit;

    /**
     * @param retries how a transaction that failed with a retriable error is tried again, each time on a fresh
     *                connection, before the error fails the run
     */
    public TransactionWriter(DataSource target, RetryPolicy retries) {
        this(target, retries, PACKET_SOFT_LIMIT);
    }

    TransactionWriter(DataSource target, RetryPolicy retries, int packetLimit) {
        this.target = target;
        this.retries = retries;
        this.packetLimit = packetLimit;
    }

    /**
     * Writes {@code tx} as one target transaction, retrying the whole transaction on deadlocks, lock wait
     * timeouts and lost connections. Returns the number of attempts it took.
     *
     * @throws RunFailed when the target rejects a statement, or a retriable error outlasts the attempts
     */
    public int write(PendingTransaction<?> tx) {
        var budget = retries.budget((retry, e, wait) -> LOG.atWarn().addKeyValue("tables", tx.tables())
                .addKeyValue("attempt", retry)
                .log("binlog apply transaction failed with a retriable error, retrying: {}", e.getMessage()));
        try {
            RetryPolicy.run(() -> {
                send(tx.statements());
                return null;
            }, budget);
            return budget.tries();
        } catch (SQLException e) {
            boolean retriable = RetryPolicy.isTransient(e);
            throw failed(tx, retriable ? -1 : locate(tx.statements()), e, retriable ? budget.tries() : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailed("interrupted while retrying a binlog apply transaction on the target", e);
        }
    }

    /** How the statements go over the wire: packets of at most {@code limit} characters unless one is longer. */
    static List<String> packets(List<String> statements, int limit) {
        return packets(statements, limit, StatementComment.NONE);
    }

    /**
     * {@link #packets(List, int)} with {@code comment} before every statement: the server logs each statement of a
     * packet as a query of its own.
     */
    static List<String> packets(List<String> statements, int limit, StatementComment comment) {
        List<String> out = new ArrayList<>();
        var sql = new StringBuilder(comment.mark("START TRANSACTION"));
        for (int i = 0; i < statements.size(); i++) {
            String s = comment.mark(statements.get(i));
            if (i > 0 && sql.length() + s.length() + 2 > limit) {
                out.add(sql.toString());
                sql.setLength(0);
            }
            if (!sql.isEmpty()) {
                sql.append(";\n");
            }
            sql.append(s);
        }
        out.add(sql.append(";\n").append(comment.mark("COMMIT")).toString());
        return out;
    }

    /** Sends the packets on one connection; on failure the transaction is rolled back before the error is thrown. */
    private void send(List<String> statements) throws SQLException {
        try (Connection c = target.getConnection(); Statement st = c.createStatement()) {
            List<String> packets = packets(statements, packetLimit, StatementComment.of(c));
            st.setEscapeProcessing(false);
            try {
                for (String packet : packets) {
                    // connector-j reads every result of the packet here and throws the first error among them.
                    boolean isResultSet = st.execute(packet);
                    while (isResultSet || st.getUpdateCount() != -1) {
                        isResultSet = st.getMoreResults();
                    }
                }
            } catch (SQLException e) {
                rollback(st, e);
                throw e;
            }
        }
    }

    private static void rollback(Statement st, SQLException failure) {
        if (SqlErrors.isConnectionLost(failure)) {
            return; // the server rolls back a transaction whose connection is gone
        }
        try {
            st.execute("ROLLBACK");
            st.execute(FOREIGN_KEY_CHECKS_OFF);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Which statement the server rejects, found by running them one by one in a transaction that is rolled back:
     * connector-j reads every result of a multi-statement packet before it reports an error, so the packet itself
     * does not say. Only used on the way to failing the run; -1 when the statements now pass.
     */
    private int locate(List<String> statements) {
        try (Connection c = target.getConnection(); Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute("START TRANSACTION");
            int failing = -1;
            for (int i = 0; i < statements.size() && failing < 0; i++) {
                try {
                    st.execute(statements.get(i));
                } catch (SQLException e) {
                    failing = i;
                }
            }
            st.execute("ROLLBACK");
            return failing;
        } catch (SQLException e) {
            return -1;
        }
    }

    private static RunFailed failed(PendingTransaction<?> tx, int statement, SQLException e, int retriedAttempts) {
        int n = tx.statements().size();
        String where;
        if (statement >= 0 && statement < n) {
            where = "table " + tx.tableOf(statement) + " at binlog position " + tx.positionOf(statement).event();
        } else {
            Set<TableId> tables = tx.tables();
            where = (tables.size() == 1 ? "table " : "tables ") + String.join(", ", tables.stream().map(TableId::toString).toList())
                    + " at binlog positions " + tx.positionOf(0).event() + " to " + tx.positionOf(n - 1).event();
        }
        String server = e.getMessage() == null ? e.toString() : e.getMessage();
        String retries = retriedAttempts > 0
                ? " (still failing after " + retriedAttempts + " attempts; raise DBWriteRetries or remove the cause)" : "";
        return new RunFailed("applying binlog changes to the target failed for " + where + ": " + server
                + " [error " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + "]" + retries
                + "; the target transaction was rolled back: fix the cause on the target and resume the run", e);
    }
}

package io.ferry.binlog.internal.apply;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
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
    private final int attempts;
    private final int packetLimit;

    /**
     * @param attempts how often a transaction is tried in total before a retriable error fails the run (>= 1)
     */
    public TransactionWriter(DataSource target, int attempts) {
        this(target, attempts, PACKET_SOFT_LIMIT);
    }

    TransactionWriter(DataSource target, int attempts, int packetLimit) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, not " + attempts);
        }
        this.target = target;
        this.attempts = attempts;
        this.packetLimit = packetLimit;
    }

    /**
     * Writes {@code tx} as one target transaction, retrying the whole transaction on deadlocks, lock wait
     * timeouts and lost connections. Returns the number of attempts it took.
     *
     * @throws RunFailed when the target rejects a statement, or a retriable error outlasts the attempts
     */
    public int write(PendingTransaction<?> tx) {
        List<Packet> packets = packets(tx.statements(), packetLimit);
        for (int attempt = 1; ; attempt++) {
            try {
                send(packets);
                return attempt;
            } catch (FailedStatement failure) {
                boolean retriable = WriteErrors.isRetriable(failure.error);
                if (!retriable || attempt >= attempts) {
                    throw failed(tx, failure, retriable ? attempt : 0);
                }
                LOG.atWarn().addKeyValue("tables", tx.tables()).addKeyValue("attempt", attempt)
                        .log("binlog apply transaction failed with a retriable error, retrying: {}",
                                failure.error.getMessage());
            }
        }
    }

    /** How the statements go over the wire: packets of at most {@code limit} characters unless one is longer. */
    static List<Packet> packets(List<String> statements, int limit) {
        List<Packet> out = new ArrayList<>();
        var sql = new StringBuilder("START TRANSACTION");
        int first = 0;
        for (int i = 0; i < statements.size(); i++) {
            String s = statements.get(i);
            if (i > first && sql.length() + s.length() + 2 > limit) {
                out.add(new Packet(sql.toString(), first, first == 0));
                sql.setLength(0);
                first = i;
            }
            if (!sql.isEmpty()) {
                sql.append(";\n");
            }
            sql.append(s);
        }
        sql.append(";\nCOMMIT");
        out.add(new Packet(sql.toString(), first, first == 0));
        return out;
    }

    private void send(List<Packet> packets) throws FailedStatement {
        try (Connection c = target.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                for (Packet p : packets) {
                    int done = 0;
                    try {
                        boolean isResultSet = st.execute(p.sql());
                        while (isResultSet || st.getUpdateCount() != -1) {
                            done++;
                            isResultSet = st.getMoreResults();
                        }
                    } catch (SQLException e) {
                        throw new FailedStatement(p.firstStatement() + done - (p.startsTransaction() ? 1 : 0), e);
                    }
                }
            } catch (FailedStatement f) {
                rollback(c, f);
                throw f;
            }
        } catch (SQLException e) {
            // Getting or closing the connection failed: nothing of the transaction can have committed.
            throw new FailedStatement(-1, e);
        }
    }

    private static void rollback(Connection c, FailedStatement failure) {
        if (WriteErrors.isConnectionLost(failure.error)) {
            return; // the server rolls back a transaction whose connection is gone
        }
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK");
            st.execute(FOREIGN_KEY_CHECKS_OFF);
        } catch (SQLException e) {
            failure.error.addSuppressed(e);
        }
    }

    private static RunFailed failed(PendingTransaction<?> tx, FailedStatement failure, int retriedAttempts) {
        int n = tx.statements().size();
        String where;
        if (failure.statement >= 0 && failure.statement < n) {
            where = "table " + tx.tableOf(failure.statement) + " at binlog position "
                    + tx.positionOf(failure.statement).event();
        } else {
            Set<TableId> tables = tx.tables();
            where = (tables.size() == 1 ? "table " : "tables ") + String.join(", ", tables.stream().map(TableId::toString).toList())
                    + " at binlog positions " + tx.positionOf(0).event() + " to " + tx.positionOf(n - 1).event();
        }
        SQLException e = failure.error;
        String server = e.getMessage() == null ? e.toString() : e.getMessage();
        String retries = retriedAttempts > 0
                ? " (still failing after " + retriedAttempts + " attempts; raise DBWriteRetries or remove the cause)" : "";
        return new RunFailed("applying binlog changes to the target failed for " + where + ": " + server
                + " [error " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + "]" + retries
                + "; the target transaction was rolled back: fix the cause on the target and resume the run", e);
    }

    /** One multi-statement packet; {@code firstStatement} indexes the transaction's statements. */
    record Packet(String sql, int firstStatement, boolean startsTransaction) {
    }

    /** A statement of the transaction failed; {@code statement} is its index, or out of range for BEGIN/COMMIT. */
    private static final class FailedStatement extends Exception {
        final int statement;
        final SQLException error;

        FailedStatement(int statement, SQLException error) {
            super(error);
            this.statement = statement;
            this.error = error;
        }
    }
}

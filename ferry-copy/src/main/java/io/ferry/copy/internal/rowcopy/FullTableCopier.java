package io.ferry.copy.internal.rowcopy;

import io.ferry.copy.internal.replication.ApplyBarriers;
import io.ferry.copy.internal.replication.Replication;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.RowReader;
import io.ferry.core.state.BinlogPosition;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a table whole ({@code FullTableCopies}): for tables without a usable key, or that the operator wants copied
 * in one piece. Correct for any table, including one without a unique key holding identical rows, under every
 * {@code LockStrategy}, because no binlog change of the table is lost or applied twice relative to the copied rows:
 * <ol>
 *   <li>register an {@link ApplyBarriers.Barrier} (the applier starts nothing new until it has a position);</li>
 *   <li>open a {@link TableSnapshot}: a consistent view of the table and the binlog position P it corresponds to
 *       (offered to the barrier; refused, and taken again, when the applier was already handed an event after P);</li>
 *   <li>wait until the applier has applied every event up to P and holds there. The table's changes up to P reach
 *       the target before the next step and are wiped by it: their effect is in the snapshot;</li>
 *   <li>empty the target table and write the snapshot's rows in batches of {@code DataIterationBatchSize};</li>
 *   <li>release the barrier: changes after P apply on top, in order, each to exactly as many rows as on the source
 *       (UPDATE and DELETE of a table without a unique key change one row, {@code LIMIT 1}).</li>
 * </ol>
 * The only lock is the applier's hold (all strategies); the source is not locked, except for a moment on MySQL (see
 * {@link TableSnapshot}). While the table is written, the binlog apply of every table waits, so the copy does not
 * pause at {@code /api/pause} once it has started (only before). A failed attempt releases the applier and starts
 * again from a fresh snapshot; there is no partial progress to resume, which {@link TableProgress} documents.
 */
public final class FullTableCopier implements TableCopy {
    private static final Logger LOG = LoggerFactory.getLogger(FullTableCopier.class);
    private static final int MAX_SNAPSHOT_OFFERS = 500;
    private static final long WAIT_LOG_MILLIS = 10_000;

    private final TableCopier.Context ctx;
    private final Replication replication;
    private final TableSchema schema;
    private final TableId target;
    private final TableProgress progress;
    private final RowInsert insert;
    /** The target's statement size limit, read with the first write (0 until then). */
    private long maxStatementBytes;
    /** A whole copy starts again from a fresh snapshot, shortly after the failure. */
    private final RetryPolicy copyRetries;
    /** One multi-row INSERT is atomic: after a failure none of its rows is on the target. */
    private final RetryPolicy writeRetries;

    public FullTableCopier(TableCopier.Context ctx, Replication replication, TableSchema schema, TableId target,
                           TableProgress progress) {
        this.ctx = ctx;
        this.replication = replication;
        this.schema = schema;
        this.target = target;
        this.progress = progress;
        this.insert = RowInsert.plain(schema, target, ctx.targetLiterals());
        this.copyRetries = RetryPolicy.of(ctx.readRetries()).waiting(RetryPolicy.SHORT)
                .retrying(e -> RetryPolicy.isTransient(e) || (e instanceof SQLException && brokenStream(e)));
        this.writeRetries = RetryPolicy.of(ctx.writeRetries()).waiting(RetryPolicy.SHORT);
    }

    @Override
    public long copy() throws InterruptedException {
        ctx.pause().awaitUnthrottled();
        try {
            long rows = copyRetries.run(this::copyOnce, (retry, e, wait) -> {
                progress.batchFailed(true);
                LOG.warn("{}: copying whole failed ({}); copying it again from a fresh snapshot, attempt {} of {}",
                        schema.id(), SqlErrors.describe(e), retry + 1, copyRetries.attempts());
            });
            progress.completed();
            LOG.info("{}: copied whole, {} rows", schema.id(), rows);
            return rows;
        } catch (SQLException e) {
            throw new RunFailed("copying " + schema.id() + " whole failed: " + SqlErrors.describe(e), e);
        }
    }

    /**
     * Connector/J reports a connection lost in the middle of a streamed result as a plain SQLException ("Error
     * retrieving record", SQLSTATE S1000) caused by an I/O exception.
     */
    private static boolean brokenStream(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private long copyOnce() throws SQLException, InterruptedException {
        try (ApplyBarriers.Barrier barrier = replication.barriers().register(schema.id());
             TableSnapshot snapshot = positionedSnapshot(barrier)) {
            BinlogPosition p = snapshot.position();
            progress.copyingWhole(p);
            if (!barrier.awaitReached(abandonWhenReplicationFails(p), 100)) {
                replication.throwIfFailed();
                throw new RunFailed("the binlog applier stopped before reaching " + p + " for the copy of " + schema.id());
            }
            LOG.info("{}: binlog applied up to {}, held there; copying the table whole", schema.id(), p);
            emptyTarget();
            return writeSnapshot(snapshot.connection());
        }
    }

    /** A snapshot whose position the barrier accepted. */
    private TableSnapshot positionedSnapshot(ApplyBarriers.Barrier barrier) throws SQLException, InterruptedException {
        for (int offer = 1; ; offer++) {
            TableSnapshot snapshot = TableSnapshot.open(ctx.source(), ctx.sourceServer(), schema.id());
            if (barrier.positionAt(snapshot.position())) {
                return snapshot;
            }
            // The applier already holds changes after this snapshot (committing transactions become visible a moment
            // after they are logged): a new snapshot will include them.
            snapshot.close();
            if (offer >= MAX_SNAPSHOT_OFFERS) {
                throw new RunFailed("could not take a snapshot of " + schema.id() + " that is as recent as the changes"
                        + " the binlog applier already applied (last offered " + snapshot.position() + ")");
            }
            Thread.sleep(10);
        }
    }

    private BooleanSupplier abandonWhenReplicationFails(BinlogPosition p) {
        long started = System.nanoTime();
        long[] nextLog = {WAIT_LOG_MILLIS};
        return () -> {
            long waited = (System.nanoTime() - started) / 1_000_000;
            if (waited >= nextLog[0]) {
                nextLog[0] += WAIT_LOG_MILLIS;
                LOG.warn("{}: waiting {} s for the binlog applier to reach {} (is replication paused?); applied: {}",
                        schema.id(), waited / 1000, p, replication.lastApplied().event());
            }
            return replication.failure() != null;
        };
    }

    private void emptyTarget() throws SQLException {
        try (Connection tgt = ctx.target().getConnection(); Statement st = tgt.createStatement()) {
            long removed = st.executeUpdate("DELETE FROM " + target.sql());
            if (removed > 0) {
                LOG.info("{}: removed {} rows from the target table before copying it whole", schema.id(), removed);
            }
        }
    }

    /** Streams the snapshot's rows and writes them in batches; returns the number written. */
    private long writeSnapshot(Connection source) throws SQLException, InterruptedException {
        long total = 0;
        RowReader reader = RowReader.of(schema, ctx.sourceServer());
        try (Statement st = source.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE); // stream rows instead of buffering the table
            try (ResultSet rs = st.executeQuery("SELECT " + reader.selectList() + " FROM "
                    + schema.id().sql())) {
                List<Row> batch = new ArrayList<>();
                while (true) {
                    boolean more = rs.next();
                    if (more) {
                        batch.add(reader.read(rs, 1));
                    }
                    if (!batch.isEmpty() && (!more || batch.size() >= ctx.batchSize().getAsInt())) {
                        writeWithRetries(batch);
                        total += batch.size();
                        batch = new ArrayList<>();
                    }
                    if (!more) {
                        return total;
                    }
                }
            }
        }
    }

    private void writeWithRetries(List<Row> rows) throws SQLException, InterruptedException {
        ctx.hooks().beforeRowCopy(schema.id(), rows.size());
        try {
            writeRetries.run(() -> {
                long started = System.nanoTime();
                long bytes = write(rows);
                progress.batchTook(System.nanoTime() - started);
                progress.batchWritten(rows.size(), bytes, null);
                return null;
            }, (retry, e, wait) -> progress.batchFailed(true));
        } catch (SQLException e) {
            progress.batchFailed(false);
            throw e;
        }
        ctx.hooks().afterRowCopy(schema.id(), rows.size());
    }

    /**
     * One multi-row plain {@code INSERT}: the target table is empty and the rows come from one snapshot, so a
     * duplicate key would mean the target is written by someone else, which must not pass silently.
     */
    private long write(List<Row> rows) throws SQLException {
        try (Connection tgt = ctx.target().getConnection(); Statement st = tgt.createStatement()) {
            if (maxStatementBytes == 0) {
                maxStatementBytes = RowInsert.statementLimit(tgt);
            }
            TargetBatch.Inserts batch = insert.render(rows, maxStatementBytes);
            st.setEscapeProcessing(false);
            if (batch.single()) {
                batch.write(st);
            } else {
                BatchTransaction.write(tgt, st, batch, null);
            }
            return batch.bytes();
        }
    }
}

package io.ferry.copy.internal.rowcopy;

import io.ferry.copy.RunHooks;
import io.ferry.copy.Throttler;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.keyset.KeyRange;
import io.ferry.core.keyset.KeyValues;
import io.ferry.core.keyset.KeysetCursor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.KeyOrder;
import io.ferry.core.sql.RowReader;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.verify.CopiedBatch;
import io.ferry.core.verify.CopyCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one table in key order, batch by batch, from the first key up to the last key that existed when the copy
 * started (rows inserted later arrive through the binlog); in descending order from the highest key down to the
 * lowest that existed at the start. Order, bounds and progress are decided by the server in the key columns' own
 * collations: each batch asks for keys strictly after the previous batch's last key and up to the bound, and the
 * copy ends when a batch comes back empty (or, as a shortcut, ends exactly on the bound). The bound exists only so
 * that the copy ends while rows keep being inserted; copying a row beyond it would be harmless, since every row is
 * read and written under the copy lock. Each batch is read and written under the run's
 * {@link CopyLocking} so that no binlog change to those rows can be applied between the read and the target commit.
 * Progress advances only after the target commit.
 */
public final class TableCopier implements TableCopy {
    private static final Logger LOG = LoggerFactory.getLogger(TableCopier.class);

    /**
     * What a copier needs besides the table; shared by all tables of a run.
     *
     * @param rows which rows of each table the run copies
     */
    public record Context(DataSource source, DataSource target, ServerInfo sourceServer, SqlLiterals sourceLiterals,
                          SqlLiterals targetLiterals, CopyLocking locking, IntSupplier batchSize, int readRetries,
                          int writeRetries, RunHooks hooks, Throttler pause, boolean descending,
                          CopyCheck copyCheck, boolean loadData, RowFilter rows) {
        public Context(DataSource source, DataSource target, ServerInfo sourceServer, SqlLiterals sourceLiterals,
                       SqlLiterals targetLiterals, CopyLocking locking, IntSupplier batchSize, int readRetries,
                       int writeRetries, RunHooks hooks, Throttler pause, boolean descending) {
            this(source, target, sourceServer, sourceLiterals, targetLiterals, locking, batchSize, readRetries,
                    writeRetries, hooks, pause, descending, CopyCheck.NONE, false, RowFilter.ALL);
        }

        /** This context with the inline verifier's check of every batch. */
        public Context withCopyCheck(CopyCheck check) {
            return new Context(source, target, sourceServer, sourceLiterals, targetLiterals, locking, batchSize,
                    readRetries, writeRetries, hooks, pause, descending, check, loadData, rows);
        }

        /** This context with batches of a table's own size rather than the run's. */
        public Context withBatchSize(IntSupplier size) {
            return new Context(source, target, sourceServer, sourceLiterals, targetLiterals, locking, size,
                    readRetries, writeRetries, hooks, pause, descending, copyCheck, loadData, rows);
        }

        /**
         * This context writing batches with {@code LOAD DATA LOCAL INFILE} where a table's columns allow it; the
         * target pool must allow local infile.
         */
        public Context withLoadData(boolean load) {
            return new Context(source, target, sourceServer, sourceLiterals, targetLiterals, locking, batchSize,
                    readRetries, writeRetries, hooks, pause, descending, copyCheck, load, rows);
        }

        /** This context copying only the rows {@code filter} selects. */
        public Context withRows(RowFilter filter) {
            return new Context(source, target, sourceServer, sourceLiterals, targetLiterals, locking, batchSize,
                    readRetries, writeRetries, hooks, pause, descending, copyCheck, loadData, filter);
        }
    }

    private static final long SMALL_TABLE_ROWS = 100_000;

    private final Context ctx;
    private final TableSchema schema;
    private final TableId target;
    private final KeysetCursor cursor;
    private final int[] keyIndexes;
    private final BatchEncoder encoder;
    /** The target's statement size limit, read with the first write (0 until then). */
    private volatile long maxStatementBytes;
    private final RowReader reader;
    private final TableProgress progress;
    private final long estimatedRows;
    private final int ranges;
    private volatile boolean cancelled;
    private final TableCheckpoint checkpoint;
    private final RetryPolicy readRetries;
    /** A batch's lock conflicts clear in milliseconds and count against the read retries, apart from its other failures. */
    private final RetryPolicy lockConflictRetries;
    private final RetryPolicy batchRetries;

    public TableCopier(Context ctx, TableSchema schema, TableId target, List<ColumnSchema> keyColumns,
                       TableProgress progress, long estimatedRows, int ranges) {
        this(ctx, schema, target, keyColumns, progress, estimatedRows, ranges,
                TableCheckpoint.untracked(schema.id(), keyColumns));
    }

    /** A copier that plans, saves and resumes its ranges through {@code checkpoint}. */
    public TableCopier(Context ctx, TableSchema schema, TableId target, List<ColumnSchema> keyColumns,
                       TableProgress progress, long estimatedRows, int ranges, TableCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.ctx = ctx;
        this.estimatedRows = estimatedRows;
        this.ranges = ranges;
        this.schema = schema;
        this.target = target;
        this.cursor = KeysetCursor.of(KeyOrder.of(keyColumns, ctx.sourceLiterals()), schema.id(),
                ctx.rows().select(schema, schema.id()));
        this.keyIndexes = KeyValues.indexes(schema, keyColumns);
        this.encoder = BatchEncoder.of(schema, target, ctx.targetLiterals(), ctx.loadData());
        this.reader = RowReader.of(schema, ctx.sourceServer());
        this.progress = progress;
        this.readRetries = RetryPolicy.of(ctx.readRetries());
        this.lockConflictRetries = readRetries.retrying(e -> e instanceof SQLException && SqlErrors.isLockConflict(e));
        this.batchRetries = RetryPolicy.of(ctx.writeRetries());
    }

    /**
     * Copies the whole table; returns the number of rows written. With several ranges the key range is split at
     * keys the server picks (every n-th row in key order) and the parts are copied concurrently.
     */
    @Override
    public long copy() throws InterruptedException {
        boolean descending = ctx.descending();
        List<TableCheckpoint.Range> plan = checkpoint.resumedRanges();
        if (plan == null || plan.stream().anyMatch(r -> r.upTo == null)) {
            List<byte[]> last = readLastKey(descending);
            if (last == null) {
                LOG.info("{}: empty, nothing to copy", schema.id());
                progress.completed();
                checkpoint.completed();
                return 0;
            }
            if (plan == null) {
                List<List<byte[]>> bounds = ranges > 1 ? splitPoints(ranges, last, descending) : new ArrayList<>();
                bounds.add(last);
                plan = checkpoint.plan(bounds);
            } else {
                checkpoint.boundUnknownEnds(last);
            }
        } else {
            LOG.info("{}: resuming the copy of {} range(s), {} complete", schema.id(), plan.size(),
                    plan.stream().filter(r -> r.done).count());
        }
        List<byte[]> last = TableCheckpoint.end(plan);
        progress.copying(render(last));
        List<TableCheckpoint.Range> pending = plan.stream().filter(r -> !r.done).toList();
        LOG.info("{}: copying {} key {} in {} range(s)", schema.id(),
                descending ? "from the highest key down to" : "up to", render(last), pending.size());
        if (pending.size() == 1) {
            copyRange(pending.getFirst(), descending);
        } else if (!pending.isEmpty()) {
            var balancer = new RangeBalancer(pending);
            try (var scope = new TaskScope(schema.id() + "-ranges")) {
                for (TableCheckpoint.Range range : pending) {
                    scope.fork(() -> {
                        // A copier whose range is done takes over half of the largest range still being copied,
                        // so that the table's copy does not end on one range copied alone.
                        for (var r = range; r != null; r = balancer.next(r, descending)) {
                            copyRange(r, descending);
                        }
                        return null;
                    });
                }
                scope.join().throwIfFailed();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new RunFailed("copying " + schema.id() + " failed: " + e.getCause(), e.getCause());
            }
        }
        if (checkpoint.ranges().stream().anyMatch(r -> !r.done)) { // the plan and the ranges split off it
            LOG.info("{}: stopped after {} rows, the copy continues on resume", schema.id(), progress.rowsWritten());
            return progress.rowsWritten();
        }
        progress.completed();
        checkpoint.completed();
        LOG.info("{}: copied {} rows", schema.id(), progress.rowsWritten());
        return progress.rowsWritten();
    }

    /**
     * Makes {@link #copy} end with {@link CopyCancelled} before its next batch (a schema change of the table is
     * about to be applied); a batch under way completes first.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Copies the rows of {@code range} after its last copied key (or its start) up to and including its end; stops
     * early, between batches, when the run is stopping.
     */
    private Void copyRange(TableCheckpoint.Range range, boolean descending) throws InterruptedException {
        List<byte[]> reached = range.resumeAfter();
        while (!checkpoint.stopping()) {
            ctx.pause().awaitUnthrottled();
            if (cancelled) {
                throw new CopyCancelled(schema.id());
            }
            List<byte[]> upTo = range.upTo; // read at every batch: a split may have moved it closer
            List<byte[]> next = copyBatchWithRetries(range, reached, upTo, descending);
            if (next == null || KeyValues.same(next, upTo)) {
                checkpoint.rangeDone(range);
                return null;
            }
            reached = next;
        }
        return null;
    }

    /**
     * Up to {@code ranges - 1} keys that split the rows up to {@code last} into parts of about equal size, in copy
     * order (see {@link KeysetCursor#splitPoints}).
     */
    private List<List<byte[]>> splitPoints(int ranges, List<byte[]> last, boolean descending) {
        try (Connection c = ctx.source().getConnection(); Statement st = c.createStatement()) {
            long rows = estimatedRows;
            if (rows < SMALL_TABLE_ROWS || !cursor.condition().isEmpty()) {
                // Estimates of small or fresh tables are often far off, and say nothing of the rows a filter
                // selects; counting them is cheap (a filter's rows through its index).
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + cursor.from() + cursor.where())) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            return cursor.splitPoints(st, last, descending, rows, ranges);
        } catch (SQLException e) {
            throw new RunFailed("splitting " + schema.id() + " into key ranges failed: " + SqlErrors.describe(e), e);
        }
    }

    /**
     * Hands the copiers of a table's ranges more work when theirs is done: half of the range with the most rows left,
     * while it has enough rows for two copiers.
     */
    private final class RangeBalancer {
        /** The ranges being copied; guarded by {@code lock}, which one split at a time holds. */
        private final Set<TableCheckpoint.Range> copying;
        private final ReentrantLock lock = new ReentrantLock();

        RangeBalancer(List<TableCheckpoint.Range> ranges) {
            copying = new HashSet<>(ranges);
        }

        /** The range {@code finished}'s copier copies next, or null when it is done. */
        TableCheckpoint.Range next(TableCheckpoint.Range finished, boolean descending) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                copying.remove(finished);
                if (!finished.done || checkpoint.stopping() || cancelled) {
                    return null;
                }
                TableCheckpoint.Range added = split(descending);
                if (added != null) {
                    copying.add(added);
                }
                return added;
            } finally {
                lock.unlock();
            }
        }

        private TableCheckpoint.Range split(boolean descending) throws InterruptedException {
            try {
                return readRetries.run(() -> {
                    try (Connection c = ctx.source().getConnection(); Statement st = c.createStatement()) {
                        return split(st, descending);
                    }
                }, RetryPolicy.OnRetry.SILENT);
            } catch (SQLException e) {
                // The ranges as they stand still cover the table; only the balance is lost.
                LOG.warn("{}: splitting a key range failed, the copy goes on with the ranges it has: {}", schema.id(),
                        SqlErrors.describe(e));
                return null;
            }
        }

        private TableCheckpoint.Range split(Statement st, boolean descending) throws SQLException {
            long minRows = 4L * ctx.batchSize().getAsInt();
            TableCheckpoint.Range largest = null;
            long most = 0;
            for (TableCheckpoint.Range r : copying) {
                long left = r.done ? 0 : cursor.estimateRows(st, new KeyRange(r.resumeAfter(), r.upTo, descending));
                if (left > most) {
                    largest = r;
                    most = left;
                }
            }
            if (largest == null || most < minRows) {
                LOG.debug("{}: no range is split, the most rows left in one is about {}", schema.id(), most);
                return null;
            }
            // The estimate is often high (twice the rows is common): a split point beyond the range's end is looked
            // for again at half the distance.
            List<List<byte[]>> at = List.of();
            for (long rows = most; at.isEmpty() && rows >= minRows; rows /= 2) {
                at = cursor.splitPoints(st, largest.resumeAfter(), largest.upTo, descending, rows, 2);
            }
            if (at.isEmpty()) {
                LOG.debug("{}: the range up to {} has too few rows left to split", schema.id(), render(largest.upTo));
                return null;
            }
            LOG.debug("{}: the range up to {} is split at {}", schema.id(), render(largest.upTo),
                    render(at.getFirst()));
            return checkpoint.split(largest, at.getFirst());
        }
    }

    /** The key of the last row in copy order now (the lowest key when descending), or {@code null} for an empty table. */
    private List<byte[]> readLastKey(boolean descending) throws InterruptedException {
        try {
            return readRetries.run(() -> {
                try (Connection c = ctx.source().getConnection(); Statement st = c.createStatement()) {
                    return cursor.lastKey(st, descending);
                }
            }, RetryPolicy.OnRetry.SILENT);
        } catch (SQLException e) {
            throw new RunFailed("reading the last key of " + schema.id() + " failed: " + SqlErrors.describe(e), e);
        }
    }

    private List<byte[]> copyBatchWithRetries(TableCheckpoint.Range range, List<byte[]> after, List<byte[]> last,
                                              boolean descending) throws InterruptedException {
        var lockConflicts = lockConflictRetries.budget((retry, e, wait) -> {
            progress.batchFailed(true);
            LOG.debug("{}: batch after {} meets a lock, retried: {}", schema.id(),
                    after == null ? "(start)" : render(after), SqlErrors.describe(e));
        });
        var failures = batchRetries.budget((retry, e, wait) -> {
            progress.batchFailed(true);
            LOG.warn("{}: batch after key {} failed ({}); retry {} of {} in {} ms with a new connection",
                    schema.id(), after == null ? "(start)" : render(after), SqlErrors.describe(e), retry,
                    ctx.writeRetries(), wait.toMillis());
        });
        try {
            return RetryPolicy.run(() -> {
                long started = System.nanoTime();
                List<byte[]> reached = copyBatch(range, after, last, descending);
                if (reached != null) {
                    progress.batchTook(System.nanoTime() - started);
                }
                return reached;
            }, lockConflicts, failures);
        } catch (RowInsert.RowTooLarge e) {
            throw new RunFailed("copying " + schema.id() + " after key " + (after == null ? "(start)" : render(after))
                    + " failed: " + e.getMessage(), e);
        } catch (SQLException e) {
            progress.batchFailed(false);
            throw new RunFailed("copying " + schema.id() + " after key " + (after == null ? "(start)" : render(after))
                    + " failed: " + SqlErrors.describe(e), e);
        }
    }

    /** One batch: read (locked), write, commit, release. Returns the batch's last key, or null when no rows remain. */
    private List<byte[]> copyBatch(TableCheckpoint.Range range, List<byte[]> after, List<byte[]> last,
                                   boolean descending) throws SQLException, InterruptedException {
        String columns = reader.selectList()
                + (ctx.copyCheck().enabled() ? ", " + ctx.copyCheck().fingerprintExpression(schema.id()) : "");
        var sql = new StringBuilder(cursor.select(columns, new KeyRange(after, last, descending),
                ctx.batchSize().getAsInt()));
        String lockClause = ctx.locking().readClause(ctx.sourceServer());
        if (!lockClause.isEmpty()) {
            sql.append(' ').append(lockClause);
        }
        List<byte[]> reached;
        int count;
        boolean readView = ctx.locking() instanceof CopyLocking.InProcess;
        boolean transaction = !lockClause.isEmpty() || readView;
        try (var held = ctx.locking().acquire(schema.id());
             Connection src = ctx.source().getConnection();
             Statement st = src.createStatement()) {
            try {
                if (readView) {
                    ReadView.open(src, (CopyLocking.InProcess) ctx.locking(), schema.id(), ctx.sourceServer());
                }
                // One round trip opens the transaction and reads the locked batch.
                List<String> fingerprints = new ArrayList<>();
                List<Row> rows = read(st, lockClause.isEmpty() ? sql.toString() : "START TRANSACTION; " + sql,
                        fingerprints);
                if (rows.isEmpty()) {
                    return null;
                }
                count = rows.size();
                ctx.hooks().beforeRowCopy(schema.id(), count);
                reached = KeyValues.of(rows.getLast(), keyIndexes);
                var batch = new CopiedBatch(rows, fingerprints, after, reached, descending);
                long bytes = write(batch, checkpoint.batchStatement(range, reached));
                checkpoint.committed(range, reached);
                progress.batchWritten(count, bytes, render(reached));
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: batch of {} rows ({} bytes) written up to key {}", schema.id(), count, bytes,
                            render(reached));
                }
            } finally {
                if (transaction) {
                    endTransaction(src, st); // releases the shared row locks only after the target commit
                }
            }
        }
        ctx.hooks().afterRowCopy(schema.id(), count);
        return reached;
    }

    /**
     * Rolls back the read transaction. A connection that cannot is aborted, never reused with its locks: its locks
     * end with it, so the batch stands (or the error that broke the connection is reported, not this one).
     */
    private void endTransaction(Connection src, Statement st) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("{}: ending the read transaction failed, the connection is dropped: {}", schema.id(),
                    SqlErrors.describe(e));
            try {
                src.abort(Runnable::run);
            } catch (SQLException abort) {
                LOG.debug("{}: aborting the connection failed: {}", schema.id(), SqlErrors.describe(abort));
            }
        }
    }

    private List<Row> read(Statement st, String sql, List<String> fingerprints) throws SQLException {
        List<Row> rows = new ArrayList<>();
        int n = reader.width();
        boolean isResultSet = st.execute(sql);
        while (!isResultSet && st.getUpdateCount() != -1) {
            isResultSet = st.getMoreResults(); // skip START TRANSACTION's result
        }
        try (ResultSet rs = st.getResultSet()) {
            while (rs.next()) {
                rows.add(reader.read(rs, 1));
                if (ctx.copyCheck().enabled()) {
                    fingerprints.add(rs.getString(n + 1));
                }
            }
        }
        return rows;
    }

    /**
     * Writes the batch as one LOAD DATA or multi-row {@code INSERT IGNORE} (several when it exceeds the target's
     * packet limit): a single statement is atomic on its own, so autocommit makes it one round trip; with several,
     * the inline check or state in the target, one transaction.
     */
    private long write(CopiedBatch copied, String stateStatement) throws SQLException {
        List<Row> rows = copied.rows();
        try (Connection tgt = ctx.target().getConnection(); Statement st = tgt.createStatement()) {
            if (maxStatementBytes == 0 && !encoder.loads()) {
                maxStatementBytes = RowInsert.statementLimit(tgt);
            }
            TargetBatch batch = encoder.encode(rows, maxStatementBytes);
            st.setEscapeProcessing(false);
            if (ctx.copyCheck().enabled()) {
                InlineCheckedWrite.run(tgt, st, batch, () -> {
                    ctx.copyCheck().check(tgt, schema.id(), copied);
                    if (stateStatement != null) {
                        st.execute(stateStatement); // the batch's progress commits with its rows
                    }
                });
            } else if (stateStatement == null && batch.single()) {
                batch.write(st);
            } else {
                BatchTransaction.write(tgt, st, batch, stateStatement);
            }
            return batch.bytes();
        }
    }

    private String render(List<byte[]> value) {
        return KeyValues.render(cursor.key().columns(), value);
    }
}

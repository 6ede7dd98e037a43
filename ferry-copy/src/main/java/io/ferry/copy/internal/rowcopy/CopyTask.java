package io.ferry.copy.internal.rowcopy;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of one table, restarted from scratch when a schema change of the table is replicated while it is
 * being copied. A copy that read rows in one shape while the source already had another cannot be trusted (a row
 * updated after an ADD COLUMN and copied with the old columns would keep the column's default on the target, and
 * the update's binlog event, conditional on the full old image, would then match nothing), so:
 * <ul>
 *   <li>the binlog applier {@linkplain #hold holds} the task before it applies a DDL of the table: a running copy
 *       stops before its next batch;</li>
 *   <li>after the DDL is applied on the target, the applier empties the target table (if anything was copied) and
 *       {@linkplain #release releases} the task, which copies the table again under its new schema (and name).</li>
 * </ul>
 * This is as safe as the first copy: the target table is emptied in binlog order, every later binlog event is
 * applied after it, and the new copy reads the source under the same copy lock.
 *
 * <p>A copy that ends while the source table has another shape than the one it copied with (or fails because of
 * it) is not complete: it waits for the DDL to come through the binlog, and fails with a message if the applier
 * passes the source's current position without one.
 */
public final class CopyTask {
    private static final Logger LOG = LoggerFactory.getLogger(CopyTask.class);

    /** Makes the copier of a table under a given name and schema. */
    @FunctionalInterface
    public interface CopierFactory {
        TableCopy create(TableId source, TableSchema schema);
    }

    /** How a waiting task watches replication: the last applied position and its failure, if any. */
    public record Watch(Supplier<BinlogPosition> applied, Supplier<Throwable> failure) {
    }

    private final TableProgress progress;
    private final CopierFactory factory;
    private final DataSource sourcePool;
    private final Watch watch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final RetryPolicy reads;
    // Guarded by lock.
    private TableId source;
    private TableSchema schema;
    private TableCopy copier;
    private boolean running;
    private boolean invalidated;
    private boolean started;
    private boolean done;
    private boolean held;
    private boolean dropped;
    private long holds;

    /** @param reads how the task's own reads of the source (its schema, the binlog position) are retried */
    public CopyTask(TableId source, TableSchema schema, TableProgress progress, CopierFactory factory,
                    DataSource sourcePool, Watch watch, RetryPolicy reads) {
        this.reads = reads;
        this.source = source;
        this.schema = schema;
        this.progress = progress;
        this.factory = factory;
        this.sourcePool = sourcePool;
        this.watch = watch;
    }

    /** Copies the table until a copy completes under the table's current schema, or the table is dropped. */
    public long run() throws InterruptedException {
        while (true) {
            TableCopy current;
            TableSchema copiedWith;
            TableId copied;
            lock.lock();
            try {
                while (held) {
                    changed.await();
                }
                if (dropped) {
                    progress.completed();
                    return 0;
                }
                current = factory.create(source, schema);
                copier = current;
                copiedWith = schema;
                copied = source;
                running = true;
                started = true;
            } finally {
                lock.unlock();
            }
            RuntimeException failure = null;
            long rows = 0;
            try {
                rows = current.copy();
            } catch (CopyCancelled e) {
                LOG.info("{}: copy stopped for a schema change; it starts again once the change is applied", copied);
            } catch (RuntimeException e) {
                failure = e;
            }
            long holdsAtEnd;
            lock.lock();
            try {
                running = false;
                copier = null;
                holdsAtEnd = holds;
                changed.signalAll();
                if (held || invalidated) {
                    // A schema change was applied while this copy ran: copy again once it is released.
                    invalidated = false;
                    progress.restarted();
                    continue;
                }
            } finally {
                lock.unlock();
            }
            boolean sameShape = copiedWith.equals(sourceSchema(copied));
            if (sameShape && failure != null) {
                throw failure;
            }
            if (sameShape && finish(holdsAtEnd)) {
                return rows;
            }
            if (!sameShape) {
                awaitHold(copied, holdsAtEnd, failure);
            }
            progress.restarted();
        }
    }

    /** Marks the copy done unless a schema change was applied since it ended (then it must run again). */
    private boolean finish(long holdsAtEnd) {
        lock.lock();
        try {
            if (holds != holdsAtEnd) {
                return false;
            }
            done = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The source table changed shape during the copy: waits until the binlog applier reaches the DDL (and holds
     * this task), or fails when it passes the source's current position without one.
     */
    private void awaitHold(TableId table, long holdsAtEnd, RuntimeException failure) throws InterruptedException {
        BinlogPosition sourceNow = currentPosition();
        LOG.info("{}: the source table changed shape during its copy{}; waiting for the schema change to be"
                + " replicated (up to source position {})", table,
                failure == null ? "" : " (" + failure.getMessage() + ")", sourceNow);
        lock.lock();
        try {
            while (holds == holdsAtEnd) {
                if (watch.failure().get() != null) {
                    throw new RunFailed("the copy of " + table + " waits for a schema change that replication cannot"
                            + " deliver (replication failed)", failure);
                }
                if (watch.applied().get().compareTo(sourceNow) >= 0 && holds == holdsAtEnd) {
                    throw new RunFailed("the schema of " + table + " changed on the source during its copy, but no"
                            + " schema change of the table was replicated up to source binlog position " + sourceNow
                            + "; ferry cannot copy a table whose shape changes under it without replicating the"
                            + " change: set ReplicateSchemaChanges (and select the table), or use"
                            + " DelayDataIterationUntilBinlogWriterShutdown to replicate first and copy in a later run",
                            failure);
                }
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before a schema change of this table is applied (on the applier thread): stops a running copy and waits
     * until it has stopped. Returns whether rows were copied that the change invalidates: then the caller empties
     * the target table after applying the change, before {@link #release}.
     */
    public boolean hold() throws InterruptedException {
        lock.lock();
        try {
            held = true;
            holds++;
            invalidated = running;
            if (copier instanceof TableCopier paginated) {
                paginated.cancel();
                while (running) {
                    changed.await();
                }
            }
            // A whole-table copy cannot stop midway (it may wait for the applier to reach its snapshot): it ends on
            // its own and, invalidated, runs again after the release.
            changed.signalAll();
            return started && !done;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the schema change was applied: the table is now {@code table} with {@code newSchema} on the source
     * ({@code null} when it was dropped). A copy that was not complete starts again from scratch.
     */
    void release(TableId table, TableSchema newSchema) {
        lock.lock();
        try {
            if (newSchema == null) {
                dropped = true;
            } else {
                source = table;
                schema = newSchema;
            }
            held = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The table's current name on the source. */
    TableId source() {
        lock.lock();
        try {
            return source;
        } finally {
            lock.unlock();
        }
    }

    boolean isDone() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code key} (columns of the schema the run started with) as columns of {@code schema}, for a copy after a
     * schema change.
     */
    public static List<ColumnSchema> keyIn(TableSchema schema, List<ColumnSchema> key) {
        List<ColumnSchema> out = new ArrayList<>(key.size());
        for (var c : key) {
            out.add(schema.column(c.name()).orElseThrow(() -> new RunFailed("the pagination key column " + c.name()
                    + " of " + schema.id() + " is gone after a schema change, so the table cannot be copied again;"
                    + " start a new run for it (with DelayDataIterationUntilBinlogWriterShutdown, a run replicates"
                    + " schema changes first and copies later)")));
        }
        return out;
    }

    /** The table's schema on the source now, or null when it does not exist. */
    private TableSchema sourceSchema(TableId table) throws InterruptedException {
        try {
            return reads.run(() -> {
                try (Connection c = sourcePool.getConnection()) {
                    return SchemaLoader.load(c, List.of(table)).get(table);
                }
            }, reads.warning(LOG, "reading the schema of " + table));
        } catch (SQLException e) {
            throw new RunFailed("reading the schema of " + table + " after its copy failed: " + e.getMessage(), e);
        }
    }

    private BinlogPosition currentPosition() throws InterruptedException {
        try {
            return reads.run(() -> {
                try (Connection c = sourcePool.getConnection()) {
                    return BinlogStreamer.currentPosition(c);
                }
            }, reads.warning(LOG, "reading the source binlog position"));
        } catch (SQLException e) {
            throw new RunFailed("reading the source binlog position failed: " + e.getMessage(), e);
        }
    }
}

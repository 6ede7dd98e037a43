package io.ferry.copy.internal.rowcopy;

import io.ferry.copy.internal.operations.RunMetrics;
import io.ferry.core.TableId;
import io.ferry.core.control.TableStatus;
import io.ferry.core.state.BinlogPosition;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live copy progress of one table, updated by its copier and read by status reporting.
 *
 * <p>A table copied whole ({@code FullTableCopies}, key columns {@code ""}) has no key progress: it is either
 * completed or not, and a table that is not completed is copied again from scratch (the copier empties its target
 * table first), on a retry as on a resumed run. When saving state, record a full-copy table as completed only
 * together with a binlog position at or after its {@link #snapshotPosition()}: the binlog changes up to that
 * position are already in the copied rows, and replaying them on a table without a unique key would duplicate rows.
 * (Reading the applier's position after the table's completion flag guarantees this: the applier had applied
 * everything up to the snapshot position before the copy wrote a row.)
 */
public final class TableProgress {
    /** Where a table's copy is. */
    public enum Action {
        WAITING("waiting"), COPYING("copying"), COMPLETED("completed");

        private final String label;

        Action(String label) {
            this.label = label;
        }
    }

    private final TableId table;
    private final String keyColumns;
    private final RunMetrics metrics;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Action action = Action.WAITING;
    private volatile String lastKey;
    private volatile String targetKey;
    private volatile BinlogPosition snapshotPosition;

    public TableProgress(TableId table, String keyColumns) {
        this(table, keyColumns, new RunMetrics());
    }

    /** Progress that also counts batches, their latency and errors into the run's {@code metrics}. */
    public TableProgress(TableId table, String keyColumns, RunMetrics metrics) {
        this.table = table;
        this.keyColumns = keyColumns;
        this.metrics = metrics;
    }

    public TableId table() {
        return table;
    }

    void copying(String targetKey) {
        this.targetKey = targetKey;
        this.action = Action.COPYING;
    }

    /** A full-table copy (re)starts from a snapshot at {@code position}: counts start again from zero. */
    void copyingWhole(BinlogPosition position) {
        rows.set(0);
        bytes.set(0);
        this.lastKey = null;
        this.snapshotPosition = position;
        this.targetKey = "whole table as of binlog " + position;
        this.action = Action.COPYING;
    }

    /** For a table copied whole: the binlog position its copied rows correspond to; {@code null} otherwise. */
    public BinlogPosition snapshotPosition() {
        return snapshotPosition;
    }

    void batchWritten(int rowCount, long byteCount, String lastKey) {
        rows.addAndGet(rowCount);
        bytes.addAndGet(byteCount);
        this.lastKey = lastKey;
    }

    /** A batch took {@code nanos} from its read to its target commit. */
    void batchTook(long nanos) {
        metrics.batchCopied(nanos);
    }

    /** A batch failed with an error; {@code retried} when it is tried again. */
    void batchFailed(boolean retried) {
        metrics.copyError(retried);
    }

    /** The table is copied again from scratch (after a schema change): counts start over. */
    void restarted() {
        rows.set(0);
        bytes.set(0);
        lastKey = null;
        targetKey = null;
        this.action = Action.WAITING;
    }

    public void completed() {
        this.action = Action.COMPLETED;
        done.countDown();
    }

    /** Waits until the table's copy completed. */
    public void awaitCompleted() throws InterruptedException {
        done.await();
    }

    public boolean isCompleted() {
        return action == Action.COMPLETED;
    }

    public long rowsWritten() {
        return rows.get();
    }

    public TableStatus status() {
        return new TableStatus(table.toString(), keyColumns, action.label, lastKey, targetKey, rows.get(), bytes.get());
    }
}

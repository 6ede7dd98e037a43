package io.ferry.copy.internal;

import io.ferry.core.TableId;
import io.ferry.core.control.TableStatus;
import java.util.concurrent.atomic.AtomicLong;

/** Live copy progress of one table, updated by its copier and read by status reporting. */
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
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private volatile Action action = Action.WAITING;
    private volatile String lastKey;
    private volatile String targetKey;

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

    void completed() {
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

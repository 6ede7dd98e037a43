package io.ferry.copy;

import io.ferry.core.TableId;

/**
 * Named points in a run where a caller may observe or pause it. Tests use them to force exact interleavings of
 * row copy and binlog apply (Ghostferry's BEFORE_ROW_COPY, AFTER_ROW_COPY, BEFORE_BINLOG_APPLY, AFTER_BINLOG_APPLY,
 * ROW_COPY_COMPLETED); production runs use {@link #NONE}. A hook runs on the thread doing the work and blocks it
 * while it runs.
 */
public interface RunHooks {
    RunHooks NONE = new RunHooks() {
    };

    /** The binlog streamer is connected; table bounds have not been read yet. */
    default void binlogStreamingStarted() throws InterruptedException {
    }

    /**
     * A batch of {@code rows} rows of {@code table} was read and is not yet written; with {@code LockOnSourceDB} the
     * source rows are still share-locked.
     */
    default void beforeRowCopy(TableId table, int rows) throws InterruptedException {
    }

    /** A batch of {@code table} was committed on the target. */
    default void afterRowCopy(TableId table, int rows) throws InterruptedException {
    }

    /** A transaction of {@code rowChanges} binlog row changes is about to be applied. */
    default void beforeBinlogApply(int rowChanges) throws InterruptedException {
    }

    /** A transaction of binlog row changes was committed on the target. */
    default void afterBinlogApply(int rowChanges) throws InterruptedException {
    }

    /** Every table is copied; binlog apply goes on until cutover. */
    default void rowCopyCompleted() throws InterruptedException {
    }
}

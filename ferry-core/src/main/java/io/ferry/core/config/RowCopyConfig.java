package io.ferry.core.config;

/**
 * How the row copy sizes and writes its batches.
 *
 * @param loadData   whether batches go to the target as {@code LOAD DATA LOCAL INFILE} fed from memory when the target
 *                   allows it ({@code local_infile=ON}); otherwise, and when off, as multi-row {@code INSERT IGNORE}
 * @param batchSizes Ghostferry's {@code DataIterationBatchSizePerTableOverride}, or {@code null}
 */
public record RowCopyConfig(boolean loadData, BatchSizeOverride batchSizes) {
    public static final RowCopyConfig DEFAULT = new RowCopyConfig(true, null);
}

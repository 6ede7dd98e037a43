package io.ferry.core.config;

/**
 * How the row copy writes its batches.
 *
 * @param loadData whether batches go to the target as {@code LOAD DATA LOCAL INFILE} fed from memory when the target
 *                 allows it ({@code local_infile=ON}); otherwise, and when off, as multi-row {@code INSERT IGNORE}
 */
public record RowCopyConfig(boolean loadData) {
    public static final RowCopyConfig DEFAULT = new RowCopyConfig(true);
}

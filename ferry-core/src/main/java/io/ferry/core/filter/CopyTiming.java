package io.ferry.core.filter;

/** When the rows of a table are copied, and whether its binlog changes are applied. */
public enum CopyTiming {
    /** Copied while the source is written; its binlog changes the {@link RowFilter} keeps are applied. */
    STREAMED,
    /**
     * Copied while the source is written and once more after {@code CutoverLock}, its binlog changes not applied: for
     * rows shared between subsets that are only ever inserted (Ghostferry's joined tables). The second copy adds the
     * rows that appeared meanwhile; the cutover verification checks the table whole.
     */
    RECOPIED_AT_CUTOVER,
    /** Copied only after {@code CutoverLock}, its binlog changes not applied (Ghostferry's primary-key tables). */
    AT_CUTOVER
}

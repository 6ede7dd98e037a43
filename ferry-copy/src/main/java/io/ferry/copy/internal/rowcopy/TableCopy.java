package io.ferry.copy.internal.rowcopy;

/** The copy of one table's rows to the target, paginated ({@link TableCopier}) or whole ({@link FullTableCopier}). */
public interface TableCopy {
    /** Copies the table's rows; returns the number of rows written. */
    long copy() throws InterruptedException;
}

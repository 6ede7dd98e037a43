package io.ferry.core.control;

/**
 * Copy progress of one table.
 *
 * @param table          {@code db.table} on the source
 * @param paginationKey  the key column names, comma-separated, or {@code ""} for a full-table copy
 * @param action         {@code waiting}, {@code copying} or {@code completed}
 * @param lastKey        the last key copied, rendered for people, or {@code null} before the first batch
 * @param targetKey      the last key to copy (read when the copy started), or {@code null} for an empty table
 * @param rowsWritten    rows written to the target by the copy
 * @param bytesWritten   approximate bytes of row data written
 * @param estimatedRows  the server's estimate of the table's rows when the run started (0 when unknown), for
 *                       progress bars
 */
public record TableStatus(String table, String paginationKey, String action, String lastKey, String targetKey,
                          long rowsWritten, long bytesWritten, long estimatedRows) {
    /** Progress without an estimate of the table's size. */
    public TableStatus(String table, String paginationKey, String action, String lastKey, String targetKey,
                       long rowsWritten, long bytesWritten) {
        this(table, paginationKey, action, lastKey, targetKey, rowsWritten, bytesWritten, 0);
    }

    public TableStatus withEstimatedRows(long rows) {
        return new TableStatus(table, paginationKey, action, lastKey, targetKey, rowsWritten, bytesWritten, rows);
    }

    public boolean isCompleted() {
        return "completed".equals(action);
    }
}

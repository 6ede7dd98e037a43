package io.ferry.copy;

import io.ferry.core.TableId;
import java.util.List;

/**
 * One table of a run as preflight planned it.
 *
 * @param source        the table on the source
 * @param target        its name on the target (after rewrites)
 * @param keyColumns    the pagination key, in order; empty for a table copied whole ({@code FullTableCopies})
 * @param estimatedRows the server's row estimate ({@code information_schema.TABLES.TABLE_ROWS})
 * @param selection     how a selective copy selects the table's rows (the table filter's description, else the row
 *                      filter's condition); empty when every row is copied
 * @param selectedRows  how many rows the selection holds now (counted), or -1 when every row is copied
 */
public record PlannedTable(TableId source, TableId target, List<String> keyColumns, long estimatedRows,
                           String selection, long selectedRows) {
    public PlannedTable {
        keyColumns = List.copyOf(keyColumns);
    }

    /** A table copied whole, every row. */
    public PlannedTable(TableId source, TableId target, List<String> keyColumns, long estimatedRows) {
        this(source, target, keyColumns, estimatedRows, "", -1);
    }

    /** Whether the table is copied whole rather than paginated by a key. */
    public boolean copiedWhole() {
        return keyColumns.isEmpty();
    }
}

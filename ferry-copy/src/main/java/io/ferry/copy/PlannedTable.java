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
 */
public record PlannedTable(TableId source, TableId target, List<String> keyColumns, long estimatedRows) {
    public PlannedTable {
        keyColumns = List.copyOf(keyColumns);
    }

    /** Whether the table is copied whole rather than paginated by a key. */
    public boolean copiedWhole() {
        return keyColumns.isEmpty();
    }
}

package io.ferry.binlog;

import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;

/** Rows inserted into a source table, with full images decoded against {@code schema}. */
public record RowsInserted(TableId table, TableSchema schema, List<Row> rows, ResumablePosition position,
                           Instant timestamp) implements BinlogEvent {
    public RowsInserted {
        rows = List.copyOf(rows);
    }
}

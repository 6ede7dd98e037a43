package io.ferry.binlog;

import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;

/** Rows deleted from a source table, with their full images. */
public record RowsDeleted(TableId table, TableSchema schema, List<Row> rows, ResumablePosition position,
                          Instant timestamp) implements BinlogEvent {
    public RowsDeleted {
        rows = List.copyOf(rows);
    }
}

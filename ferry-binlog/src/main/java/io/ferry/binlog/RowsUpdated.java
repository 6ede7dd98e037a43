package io.ferry.binlog;

import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;

/** Rows updated in a source table: each change has the full before and after image. */
public record RowsUpdated(TableId table, TableSchema schema, List<Change> changes, ResumablePosition position,
                          Instant timestamp) implements BinlogEvent {
    public RowsUpdated {
        changes = List.copyOf(changes);
    }

    /** One row's images before and after the update. */
    public record Change(Row before, Row after) {
    }
}

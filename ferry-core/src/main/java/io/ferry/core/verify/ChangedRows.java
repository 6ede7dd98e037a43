package io.ferry.core.verify;

import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.util.List;

/**
 * Told of the rows each applied binlog change touched, so a verifier can check them again. The run calls it after
 * the change is committed on the target, from the applier's thread; implementations must be quick and thread-safe.
 */
@FunctionalInterface
public interface ChangedRows {
    ChangedRows NONE = (table, schema, images) -> {
    };

    /**
     * @param table  the source table
     * @param schema its schema as the change was decoded
     * @param images every row image of the change: inserted rows, deleted rows, and both the before and after image
     *               of each updated row (so a key-changing update names the old key and the new one)
     */
    void changed(TableId table, TableSchema schema, List<Row> images);
}

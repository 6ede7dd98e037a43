package io.ferry.copy.internal.rowcopy;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.LoadDataRows;
import io.ferry.core.sql.SqlLiterals;
import java.util.List;

/**
 * Renders one table's copy batches for the target: as a LOAD DATA file where the run loads and the table's columns
 * can be loaded exactly (see {@link LoadDataRows#loadable}), else as {@code INSERT IGNORE} statements. Both keep a
 * row the binlog brought to the target first.
 */
final class BatchEncoder {
    private final RowInsert insert;
    private final LoadDataRows load;
    private final TableId target;

    private BatchEncoder(RowInsert insert, LoadDataRows load, TableId target) {
        this.insert = insert;
        this.load = load;
        this.target = target;
    }

    static BatchEncoder of(TableSchema schema, TableId target, SqlLiterals literals, boolean loadData) {
        boolean loads = loadData && LoadDataRows.loadable(schema.writableColumns(), literals.flavor());
        return new BatchEncoder(RowInsert.ignoringExisting(schema, target, literals),
                loads ? new LoadDataRows(target, schema.columns(), schema.writableColumns(), literals) : null, target);
    }

    /** Whether batches are loaded rather than inserted. */
    boolean loads() {
        return load != null;
    }

    /**
     * The batch of {@code rows}; {@code maxStatementBytes} bounds an INSERT (a load has no such limit).
     *
     * @throws RowInsert.RowTooLarge when one row alone does not fit in an INSERT
     */
    TargetBatch encode(List<Row> rows, long maxStatementBytes) {
        if (load == null) {
            return insert.render(rows, maxStatementBytes);
        }
        long bytes = 0;
        for (Row row : rows) {
            bytes += row.byteSize();
        }
        var data = new LoadDataRows.Bytes((int) Math.min(Integer.MAX_VALUE - 16, bytes + bytes / 8 + 64));
        try {
            for (Row row : rows) {
                load.append(data, row);
            }
        } catch (IllegalArgumentException e) {
            throw new RunFailed("cannot write a row of " + target + ": " + e.getMessage(), e);
        }
        return new TargetBatch.Load(load.statement(), data, bytes);
    }
}

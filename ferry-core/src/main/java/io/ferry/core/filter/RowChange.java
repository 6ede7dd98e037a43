package io.ferry.core.filter;

import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One row change read from the binlog, with both images where the change has them: an insert has only
 * {@link #after}, a delete only {@link #before}, an update both (full images: the run requires
 * {@code binlog_row_image=FULL}).
 *
 * @param table  the table's source schema, in the column order of the images
 * @param before the row before the change, {@code null} for an insert
 * @param after  the row after the change, {@code null} for a delete
 */
public record RowChange(TableSchema table, Row before, Row after) {
    public RowChange {
        Objects.requireNonNull(table, "table");
        if (before == null && after == null) {
            throw new IllegalArgumentException("a row change has a before image, an after image or both");
        }
    }

    public boolean isInsert() {
        return before == null;
    }

    public boolean isDelete() {
        return after == null;
    }

    public boolean isUpdate() {
        return before != null && after != null;
    }

    /**
     * The value of {@code column} before the change in MySQL's text form (an integer as its decimal digits, a string
     * as UTF-8 text), {@code null} for SQL NULL.
     *
     * @throws IllegalStateException for an insert, which has no before image
     */
    public String before(String column) {
        if (before == null) {
            throw new IllegalStateException("an insert into " + table.id() + " has no before image");
        }
        return text(before, column);
    }

    /**
     * The value of {@code column} after the change, as {@link #before(String)} renders it.
     *
     * @throws IllegalStateException for a delete, which has no after image
     */
    public String after(String column) {
        if (after == null) {
            throw new IllegalStateException("a delete from " + table.id() + " has no after image");
        }
        return text(after, column);
    }

    private String text(Row row, String column) {
        byte[] value = row.get(index(column));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private int index(String column) {
        ColumnSchema c = table.column(column).orElseThrow(() -> new IllegalArgumentException(
                table.id() + " has no column " + column));
        return table.columns().indexOf(c);
    }
}

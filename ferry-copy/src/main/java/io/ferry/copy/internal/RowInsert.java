package io.ferry.copy.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import java.util.List;

/**
 * One multi-row {@code INSERT} of exact literals into a target table, naming the columns that can be written
 * (generated ones never are). Binary and text values go as hex, which the server parses faster than the driver
 * escapes bound bytes.
 */
final class RowInsert {
    private final SqlLiterals literals;
    private final List<ColumnSchema> writable;
    private final int[] writableIndexes;
    private final String prefix;
    private final TableId target;

    /** The rendered statement and the rows' size in text form. */
    record Rendered(String sql, long bytes) {
    }

    private RowInsert(String verb, TableSchema schema, TableId target, SqlLiterals literals) {
        this.literals = literals;
        this.target = target;
        this.writable = schema.writableColumns();
        this.writableIndexes = writable.stream().mapToInt(c -> schema.columns().indexOf(c)).toArray();
        this.prefix = verb + " INTO " + target.sql() + " ("
                + String.join(", ", writable.stream().map(c -> Sql.quote(c.name())).toList()) + ") VALUES ";
    }

    /** {@code INSERT IGNORE}: a row already on the target (brought by the binlog) is the newer one and stays. */
    static RowInsert ignoringExisting(TableSchema schema, TableId target, SqlLiterals literals) {
        return new RowInsert("INSERT IGNORE", schema, target, literals);
    }

    /** A plain {@code INSERT}: a duplicate key fails the statement. */
    static RowInsert plain(TableSchema schema, TableId target, SqlLiterals literals) {
        return new RowInsert("INSERT", schema, target, literals);
    }

    Rendered render(List<Row> rows) {
        long bytes = 0;
        for (Row row : rows) {
            bytes += row.byteSize();
        }
        var sql = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64,
                prefix.length() + 2 * bytes + 16L * rows.size() * writable.size()));
        sql.append(prefix);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            sql.append(r == 0 ? "(" : ",(");
            for (int i = 0; i < writable.size(); i++) {
                if (i > 0) {
                    sql.append(',');
                }
                try {
                    literals.append(sql, writable.get(i), row.get(writableIndexes[i]));
                } catch (IllegalArgumentException e) {
                    throw new RunFailed("cannot write a row of " + target + ": " + e.getMessage(), e);
                }
            }
            sql.append(')');
        }
        return new Rendered(sql.toString(), bytes);
    }
}

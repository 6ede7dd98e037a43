package io.ferry.binlog.internal.apply;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the target statements that replay row changes (DESIGN.md invariant 3): INSERT becomes
 * {@code INSERT IGNORE}; UPDATE and DELETE are conditional on the full old image of every writable column, so a
 * change to a row the target does not hold (not copied yet, or already newer) matches nothing.
 * <ul>
 *   <li>Generated columns are never written and never compared.</li>
 *   <li>Text, ENUM/SET and MariaDB JSON values are compared as their stored bytes ({@code CAST(col AS BINARY)}), so
 *       neither case-insensitive collations nor PAD SPACE let an old image match a different row; identity-key
 *       columns also get a plain {@code col = value} the server can use an index for. JSON from a MySQL source on a
 *       MariaDB target is compared as JSON ({@code JSON_EQUALS}): the copy wrote MySQL's own text of each document,
 *       the binlog carries its binary form, printed by ferry, and the two need not agree byte for byte.</li>
 *   <li>Without a primary key or unique NOT NULL key, several identical rows may match: {@code LIMIT 1} changes
 *       exactly one, as the source did.</li>
 *   <li>An UPDATE that changes the identity key becomes DELETE of the old image plus INSERT IGNORE of the new one: a
 *       plain UPDATE would be a no-op when the old row is not copied yet although the copy has already passed the
 *       new key (the row would be lost), and would fail with a duplicate key when the copy already wrote the new
 *       key.</li>
 * </ul>
 * Not thread-safe (it caches per-table shapes); the applier uses it from one thread.
 */
public final class DmlStatements {
    private final SqlLiterals literals;
    private final ServerFlavor flavor;
    private final ServerFlavor sourceFlavor;
    private final Map<TableSchema, Shape> shapes = new HashMap<>();

    /** Statements for a target of {@code flavor}, fed from a source of the same flavor. */
    public DmlStatements(ServerFlavor flavor) {
        this(flavor, flavor);
    }

    public DmlStatements(ServerFlavor flavor, ServerFlavor sourceFlavor) {
        this.flavor = flavor;
        this.sourceFlavor = sourceFlavor;
        this.literals = new SqlLiterals(flavor);
    }

    /** {@code INSERT IGNORE INTO target (writable columns) VALUES (...), (...)} for {@code rows}. */
    public String insert(TableId target, TableSchema schema, List<Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to insert into " + target);
        }
        Shape shape = shape(schema);
        var sql = new StringBuilder(64 + rows.size() * 16 * shape.writable.length);
        sql.append("INSERT IGNORE INTO ").append(target.sql()).append(" (").append(shape.columnList).append(") VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            Row row = checked(schema, rows.get(r));
            sql.append(r == 0 ? "(" : ", (");
            for (int i = 0; i < shape.writable.length; i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                int index = shape.writable[i];
                literals.append(sql, schema.columns().get(index), row.get(index));
            }
            sql.append(')');
        }
        return sql.toString();
    }

    /**
     * The statements that replay one row update: one conditional UPDATE, or DELETE + INSERT IGNORE when the
     * identity key changes (see the class comment).
     */
    public List<String> update(TableId target, TableSchema schema, Row before, Row after) {
        return update(target, schema, before, after, false);
    }

    /**
     * Like {@link #update(TableId, TableSchema, Row, Row)}; for a parent of cascading foreign keys
     * ({@code cascading}) a key change first tries the UPDATE itself (IGNORE: the copy may already hold the new key),
     * so the target's ON UPDATE actions reach the child rows, then falls back to DELETE + INSERT IGNORE.
     */
    public List<String> update(TableId target, TableSchema schema, Row before, Row after, boolean cascading) {
        Shape shape = shape(schema);
        checked(schema, before);
        checked(schema, after);
        if (shape.keyChanges(before, after)) {
            String delete = delete(target, schema, before);
            String insert = insert(target, schema, List.of(after));
            return cascading ? List.of(conditionalUpdate(target, schema, shape, before, after, true), delete, insert)
                    : List.of(delete, insert);
        }
        return List.of(conditionalUpdate(target, schema, shape, before, after, false));
    }

    private String conditionalUpdate(TableId target, TableSchema schema, Shape shape, Row before, Row after,
                                     boolean ignore) {
        var sql = new StringBuilder(128);
        sql.append(ignore ? "UPDATE IGNORE " : "UPDATE ").append(target.sql()).append(" SET ");
        for (int i = 0; i < shape.writable.length; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            int index = shape.writable[i];
            ColumnSchema c = schema.columns().get(index);
            sql.append(shape.quoted[i]).append(" = ");
            literals.append(sql, c, after.get(index));
        }
        appendWhere(sql, schema, shape, before);
        return sql.toString();
    }

    /** {@code DELETE FROM target WHERE <full old image>} for one row. */
    public String delete(TableId target, TableSchema schema, Row row) {
        Shape shape = shape(schema);
        checked(schema, row);
        var sql = new StringBuilder(128);
        sql.append("DELETE FROM ").append(target.sql());
        appendWhere(sql, schema, shape, row);
        return sql.toString();
    }

    private void appendWhere(StringBuilder sql, TableSchema schema, Shape shape, Row image) {
        sql.append(" WHERE ");
        for (int i = 0; i < shape.writable.length; i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            int index = shape.writable[i];
            ColumnSchema c = schema.columns().get(index);
            byte[] value = image.get(index);
            String col = shape.quoted[i];
            if (value == null) {
                sql.append(col).append(" IS NULL");
            } else if (c.kind() == ColumnKind.JSON && flavor == ServerFlavor.MARIADB && sourceFlavor != flavor) {
                sql.append("JSON_EQUALS(").append(col).append(", ");
                literals.append(sql, c, value);
                sql.append(')');
            } else if (comparesAsBytes(c)) {
                if (shape.inKey[i]) {
                    sql.append(col).append(" = ");
                    literals.append(sql, c, value);
                    sql.append(" AND ");
                }
                sql.append("CAST(").append(col).append(" AS BINARY) = X'");
                Sql.appendHex(sql, value);
                sql.append('\'');
            } else {
                sql.append(col).append(" = ");
                literals.append(sql, c, value);
            }
        }
        if (shape.limitOne) {
            sql.append(" LIMIT 1");
        }
    }

    /** Values whose plain {@code =} follows a collation (case, accents, trailing spaces) rather than the bytes. */
    private boolean comparesAsBytes(ColumnSchema c) {
        ColumnKind kind = c.kind();
        return kind == ColumnKind.TEXT || kind == ColumnKind.ENUM_OR_SET
                || (kind == ColumnKind.JSON && flavor == ServerFlavor.MARIADB);
    }

    private static Row checked(TableSchema schema, Row row) {
        if (row.size() != schema.columns().size()) {
            throw new IllegalArgumentException("table " + schema.id() + " has " + schema.columns().size()
                    + " columns but the row change has " + row.size() + " values");
        }
        return row;
    }

    private Shape shape(TableSchema schema) {
        return shapes.computeIfAbsent(schema, Shape::of);
    }

    /** What every statement for one table needs, computed once per schema. */
    private record Shape(int[] writable, String[] quoted, boolean[] inKey, int[] identityKey, boolean limitOne,
                         String columnList) {

        static Shape of(TableSchema schema) {
            List<ColumnSchema> columns = schema.columns();
            List<String> key = schema.identityKey();
            List<Integer> writable = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!columns.get(i).generated()) {
                    writable.add(i);
                }
            }
            int[] indexes = writable.stream().mapToInt(Integer::intValue).toArray();
            String[] quoted = new String[indexes.length];
            boolean[] inKey = new boolean[indexes.length];
            for (int i = 0; i < indexes.length; i++) {
                String name = columns.get(indexes[i]).name();
                quoted[i] = Sql.quote(name);
                inKey[i] = key.stream().anyMatch(name::equalsIgnoreCase);
            }
            int[] keyIndexes = key.stream()
                    .mapToInt(k -> columns.indexOf(schema.column(k).orElseThrow(() -> new IllegalArgumentException(
                            "table " + schema.id() + " has a key on unknown column " + k))))
                    .toArray();
            return new Shape(indexes, quoted, inKey, keyIndexes, key.isEmpty(), String.join(", ", quoted));
        }

        boolean keyChanges(Row before, Row after) {
            for (int index : identityKey) {
                if (!Arrays.equals(before.get(index), after.get(index))) {
                    return true;
                }
            }
            return false;
        }
    }
}

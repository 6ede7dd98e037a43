package io.ferry.copy.internal;

import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SQL predicates over a (possibly composite) pagination key, ordered lexicographically by the server:
 * {@code (a, b) > (x, y)} is written {@code a > x OR (a = x AND b > y)} so the server compares each column in its own
 * collation and can use the index. Row-constructor comparisons are avoided because older servers do not use indexes
 * for them. Java never compares key values itself. A text literal carries {@code COLLATE} with the column's own
 * collation: the column's implicit collation would win over the introducer's default anyway, but saying it makes
 * the comparison independent of coercibility rules (case- and accent-insensitive collations, PAD SPACE).
 */
final class KeyRange {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private final List<ColumnSchema> columns;
    private final SqlLiterals literals;

    KeyRange(List<ColumnSchema> columns, SqlLiterals literals) {
        this.columns = List.copyOf(columns);
        this.literals = literals;
    }

    List<ColumnSchema> columns() {
        return columns;
    }

    /** {@code key > value} (or {@code key < value} when {@code descending}). */
    String after(List<byte[]> value, boolean descending) {
        return compare(value, descending ? "<" : ">", false);
    }

    /** {@code key <= value} (or {@code key >= value} when {@code descending}). */
    String upTo(List<byte[]> value, boolean descending) {
        return compare(value, descending ? ">" : "<", true);
    }

    /** {@code ORDER BY a, b} with the direction on every column. */
    String orderBy(boolean descending) {
        var sb = new StringBuilder();
        for (ColumnSchema c : columns) {
            sb.append(sb.isEmpty() ? "" : ", ").append(Sql.quote(c.name())).append(descending ? " DESC" : "");
        }
        return sb.toString();
    }

    String columnList() {
        var sb = new StringBuilder();
        for (ColumnSchema c : columns) {
            sb.append(sb.isEmpty() ? "" : ", ").append(SqlLiterals.readExpression(c));
        }
        return sb.toString();
    }

    private void literal(StringBuilder sb, ColumnSchema c, byte[] value) {
        literals.append(sb, c, value);
        if (c.kind() == ColumnKind.TEXT && c.collation() != null && SAFE_NAME.matcher(c.collation()).matches()) {
            sb.append(" COLLATE ").append(c.collation());
        }
    }

    private String compare(List<byte[]> value, String op, boolean inclusive) {
        var sb = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(" OR ");
            }
            sb.append('(');
            for (int j = 0; j < i; j++) {
                sb.append(Sql.quote(columns.get(j).name())).append(" = ");
                literal(sb, columns.get(j), value.get(j));
                sb.append(" AND ");
            }
            boolean last = i == columns.size() - 1;
            sb.append(Sql.quote(columns.get(i).name())).append(' ').append(op).append(last && inclusive ? "= " : " ");
            literal(sb, columns.get(i), value.get(i));
            sb.append(')');
        }
        return sb.append(')').toString();
    }
}

package io.ferry.core.sql;

import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SQL over a (possibly composite) key whose order the server decides: {@code (a, b) > (x, y)} is written
 * {@code a > x OR (a = x AND b > y)} so each column compares in its own collation and indexes are used; Java never
 * orders key values. Text literals carry {@code COLLATE} with the collation the comparison must use.
 *
 * <p>A key read on one server can be used on another whose key columns have other character sets or collations
 * (a utf8mb3 source and a utf8mb4 target): {@link #on} gives the same order on the other table by converting its
 * columns to the first table's character set and collation, so both sides page through keys in one order. On a server
 * of another engine that does not know the first table's collation (one that was mapped when the table was created
 * there), {@link #on(List, Predicate)} compares in the other column's own collation instead.
 */
public final class KeyOrder {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]+");
    /** The columns whose values the literals are in (the side the keys were read from). */
    private final List<ColumnSchema> columns;
    /** How each column is referenced in SQL on this side. */
    private final List<String> references;
    /** How each column is read in text form on this side. */
    private final List<String> reads;
    /** Per column, the character set and collation a text literal is compared in here; null: the column's own. */
    private final List<ColumnSchema> literalTypes;
    private final SqlLiterals literals;

    private KeyOrder(List<ColumnSchema> columns, List<String> references, List<String> reads,
                     List<ColumnSchema> literalTypes, SqlLiterals literals) {
        this.columns = List.copyOf(columns);
        this.references = List.copyOf(references);
        this.reads = List.copyOf(reads);
        this.literalTypes = new ArrayList<>(literalTypes);
        this.literals = literals;
    }

    /** Key order over {@code columns}, with literals rendered by {@code literals}. */
    public static KeyOrder of(List<ColumnSchema> columns, SqlLiterals literals) {
        return new KeyOrder(columns, columns.stream().map(c -> Sql.quote(c.name())).toList(),
                columns.stream().map(SqlLiterals::readExpression).toList(), nulls(columns.size()), literals);
    }

    private static List<ColumnSchema> nulls(int n) {
        List<ColumnSchema> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(null);
        }
        return out;
    }

    /**
     * The same order and key values applied to another table whose key columns are {@code other} (same names, in
     * key order): text columns whose collation differs are compared as converted to this order's collation.
     */
    public KeyOrder on(List<ColumnSchema> other) {
        return on(other, collation -> true);
    }

    /**
     * Like {@link #on(List)}, on a server that knows the collations {@code knownThere} accepts: a text column whose
     * collation it does not know is compared in the other column's collation (values converted to its character
     * set). That order may differ from this one where the two collations disagree; the caller says so to the user.
     */
    public KeyOrder on(List<ColumnSchema> other, Predicate<String> knownThere) {
        List<String> refs = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        List<ColumnSchema> literalTypes = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSchema mine = columns.get(i);
            ColumnSchema theirs = other.get(i);
            String col = Sql.quote(theirs.name());
            boolean text = mine.kind() == ColumnKind.TEXT && theirs.kind() == ColumnKind.TEXT;
            boolean same = !text || mine.collation() == null || mine.collation().equals(theirs.collation())
                    || !SAFE_NAME.matcher(mine.collation()).matches() || !SAFE_NAME.matcher(mine.textCharset()).matches();
            String converted = "CONVERT(" + col + " USING " + mine.textCharset() + ")";
            if (same) {
                refs.add(col);
                reads.add(SqlLiterals.readExpression(theirs));
                literalTypes.add(null);
            } else if (knownThere.test(mine.collation())) {
                refs.add(converted + " COLLATE " + mine.collation());
                reads.add("CAST(" + converted + " AS BINARY)");
                literalTypes.add(null);
            } else {
                refs.add(col);
                reads.add("CAST(" + converted + " AS BINARY)");
                literalTypes.add(theirs);
            }
        }
        return new KeyOrder(columns, refs, reads, literalTypes, literals);
    }

    public List<ColumnSchema> columns() {
        return columns;
    }

    /** {@code key > value}. */
    public String after(List<byte[]> value) {
        return after(value, false);
    }

    /** {@code key > value}, or {@code key < value} when {@code descending}. */
    public String after(List<byte[]> value, boolean descending) {
        return compare(value, descending ? "<" : ">", false);
    }

    /** {@code key <= value}. */
    public String upTo(List<byte[]> value) {
        return upTo(value, false);
    }

    /** {@code key <= value}, or {@code key >= value} when {@code descending}. */
    public String upTo(List<byte[]> value, boolean descending) {
        return compare(value, descending ? ">" : "<", true);
    }

    /** {@code key = value}. */
    public String equalTo(List<byte[]> value) {
        var sb = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(references.get(i)).append(" = ");
            literal(sb, i, value.get(i));
        }
        return sb.append(')').toString();
    }

    /**
     * {@code key IN (v1, v2 ...)} for a one-column key, else {@code key = v1 OR key = v2 ...} (servers optimize an IN
     * list better than as many equalities); {@code values} must not be empty.
     */
    public String in(List<List<byte[]>> values) {
        var sb = new StringBuilder("(");
        if (columns.size() == 1) {
            sb.append(references.getFirst()).append(" IN (");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                literal(sb, 0, values.get(i).getFirst());
            }
            return sb.append("))").toString();
        }
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : " OR ").append(equalTo(values.get(i)));
        }
        return sb.append(')').toString();
    }

    /** {@code a, b} for ORDER BY, ascending. */
    public String orderBy() {
        return String.join(", ", references);
    }

    /** {@code a, b} for ORDER BY, or {@code a DESC, b DESC} when {@code descending}. */
    public String orderBy(boolean descending) {
        return descending ? String.join(", ", references.stream().map(r -> r + " DESC").toList()) : orderBy();
    }

    /**
     * The SELECT expressions that read the key in text form, in this order's character set (so keys read on either
     * side compare byte for byte).
     */
    public String selectList() {
        return String.join(", ", reads);
    }

    private void literal(StringBuilder sb, int i, byte[] value) {
        ColumnSchema c = columns.get(i);
        ColumnSchema there = literalTypes.get(i);
        if (there != null && value != null && SAFE_NAME.matcher(there.textCharset()).matches()
                && SAFE_NAME.matcher(there.collation()).matches()) {
            sb.append("CONVERT(");
            literals.append(sb, c, value);
            sb.append(" USING ").append(there.textCharset()).append(") COLLATE ").append(there.collation());
            return;
        }
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
                sb.append(references.get(j)).append(" = ");
                literal(sb, j, value.get(j));
                sb.append(" AND ");
            }
            boolean last = i == columns.size() - 1;
            sb.append(references.get(i)).append(' ').append(op).append(last && inclusive ? "= " : " ");
            literal(sb, i, value.get(i));
            sb.append(')');
        }
        return sb.append(')').toString();
    }
}

package io.ferry.core.sql;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL that makes the server fingerprint a row, shared by the copy and every verifier so both sides of a
 * comparison run the same expression. Each column contributes {@code 'N'} for NULL or {@code 'V'} + MD5 of its
 * normalised value, so NULL, {@code ''} and {@code 'NULL'} differ and no two column lists run into each other; the
 * row's fingerprint is the MD5 (32 hex digits) of those parts in column order.
 *
 * <p>Normalisation makes equal data fingerprint equally where storage may legitimately differ: text (and ENUM/SET)
 * is converted to utf8mb4 (a utf8mb3 and a utf8mb4 column holding the same text agree); FLOAT and DOUBLE map -0.0
 * to 0.0 and FLOAT is widened exactly to DOUBLE; JSON is compared as JSON (normalised by the server:
 * {@code JSON_NORMALIZE} on MariaDB, the JSON type's canonical text on MySQL), BIT as its number. Ignored columns
 * are left out; compressed columns are left out too and read raw by {@link #compressedSelectList()} so the caller
 * can compare them decompressed.
 */
public final class RowFingerprint {
    private final List<ColumnSchema> fingerprinted;
    private final List<ColumnSchema> compressed;
    private final ServerFlavor flavor;
    private final Set<String> jsonText;

    /**
     * @param schema     the table on the side the expression runs on
     * @param ignored    column names (any case) left out of the comparison
     * @param compressed column names (any case) compared outside SQL, after decompression
     * @param flavor     the server the expression runs on
     */
    public RowFingerprint(TableSchema schema, Set<String> ignored, Set<String> compressed, ServerFlavor flavor) {
        this(schema, ignored, compressed, flavor, Set.of());
    }

    /**
     * @param jsonText text columns that hold JSON (MariaDB's JSON type is LONGTEXT with a {@code JSON_VALID} check;
     *                 see {@link #jsonTextColumns}), compared as JSON
     */
    public RowFingerprint(TableSchema schema, Set<String> ignored, Set<String> compressed, ServerFlavor flavor,
                          Set<String> jsonText) {
        this.jsonText = lower(jsonText);
        Set<String> ignoredLower = lower(ignored);
        Set<String> compressedLower = lower(compressed);
        List<ColumnSchema> in = new ArrayList<>();
        List<ColumnSchema> raw = new ArrayList<>();
        for (ColumnSchema c : schema.columns()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            if (ignoredLower.contains(name)) {
                continue;
            }
            (compressedLower.contains(name) ? raw : in).add(c);
        }
        this.fingerprinted = List.copyOf(in);
        this.compressed = List.copyOf(raw);
        this.flavor = flavor;
    }

    private static Set<String> lower(Set<String> names) {
        var out = new HashSet<String>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** Columns inside the fingerprint, in table order. */
    public List<ColumnSchema> fingerprinted() {
        return fingerprinted;
    }

    /** Columns compared after decompression, in table order. */
    public List<ColumnSchema> compressed() {
        return compressed;
    }

    /** The row fingerprint: an expression giving 32 lower-case hex digits. */
    public String expression() {
        var sb = new StringBuilder("MD5(CONCAT(''");
        for (ColumnSchema c : fingerprinted) {
            sb.append(", ").append(columnExpression(c));
        }
        return sb.append("))").toString();
    }

    /** One column's part of the fingerprint: {@code 'N'} for NULL, else {@code 'V'} and the MD5 of its value. */
    public String columnExpression(ColumnSchema c) {
        String col = Sql.quote(c.name());
        return "IF(" + col + " IS NULL, 'N', CONCAT('V', MD5(" + normalised(c, col) + ")))";
    }

    /** The raw values of the compressed columns, comma-separated, or "" when there are none. */
    public String compressedSelectList() {
        var sb = new StringBuilder();
        for (ColumnSchema c : compressed) {
            sb.append(sb.isEmpty() ? "" : ", ").append(SqlLiterals.readExpression(c));
        }
        return sb.toString();
    }

    private String normalisedJson(String col) {
        return flavor == ServerFlavor.MARIADB
                // Invalid JSON (possible in a MariaDB LONGTEXT) is compared as text, marked apart from JSON.
                ? "COALESCE(JSON_NORMALIZE(" + col + "), CONCAT('!', CONVERT(" + col + " USING utf8mb4)))"
                : "CAST(" + col + " AS CHAR CHARACTER SET utf8mb4)";
    }

    /**
     * The columns of {@code table} that MariaDB declares as JSON (a LONGTEXT checked by {@code JSON_VALID}); empty
     * on MySQL, whose JSON columns have their own type.
     */
    public static Set<String> jsonTextColumns(Connection c, TableId table, ServerFlavor flavor)
            throws SQLException {
        Set<String> out = new HashSet<>();
        if (flavor != ServerFlavor.MARIADB) {
            return out;
        }
        try (var ps = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            try (var rs = ps.executeQuery()) {
                var pattern = Pattern.compile("(?i)^json_valid\\(`((?:[^`]|``)+)`\\)$");
                while (rs.next()) {
                    var m = pattern.matcher(rs.getString(1).strip());
                    if (m.matches()) {
                        out.add(m.group(1).replace("``", "`"));
                    }
                }
            }
        }
        return out;
    }

    private String normalised(ColumnSchema c, String col) {
        if (jsonText.contains(c.name().toLowerCase(Locale.ROOT))) {
            return normalisedJson(col);
        }
        return switch (c.kind()) {
            case TEXT, ENUM_OR_SET -> "CONVERT(" + col + " USING utf8mb4)";
            case FLOAT -> "IF(" + col + " = 0, 0e0, CAST(" + col + " AS DOUBLE))";
            case DOUBLE -> "IF(" + col + " = 0, 0e0, " + col + ")";
            case BIT -> "CAST(" + col + " AS UNSIGNED)";
            case JSON -> normalisedJson(col);
            case INTEGER, DECIMAL, TEMPORAL, FIXED_BINARY, BINARY, GEOMETRY, UNSUPPORTED -> col;
        };
    }
}

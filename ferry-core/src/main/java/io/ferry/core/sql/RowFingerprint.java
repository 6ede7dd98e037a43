package io.ferry.core.sql;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
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
 *
 * <p><b>Portable fingerprints</b> are equal for equal data on any two engines. Most value families already
 * fingerprint identically on MySQL and MariaDB (checked: integers, DECIMAL, temporal values with fractions, BIT,
 * ENUM/SET, text in any character set and collation, binary and spatial values), but two do not: each engine
 * normalises JSON its own way, and each spells some doubles differently when it turns them into text
 * ({@code 1.500000053056283e-7} against {@code 0.0000001500000053056283}). A portable fingerprint therefore leaves
 * JSON, FLOAT and DOUBLE columns out of the server's expression; the server sends their values
 * ({@link #selectList()}) and {@link #read} finishes the fingerprint in Java, with JSON in its {@link CanonicalJson}
 * form and numbers as the double they denote. The cost is those values on the wire and a parse per value, paid only
 * by tables with such columns compared across engines; same-engine fingerprints stay one server expression.
 */
public final class RowFingerprint {
    private final List<ColumnSchema> fingerprinted;
    private final List<ColumnSchema> compressed;
    /** Fingerprinted columns whose part is computed in Java (portable: JSON, FLOAT, DOUBLE), in table order. */
    private final List<ColumnSchema> inJava;
    private final ServerFlavor flavor;
    private final Set<String> jsonText;
    /** The schema's columns, and for each fingerprinted column its index there and how the copy's read gets its part. */
    private final List<ColumnSchema> columns;
    private final int[] fingerprintedIndexes;
    private final CopyPart[] copyParts;

    /** Where {@link #fromCopyRead} takes a column's part from: the value read, the server's parts, or Java's finish. */
    private enum CopyPart { FROM_VALUE, FROM_SERVER, FINISHED_IN_JAVA }

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
        this(schema, ignored, compressed, flavor, jsonText, false);
    }

    /**
     * @param jsonText columns compared as JSON besides those of type JSON; across engines, name every column that is
     *                 JSON on either side, so both sides finish the same columns in Java
     * @param portable fingerprints equal on any engine (see the class comment); both sides of a comparison must agree,
     *                 and a fingerprint that is not {@link #serverOnly()} is read with {@link #selectList()}
     */
    public RowFingerprint(TableSchema schema, Set<String> ignored, Set<String> compressed, ServerFlavor flavor,
                          Set<String> jsonText, boolean portable) {
        this.jsonText = lower(jsonText);
        Set<String> ignoredLower = lower(ignored);
        Set<String> compressedLower = lower(compressed);
        List<ColumnSchema> in = new ArrayList<>();
        List<ColumnSchema> raw = new ArrayList<>();
        List<ColumnSchema> java = new ArrayList<>();
        for (ColumnSchema c : schema.columns()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            if (ignoredLower.contains(name)) {
                continue;
            }
            (compressedLower.contains(name) ? raw : in).add(c);
            if (portable && !compressedLower.contains(name)
                    && (isJson(c) || c.kind() == ColumnKind.FLOAT || c.kind() == ColumnKind.DOUBLE)) {
                java.add(c);
            }
        }
        this.fingerprinted = List.copyOf(in);
        this.compressed = List.copyOf(raw);
        this.inJava = List.copyOf(java);
        this.flavor = flavor;
        this.columns = schema.columns();
        this.fingerprintedIndexes = indexesIn(columns);
        this.copyParts = fingerprinted.stream().map(c -> inJava.contains(c) ? CopyPart.FINISHED_IN_JAVA
                : fromValue(c) ? CopyPart.FROM_VALUE : CopyPart.FROM_SERVER).toArray(CopyPart[]::new);
    }

    private int[] indexesIn(List<ColumnSchema> schemaColumns) {
        return fingerprinted.stream().mapToInt(schemaColumns::indexOf).toArray();
    }

    private static Set<String> lower(Set<String> names) {
        var out = new HashSet<String>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    private boolean isJson(ColumnSchema c) {
        return c.kind() == ColumnKind.JSON || jsonText.contains(c.name().toLowerCase(Locale.ROOT));
    }

    /** Columns inside the fingerprint, in table order. */
    public List<ColumnSchema> fingerprinted() {
        return fingerprinted;
    }

    /** Columns compared after decompression, in table order. */
    public List<ColumnSchema> compressed() {
        return compressed;
    }

    /** Whether {@link #expression()} is the whole fingerprint (else {@link #read} or {@link #finish} completes it). */
    public boolean serverOnly() {
        return inJava.isEmpty();
    }

    /**
     * The row fingerprint, an expression giving 32 lower-case hex digits; when not {@link #serverOnly()}, the
     * server's part of it, which {@link #finish} completes.
     */
    public String expression() {
        var sb = new StringBuilder("MD5(CONCAT(''");
        for (ColumnSchema c : fingerprinted) {
            if (!inJava.contains(c)) {
                sb.append(", ").append(columnExpression(c));
            }
        }
        return sb.append("))").toString();
    }

    /** The SELECT expressions {@link #read} reads: the {@link #expression()}, then the values finished in Java. */
    public String selectList() {
        var sb = new StringBuilder(expression());
        for (ColumnSchema c : inJava) {
            sb.append(", ").append(javaSelect(c));
        }
        return sb.toString();
    }

    /** How many result columns {@link #selectList()} has. */
    public int selectWidth() {
        return 1 + inJava.size();
    }

    /** The fingerprint of the current row of {@code rs}, read with {@link #selectList()} from column {@code first}. */
    public String read(ResultSet rs, int first) throws SQLException {
        String server = rs.getString(first);
        if (inJava.isEmpty()) {
            return server;
        }
        var parts = new StringBuilder(server);
        for (int i = 0; i < inJava.size(); i++) {
            parts.append(javaPart(inJava.get(i), rs.getBytes(first + 1 + i), StandardCharsets.UTF_8));
        }
        return md5(parts.toString());
    }

    /**
     * The fingerprint of a row read as {@code values} (text form, in the order of the schema's columns), with
     * {@code serverPart} computed by {@link #expression()} in the same read; {@code null} when a JSON value's
     * character set has no Java decoder here (the caller compares that row again through SQL).
     */
    public String finish(String serverPart, TableSchema schema, Row values) {
        if (inJava.isEmpty()) {
            return serverPart;
        }
        var parts = new StringBuilder(serverPart);
        for (ColumnSchema c : inJava) {
            Charset charset = javaCharset(c.textCharset());
            if (charset == null && isJson(c)) {
                return null;
            }
            parts.append(javaPart(c, values.get(schema.columns().indexOf(c)), charset));
        }
        return md5(parts.toString());
    }

    /**
     * What the copy adds to its read of a batch so that {@link #fromCopyRead} can fingerprint each row: one string of
     * the parts only the server can compute, in column order ({@code 'N'} or {@code 'V'} and 32 hex digits each, so
     * they split without separators). The other columns' parts are computed from the values the copy reads anyway,
     * which spares the source an MD5 per value while it holds the batch's locks.
     */
    public String copyReadExpression() {
        var sb = new StringBuilder("CONCAT(''");
        for (int i = 0; i < copyParts.length; i++) {
            if (copyParts[i] == CopyPart.FROM_SERVER) {
                sb.append(", ").append(columnExpression(fingerprinted.get(i)));
            }
        }
        return sb.append(')').toString();
    }

    /**
     * The fingerprint of a row the copy read as {@code values} (in the schema's column order, as {@link RowReader}
     * reads them), with {@code serverParts} read by {@link #copyReadExpression()}: equal to what {@link #expression()}
     * (and {@link #finish}) give for the row; {@code null} as {@link #finish} gives it.
     */
    public String fromCopyRead(String serverParts, TableSchema schema, Row values) {
        MessageDigest md5 = md5();
        // Per row: the indexes were found once for the schema the fingerprint was made for.
        int[] indexes = schema.columns() == columns ? fingerprintedIndexes : indexesIn(schema.columns());
        var parts = new StringBuilder(33 * fingerprinted.size());
        int at = 0;
        for (int i = 0; i < copyParts.length; i++) {
            switch (copyParts[i]) {
                case FROM_VALUE -> {
                    byte[] v = values.get(indexes[i]);
                    parts.append(v == null ? "N" : "V" + HexFormat.of().formatHex(md5.digest(v)));
                }
                case FROM_SERVER -> {
                    int length = serverParts.charAt(at) == 'N' ? 1 : 33;
                    parts.append(serverParts, at, at + length);
                    at += length;
                }
                case FINISHED_IN_JAVA -> { } // added by finish, after the server's part
            }
        }
        String serverPart = HexFormat.of().formatHex(md5.digest(parts.toString().getBytes(StandardCharsets.US_ASCII)));
        return finish(serverPart, schema, values);
    }

    /**
     * Whether a column's part can be computed from its value as the copy reads it, byte for byte what the server's
     * {@code MD5} of the {@link #normalised} value gives: numbers, temporal values and BIT read as their text,
     * binary and spatial values as their bytes, text already in utf8mb4's bytes. Not: zero-filled integers (which
     * servers pad differently in different contexts), FLOAT/DOUBLE (the server spells the double), JSON, other
     * character sets (converted by the server).
     */
    private boolean fromValue(ColumnSchema c) {
        if (jsonText.contains(c.name().toLowerCase(Locale.ROOT))) {
            return false;
        }
        return switch (c.kind()) {
            case INTEGER -> !c.columnType().toLowerCase(Locale.ROOT).contains("zerofill");
            case DECIMAL, TEMPORAL, BIT, FIXED_BINARY, BINARY, GEOMETRY -> true;
            case TEXT, ENUM_OR_SET -> UTF8MB4_BYTES.contains(c.textCharset().toLowerCase(Locale.ROOT));
            case FLOAT, DOUBLE, JSON, UNSUPPORTED -> false;
        };
    }

    /** Character sets whose bytes are their text's utf8mb4 bytes. */
    private static final Set<String> UTF8MB4_BYTES = Set.of("utf8mb4", "utf8mb3", "utf8", "ascii");

    /** One column's part of the fingerprint: {@code 'N'} for NULL, else {@code 'V'} and the MD5 of its value. */
    public String columnExpression(ColumnSchema c) {
        String col = Sql.quote(c.name());
        return "IF(" + col + " IS NULL, 'N', CONCAT('V', MD5(" + normalised(c, col) + ")))";
    }

    /** The SELECT expression for one column's part, read back with {@link #readColumnPart}. */
    public String columnSelect(ColumnSchema c) {
        return inJava.contains(c) ? javaSelect(c) : columnExpression(c);
    }

    /** One column's part of the fingerprint, selected with {@link #columnSelect} at {@code index} of {@code rs}. */
    public String readColumnPart(ColumnSchema c, ResultSet rs, int index) throws SQLException {
        return inJava.contains(c) ? javaPart(c, rs.getBytes(index), StandardCharsets.UTF_8) : rs.getString(index);
    }

    /** The raw values of the compressed columns, comma-separated, or "" when there are none. */
    public String compressedSelectList() {
        var sb = new StringBuilder();
        for (ColumnSchema c : compressed) {
            sb.append(sb.isEmpty() ? "" : ", ").append(SqlLiterals.readExpression(c));
        }
        return sb.toString();
    }

    /**
     * How a column finished in Java is read: JSON as utf8mb4 text whatever its type and character set; FLOAT and
     * DOUBLE in their text form, which the engines spell differently ({@code 1.500000053056283e-7} on MySQL,
     * {@code 0.0000001500000053056283} on MariaDB) for the same double.
     */
    private String javaSelect(ColumnSchema c) {
        return isJson(c) ? "CAST(CONVERT(" + Sql.quote(c.name()) + " USING utf8mb4) AS BINARY)"
                : SqlLiterals.readExpression(c);
    }

    /**
     * One column's part computed here, from its value as {@link #javaSelect} (or the copy's read) gives it, in
     * {@code charset}: JSON by its {@link CanonicalJson} form (invalid JSON, possible in a MariaDB text column, as
     * text marked apart), FLOAT and DOUBLE by the double they denote (-0 as 0).
     */
    private String javaPart(ColumnSchema c, byte[] value, Charset charset) {
        if (value == null) {
            return "N";
        }
        if (isJson(c)) {
            String json = new String(value, charset);
            return "V" + CanonicalJson.of(json).map(RowFingerprint::md5).orElseGet(() -> md5("!" + json));
        }
        double d = Double.parseDouble(new String(value, StandardCharsets.US_ASCII));
        return "V" + md5(Double.toString(d == 0 ? 0.0 : d));
    }

    private static String md5(String text) {
        return HexFormat.of().formatHex(md5().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** The Java decoder of a MySQL character set JSON text may be in; {@code null} for others. */
    private static Charset javaCharset(String mysqlCharset) {
        return switch (mysqlCharset.toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf8mb3", "utf8", "binary" -> StandardCharsets.UTF_8;
            case "ascii" -> StandardCharsets.US_ASCII;
            case "latin1" -> Charset.forName("windows-1252"); // MySQL's latin1 is cp1252
            default -> null;
        };
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

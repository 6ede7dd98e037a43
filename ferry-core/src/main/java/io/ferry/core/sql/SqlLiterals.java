package io.ferry.core.sql;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes values in text-protocol form (see {@link io.ferry.core.schema.ColumnKind}) back as SQL, exactly:
 * strings and binary values as hex with their character-set introducer, so no byte depends on the connection's
 * character set or on backslash handling; numbers verbatim; temporal values quoted (sessions run in UTC).
 * Two forms: inline literals for generated statements, and placeholders with {@link #bind} for prepared ones.
 */
public final class SqlLiterals {
    private final ServerFlavor flavor;

    public SqlLiterals(ServerFlavor flavor) {
        this.flavor = flavor;
    }

    /** The engine the literals are written for. */
    public ServerFlavor flavor() {
        return flavor;
    }

    /** Appends the literal for {@code value} (text form, {@code null} for NULL) of column {@code c}. */
    public void append(StringBuilder sql, ColumnSchema c, byte[] value) {
        if (value == null) {
            sql.append("NULL");
            return;
        }
        switch (c.kind()) {
            case INTEGER, DECIMAL, FLOAT, DOUBLE, BIT -> appendNumber(sql, c, value);
            case TEMPORAL -> appendQuotedAscii(sql, c, inTargetRange(c, value));
            case TEXT, ENUM_OR_SET -> appendText(sql, c.textCharset(), value);
            case FIXED_BINARY, BINARY, GEOMETRY -> appendHex(sql, value);
            case JSON -> {
                if (flavor == ServerFlavor.MYSQL && TypedJson.isTyped(value)) {
                    try {
                        TypedJsonLiteral.append(sql, value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("column " + c.name() + ": " + e.getMessage(), e);
                    }
                } else if (flavor == ServerFlavor.MYSQL) {
                    sql.append("CAST(");
                    appendText(sql, "utf8mb4", value);
                    sql.append(" AS JSON)");
                } else {
                    appendText(sql, c.textCharset(), TypedJson.text(value)); // MariaDB's JSON is text
                }
            }
            case UNSUPPORTED -> throw new IllegalArgumentException(
                    "column " + c.name() + " has type " + c.columnType() + ", which ferry cannot copy");
        }
    }

    /**
     * {@code value}, unless the server written to cannot hold it. MariaDB's TIME(n) goes on past 838:59:59 to
     * 838:59:59.999999 (and as far below zero), MySQL's ends there: MySQL rejects such a value, or, under INSERT
     * IGNORE, clips it to 838:59:59 with only a warning, so it is refused here, naming it.
     */
    byte[] inTargetRange(ColumnSchema c, byte[] value) {
        if (flavor != ServerFlavor.MYSQL || !c.dataType().equalsIgnoreCase("time")) {
            return value;
        }
        String text = new String(value, StandardCharsets.US_ASCII);
        String magnitude = text.startsWith("-") ? text.substring(1) : text;
        if (magnitude.startsWith("838:59:59.") && !magnitude.substring(10).chars().allMatch(ch -> ch == '0')) {
            throw new UnrepresentableValue("column " + c.name() + " (" + c.columnType() + ") holds " + text
                    + ", beyond MySQL's TIME range (-838:59:59 to 838:59:59), which MariaDB's fractions of a second"
                    + " exceed: change the value on the source (e.g. to " + (text.startsWith("-") ? "-" : "")
                    + "838:59:59) or leave the table out (Tables.Blacklist)");
        }
        return value;
    }

    /** A value the target's type cannot hold exactly; the message names the column and the value. */
    public static final class UnrepresentableValue extends IllegalArgumentException {
        UnrepresentableValue(String message) {
            super(message);
        }
    }

    /** The literal as a string; see {@link #append}. */
    public String literal(ColumnSchema c, byte[] value) {
        var sb = new StringBuilder();
        append(sb, c, value);
        return sb.toString();
    }

    /**
     * The placeholder expression for column {@code c} in a prepared statement, to be bound with {@link #bind}.
     * Text is sent as bytes and converted (not transcoded) to the column's character set on the server.
     */
    public String placeholder(ColumnSchema c) {
        return switch (c.kind()) {
            case TEXT, ENUM_OR_SET -> "CONVERT(? USING " + c.textCharset() + ")";
            case JSON -> flavor == ServerFlavor.MYSQL ? "CAST(CONVERT(? USING utf8mb4) AS JSON)"
                    : "CONVERT(? USING " + c.textCharset() + ")";
            case BIT -> "CAST(? AS UNSIGNED)";
            default -> "?";
        };
    }

    /** Binds {@code value} to the placeholder made by {@link #placeholder} at {@code index}. */
    public void bind(PreparedStatement ps, int index, ColumnSchema c, byte[] value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (c.kind()) {
            case INTEGER, DECIMAL, FLOAT, DOUBLE, BIT -> ps.setString(index, new String(value, StandardCharsets.US_ASCII));
            case TEMPORAL -> ps.setString(index, new String(inTargetRange(c, value), StandardCharsets.US_ASCII));
            case JSON -> {
                if (TypedJson.isTyped(value)) {
                    throw new IllegalArgumentException("column " + c.name() + " holds a JSON value with typed scalars,"
                            + " which only a literal can rebuild (see append)");
                }
                ps.setBytes(index, value);
            }
            case TEXT, ENUM_OR_SET, FIXED_BINARY, BINARY, GEOMETRY -> ps.setBytes(index, value);
            case UNSUPPORTED -> throw new IllegalArgumentException(
                    "column " + c.name() + " has type " + c.columnType() + ", which ferry cannot copy");
        }
    }

    /**
     * The expression that reads column {@code c} in text-protocol form in a SELECT: FLOAT is widened to DOUBLE
     * (servers print FLOAT with 6 digits, which loses bits) and BIT is read as its unsigned number. Text is read as
     * it is: every ferry session has {@code character_set_results = NULL} (see {@code DataSources}), so the server
     * sends its stored bytes unconverted, as a cast to BINARY would, without the cast's copy of every value.
     */
    public static String readExpression(ColumnSchema c) {
        String col = Sql.quote(c.name());
        return switch (c.kind()) {
            case FLOAT -> "CAST(" + col + " AS DOUBLE)";
            case BIT -> "CAST(" + col + " AS UNSIGNED)";
            default -> col;
        };
    }

    /** The SELECT list that reads every column of {@code columns} with {@link #readExpression}, comma-separated. */
    public static String selectList(List<ColumnSchema> columns) {
        var sb = new StringBuilder();
        for (ColumnSchema c : columns) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(readExpression(c));
        }
        return sb.toString();
    }

    /**
     * Reads the current row of {@code rs}, selected with {@link #selectList} for {@code columns} starting at result
     * column {@code first}, into text form. MySQL JSON values come as text only: read rows to be written with a
     * {@link RowReader}, which keeps their typed scalars.
     */
    public static Row readRow(ResultSet rs, int first, int count) throws SQLException {
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = rs.getBytes(first + i);
        }
        return new Row(values);
    }

    /** {@code value}, checked to be a number's text, which is written as it is. */
    static byte[] requireNumeric(ColumnSchema c, byte[] value) {
        for (byte b : value) {
            if (!isNumeric(b)) {
                throw new IllegalArgumentException("column " + c.name() + " (" + c.columnType()
                        + ") holds a non-numeric value: " + new String(value, StandardCharsets.ISO_8859_1));
            }
        }
        return value;
    }

    /** {@code value}, checked to be a temporal value's text, which is written as it is. */
    static byte[] requireTemporal(ColumnSchema c, byte[] value) {
        for (byte b : value) {
            if (!isTemporal(b)) {
                throw new IllegalArgumentException("column " + c.name() + " (" + c.columnType()
                        + ") holds an unexpected temporal value: " + new String(value, StandardCharsets.ISO_8859_1));
            }
        }
        return value;
    }

    // Every copied number and temporal value is checked byte by byte, so the checks are table lookups.
    private static final boolean[] NUMERIC = bytesOf("0123456789-+.eE");
    private static final boolean[] TEMPORAL = bytesOf("0123456789-:. ");

    private static boolean[] bytesOf(String chars) {
        var table = new boolean[256];
        chars.chars().forEach(ch -> table[ch] = true);
        return table;
    }

    private static boolean isNumeric(byte b) {
        return NUMERIC[b & 0xFF];
    }

    private static boolean isTemporal(byte b) {
        return TEMPORAL[b & 0xFF];
    }

    private static void appendNumber(StringBuilder sql, ColumnSchema c, byte[] value) {
        for (byte b : requireNumeric(c, value)) {
            sql.append((char) b);
        }
        if (c.kind() == ColumnKind.FLOAT || c.kind() == ColumnKind.DOUBLE) {
            appendDoubleMarker(sql, value);
        }
    }

    /**
     * Makes an integral-looking floating-point literal a DOUBLE one: {@code -0} would be the integer 0 and lose its
     * sign (MySQL stores -0.0, and prints it as {@code -0}); {@code -0e0} is the double.
     */
    private static void appendDoubleMarker(StringBuilder sql, byte[] value) {
        for (byte b : value) {
            if (b == '.' || b == 'e' || b == 'E') {
                return;
            }
        }
        sql.append("e0");
    }

    private static void appendQuotedAscii(StringBuilder sql, ColumnSchema c, byte[] value) {
        sql.append('\'');
        for (byte b : requireTemporal(c, value)) {
            sql.append((char) b);
        }
        sql.append('\'');
    }

    private static void appendText(StringBuilder sql, String charset, byte[] value) {
        sql.append('_').append(charset).append(' ');
        appendHex(sql, value);
    }

    private static void appendHex(StringBuilder sql, byte[] value) {
        sql.append("X'");
        Sql.appendHex(sql, value);
        sql.append('\'');
    }
}

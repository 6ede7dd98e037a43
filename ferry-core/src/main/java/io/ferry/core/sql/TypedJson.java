package io.ferry.core.sql;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The row form of a MySQL JSON value whose text does not say every scalar's type. MySQL's binary JSON holds
 * DECIMAL, UNSIGNED INTEGER, DATE, TIME, DATETIME, TIMESTAMP and opaque (BLOB, BIT, ...) scalars besides JSON's own
 * types, and prints them as numbers or strings: {@code 21.750000000} (a DECIMAL) reads back as a DOUBLE,
 * {@code "2001-01-01"} (a DATE) as a STRING. Such a value travels as
 * {@code 0xFF, <text>, 0xFF, <the typed scalars as JSON>}: its text plus the path and {@code JSON_TYPE} of each
 * scalar whose type the text loses; {@link SqlLiterals} rebuilds it from both on a MySQL target. A value without
 * such scalars stays plain text. 0xFF never occurs in UTF-8, so no JSON text (MySQL's, or MariaDB's text JSON)
 * can be taken for this form.
 */
public final class TypedJson {
    private static final byte MARK = (byte) 0xFF;

    /**
     * The JSON types a value's text reads back as, exactly: what needs no rebuilding; except INTEGERs above
     * {@value #LARGEST_PLAIN_INTEGER}, which MySQL's JSON parser reads as UNSIGNED INTEGER.
     */
    public static final List<String> PLAIN_TYPES =
            List.of("OBJECT", "ARRAY", "STRING", "INTEGER", "DOUBLE", "BOOLEAN", "NULL");
    public static final long LARGEST_PLAIN_INTEGER = 4_294_967_295L;

    private TypedJson() {
    }

    /** One step of a path into a JSON value. */
    public sealed interface Step {
        /** An object member. */
        record Key(String name) implements Step {
            public Key {
                Objects.requireNonNull(name, "name");
            }
        }

        /** An array element, 0-based. */
        record Index(int position) implements Step {
        }
    }

    /**
     * A scalar whose type its text does not carry.
     *
     * @param path the steps from the value's root (empty for a scalar value)
     * @param type its {@code JSON_TYPE}: DECIMAL, UNSIGNED INTEGER, DATE, TIME, DATETIME, TIMESTAMP, BLOB, BIT, OPAQUE,
     *             or INTEGER for one above {@link #LARGEST_PLAIN_INTEGER}
     */
    public record Scalar(List<Step> path, String type) {
        public Scalar {
            path = List.copyOf(path);
            Objects.requireNonNull(type, "type");
        }
    }

    /** The row form of a value of JSON text {@code text} (UTF-8) with {@code scalars}; plain text when there are none. */
    public static byte[] of(byte[] text, List<Scalar> scalars) {
        if (scalars.isEmpty()) {
            return text;
        }
        var list = new JsonArray(scalars.size());
        for (Scalar s : scalars) {
            var path = new JsonArray(s.path().size());
            for (Step step : s.path()) {
                switch (step) {
                    case Step.Key k -> path.add(k.name());
                    case Step.Index i -> path.add(i.position());
                }
            }
            var entry = new JsonArray(2);
            entry.add(path);
            entry.add(s.type());
            list.add(entry);
        }
        return of(text, list.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The row form from a value's text and its typed scalars as the server lists them (a JSON array of
     * {@code [path, type]}, paths being arrays of member names and 0-based indexes, or {@code null} for none); see
     * {@link #typesExpression}.
     */
    public static byte[] of(byte[] text, byte[] scalarsJson) {
        if (text == null || scalarsJson == null) {
            return text;
        }
        byte[] out = new byte[text.length + scalarsJson.length + 2];
        out[0] = MARK;
        System.arraycopy(text, 0, out, 1, text.length);
        out[text.length + 1] = MARK;
        System.arraycopy(scalarsJson, 0, out, text.length + 2, scalarsJson.length);
        return out;
    }

    /** Whether {@code value} is in the typed form (else it is JSON text, or null). */
    public static boolean isTyped(byte[] value) {
        return value != null && value.length > 0 && value[0] == MARK;
    }

    /** The JSON text of a row value in either form. */
    public static byte[] text(byte[] value) {
        return isTyped(value) ? Arrays.copyOfRange(value, 1, separator(value)) : value;
    }

    /** The typed scalars of a row value (empty for plain text). */
    public static List<Scalar> scalars(byte[] value) {
        if (!isTyped(value)) {
            return List.of();
        }
        int sep = separator(value);
        String json = new String(value, sep + 1, value.length - sep - 1, StandardCharsets.UTF_8);
        List<Scalar> out = new ArrayList<>();
        try {
            for (JsonElement entry : JsonParser.parseString(json).getAsJsonArray()) {
                JsonArray pair = entry.getAsJsonArray();
                List<Step> path = new ArrayList<>();
                for (JsonElement step : pair.get(0).getAsJsonArray()) {
                    path.add(step.getAsJsonPrimitive().isNumber() ? new Step.Index(step.getAsInt())
                            : new Step.Key(step.getAsString()));
                }
                out.add(new Scalar(path, pair.get(1).getAsString()));
            }
        } catch (JsonParseException | IllegalStateException | IndexOutOfBoundsException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("a typed JSON value has malformed type information: " + json, e);
        }
        return out;
    }

    /**
     * The SQL expression listing the scalars of MySQL JSON column {@code column} (qualified, so the names inside
     * cannot capture it) whose types the text loses: {@code [[path, type], ...]}, or NULL when there are none.
     * Walking a value costs more than reading it, so the walk runs only for values where a quick scan of every nested
     * value ({@code $**.*} members, {@code $**[*]} elements) finds such a scalar.
     */
    public static String typesExpression(String column) {
        String nested = "EXISTS (SELECT 1 FROM JSON_TABLE(" + column + ", '%s' COLUMNS (ferry_v JSON PATH '$'))"
                + " AS ferry_n WHERE " + needsType("ferry_n.ferry_v") + ")";
        return "CASE WHEN " + needsType(column) + " OR " + nested.formatted("$**.*") + " OR " + nested.formatted("$**[*]")
                + " THEN (WITH RECURSIVE ferry_w (ferry_p, ferry_v) AS ("
                + "SELECT CAST('[]' AS JSON), " + column
                + " UNION ALL SELECT JSON_ARRAY_APPEND(ferry_w.ferry_p, '$', ferry_k.ferry_key),"
                + " JSON_EXTRACT(ferry_w.ferry_v, CONCAT('$.', ferry_k.ferry_key)) FROM ferry_w,"
                + " JSON_TABLE(JSON_KEYS(ferry_w.ferry_v), '$[*]' COLUMNS (ferry_key JSON PATH '$')) AS ferry_k"
                + " WHERE JSON_TYPE(ferry_w.ferry_v) = 'OBJECT'"
                + " UNION ALL SELECT JSON_ARRAY_APPEND(ferry_w.ferry_p, '$', ferry_a.ferry_i - 1), ferry_a.ferry_e"
                + " FROM ferry_w, JSON_TABLE(ferry_w.ferry_v, '$[*]' COLUMNS (ferry_i FOR ORDINALITY,"
                + " ferry_e JSON PATH '$')) AS ferry_a WHERE JSON_TYPE(ferry_w.ferry_v) = 'ARRAY')"
                + " SELECT CAST(JSON_ARRAYAGG(JSON_ARRAY(ferry_w.ferry_p, JSON_TYPE(ferry_w.ferry_v))) AS BINARY)"
                + " FROM ferry_w WHERE " + needsType("ferry_w.ferry_v") + ") END";
    }

    /** Whether the JSON value {@code v} is a scalar its text does not type. */
    private static String needsType(String v) {
        String plain = String.join(", ", PLAIN_TYPES.stream().map(t -> "'" + t + "'").toList());
        return "(JSON_TYPE(" + v + ") NOT IN (" + plain + ") OR (JSON_TYPE(" + v + ") = 'INTEGER' AND " + v + " > "
                + LARGEST_PLAIN_INTEGER + "))";
    }

    private static int separator(byte[] value) {
        for (int i = 1; i < value.length; i++) {
            if (value[i] == MARK) {
                return i;
            }
        }
        throw new IllegalArgumentException("a typed JSON value lacks its type information");
    }
}

package io.ferry.core.sql;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link TypedJson} value as a MySQL expression that rebuilds it with every scalar's type: the parts that
 * hold no typed scalar as {@code CAST(<text> AS JSON)}, the containers on the way to typed scalars as
 * {@code JSON_OBJECT}/{@code JSON_ARRAY}, and each typed scalar as an SQL value of its type, which those functions
 * keep: {@code CAST(... AS DECIMAL(p,s))}, {@code CAST(... AS UNSIGNED/SIGNED)}, {@code CAST(... AS DATE/TIME(6)/DATETIME(6))},
 * {@code CAST(x'..' AS BINARY)} for VARBINARY data; TIMESTAMP, BIT and the other binary field types come from a
 * {@code JSON_TABLE} column of that SQL type, the only place SQL has values of those types without a table. Every
 * piece of text that reaches the SQL is either hex or checked against the shape its type prints in.
 */
final class TypedJsonLiteral {
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+)(?:\\.(\\d+))?");
    private static final Pattern UNSIGNED = Pattern.compile("\\d{1,20}");
    private static final Pattern SIGNED = Pattern.compile("-?\\d{1,19}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("-?\\d{2,3}:\\d{2}:\\d{2}(\\.\\d{1,6})?");
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?");
    private static final Pattern OPAQUE = Pattern.compile("base64:type(\\d{1,3}):(.*)", Pattern.DOTALL);
    private static final int MAX_DECIMAL_PRECISION = 65;
    private static final int MAX_DECIMAL_SCALE = 30;
    private static final int MAX_JSON_TIME_HOURS = 32;

    private TypedJsonLiteral() {
    }

    /** A parsed value: containers, and scalars as their JSON text, with the type of those that need one. */
    private sealed interface Node {
        boolean typed();
    }

    private record Member(String key, Node value) {
    }

    private static final class Obj implements Node {
        final List<Member> members = new ArrayList<>();
        boolean typed;

        @Override
        public boolean typed() {
            return typed;
        }
    }

    private static final class Arr implements Node {
        final List<Node> elements = new ArrayList<>();
        boolean typed;

        @Override
        public boolean typed() {
            return typed;
        }
    }

    /** A scalar: {@code json} is its JSON text; {@code value} the string's content (strings only). */
    private static final class Leaf implements Node {
        final String json;
        final String value;
        String type;

        Leaf(String json, String value) {
            this.json = json;
            this.value = value;
        }

        @Override
        public boolean typed() {
            return type != null;
        }
    }

    static void append(StringBuilder sql, byte[] value) {
        String text = new String(TypedJson.text(value), StandardCharsets.UTF_8);
        Node root = parse(text);
        for (TypedJson.Scalar s : TypedJson.scalars(value)) {
            mark(root, s);
        }
        if (root instanceof Leaf s && s.typed()) {
            // A column takes a JSON value, not an SQL scalar: wrap it, the way the server itself would.
            sql.append("JSON_EXTRACT(JSON_ARRAY(");
            render(sql, root);
            sql.append("), '$[0]')");
        } else {
            render(sql, root);
        }
    }

    private static Node parse(String text) {
        try (var reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            Node root = read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("a typed JSON value has text after its value: " + text);
            }
            return root;
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("a typed JSON value is not valid JSON: " + shortened(text), e);
        }
    }

    private static Node read(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                var obj = new Obj();
                reader.beginObject();
                while (reader.hasNext()) {
                    String key = reader.nextName();
                    obj.members.add(new Member(key, read(reader)));
                }
                reader.endObject();
                return obj;
            }
            case BEGIN_ARRAY -> {
                var arr = new Arr();
                reader.beginArray();
                while (reader.hasNext()) {
                    arr.elements.add(read(reader));
                }
                reader.endArray();
                return arr;
            }
            case STRING -> {
                String s = reader.nextString();
                return new Leaf(quote(s), s);
            }
            case NUMBER -> {
                return new Leaf(reader.nextString(), null); // the number's own digits
            }
            case BOOLEAN -> {
                return new Leaf(Boolean.toString(reader.nextBoolean()), null);
            }
            case NULL -> {
                reader.nextNull();
                return new Leaf("null", null);
            }
            default -> throw new IllegalStateException("unexpected " + reader.peek());
        }
    }

    /** Marks the scalar at {@code s.path()} with its type, and every container on the way as holding one. */
    private static void mark(Node root, TypedJson.Scalar s) {
        Node at = root;
        for (TypedJson.Step step : s.path()) {
            at = child(at, step, s);
        }
        if (!(at instanceof Leaf leaf)) {
            throw new IllegalArgumentException("the typed JSON path " + s.path() + " names a container, not a scalar");
        }
        leaf.type = s.type().toUpperCase(Locale.ROOT);
    }

    private static Node child(Node parent, TypedJson.Step step, TypedJson.Scalar s) {
        switch (step) {
            case TypedJson.Step.Key k when parent instanceof Obj o -> {
                o.typed = true;
                for (Member m : o.members) {
                    if (m.key().equals(k.name())) {
                        return m.value();
                    }
                }
            }
            case TypedJson.Step.Index i when parent instanceof Arr a && i.position() >= 0
                    && i.position() < a.elements.size() -> {
                a.typed = true;
                return a.elements.get(i.position());
            }
            default -> {
            }
        }
        throw new IllegalArgumentException("a typed JSON value has no " + step + " on the path " + s.path());
    }

    private static void render(StringBuilder sql, Node node) {
        if (!node.typed()) {
            sql.append("CAST(_utf8mb4 X'");
            Sql.appendHex(sql, json(node).getBytes(StandardCharsets.UTF_8));
            sql.append("' AS JSON)");
            return;
        }
        switch (node) {
            case Obj o -> {
                sql.append("JSON_OBJECT(");
                for (int i = 0; i < o.members.size(); i++) {
                    Member m = o.members.get(i);
                    sql.append(i == 0 ? "" : ", ").append("_utf8mb4 X'");
                    Sql.appendHex(sql, m.key().getBytes(StandardCharsets.UTF_8));
                    sql.append("', ");
                    render(sql, m.value());
                }
                sql.append(')');
            }
            case Arr a -> {
                sql.append("JSON_ARRAY(");
                for (int i = 0; i < a.elements.size(); i++) {
                    sql.append(i == 0 ? "" : ", ");
                    render(sql, a.elements.get(i));
                }
                sql.append(')');
            }
            case Leaf s -> scalar(sql, s);
        }
    }

    private static void scalar(StringBuilder sql, Leaf s) {
        switch (s.type) {
            case "DECIMAL" -> {
                Matcher m = checked(DECIMAL, s.json, s);
                int scale = m.group(2) == null ? 0 : m.group(2).length();
                int precision = Math.max(1, m.group(1).length() + scale);
                if (precision > MAX_DECIMAL_PRECISION || scale > MAX_DECIMAL_SCALE) {
                    throw new IllegalArgumentException("the JSON DECIMAL " + s.json + " exceeds DECIMAL(65,30)");
                }
                sql.append("CAST('").append(s.json).append("' AS DECIMAL(").append(precision).append(',')
                        .append(scale).append("))");
            }
            case "UNSIGNED INTEGER" -> sql.append("CAST(").append(checked(UNSIGNED, s.json, s).group())
                    .append(" AS UNSIGNED)");
            case "INTEGER" -> sql.append("CAST(").append(checked(SIGNED, s.json, s).group()).append(" AS SIGNED)");
            case "DATE" -> cast(sql, checked(DATE, s.value, s).group(), "DATE");
            case "TIME" -> cast(sql, time(checked(TIME, s.value, s).group()), "TIME(6)");
            case "DATETIME" -> cast(sql, checked(DATETIME, s.value, s).group(), "DATETIME(6)");
            case "TIMESTAMP" -> fromTable(sql, "'[\"" + checked(DATETIME, s.value, s).group() + "\"]'", "TIMESTAMP(6)");
            case "BLOB", "BIT", "OPAQUE" -> opaque(sql, s);
            default -> throw new IllegalArgumentException("ferry cannot rebuild a JSON scalar of type " + s.type
                    + " (" + shortened(s.json) + ")");
        }
    }

    /** Binary data as MySQL prints it, {@code "base64:type<field type>:<base64>"}, rebuilt with that field type. */
    private static void opaque(StringBuilder sql, Leaf s) {
        Matcher m = checked(OPAQUE, s.value, s);
        int fieldType = Integer.parseInt(m.group(1));
        byte[] data = Base64.getMimeDecoder().decode(m.group(2));
        var hex = new StringBuilder("X'");
        Sql.appendHex(hex, data);
        hex.append('\'');
        String binary = "JSON_ARRAY(CAST(" + hex + " AS BINARY))";
        switch (fieldType) {
            case 15 -> sql.append("CAST(").append(hex).append(" AS BINARY)"); // VARCHAR: VARBINARY data
            case 249 -> fromTable(sql, binary, "TINYBLOB");
            case 250 -> fromTable(sql, binary, "MEDIUMBLOB");
            case 251 -> fromTable(sql, binary, "LONGBLOB");
            case 252 -> fromTable(sql, binary, "BLOB");
            case 254 -> fromTable(sql, binary, "BINARY(" + data.length + ")"); // STRING: BINARY(n) data
            case 16 -> {
                if (data.length == 0 || data.length > 8) {
                    throw new IllegalArgumentException("a JSON BIT value of " + data.length + " bytes cannot be rebuilt");
                }
                fromTable(sql, "'[" + new BigInteger(1, data) + "]'", "BIT(" + 8 * data.length + ")");
            }
            default -> throw new IllegalArgumentException("ferry cannot rebuild a JSON value holding binary data of"
                    + " MySQL field type " + fieldType + " (" + shortened(s.value) + ")");
        }
    }

    /**
     * MySQL 8.0 stores a TIME of 32 hours or more wrongly inside JSON (as {@code 24 * (h / 32) + h % 32} hours:
     * 838:00:00 becomes 630:00:00), so such a value cannot be written back as it is on the source.
     */
    private static String time(String text) {
        int hours = Integer.parseInt(text.substring(text.startsWith("-") ? 1 : 0, text.indexOf(':')));
        if (hours >= MAX_JSON_TIME_HOURS) {
            throw new IllegalArgumentException("the JSON TIME value \"" + text + "\" cannot be written exactly:"
                    + " MySQL stores JSON TIME values of " + MAX_JSON_TIME_HOURS + " hours or more wrongly"
                    + " (838:00:00 becomes 630:00:00); change it on the source (for example to a string) or leave"
                    + " the table out of the copy");
        }
        return text;
    }

    private static void cast(StringBuilder sql, String text, String type) {
        sql.append("CAST('").append(text).append("' AS ").append(type).append(')');
    }

    /** The value of a {@code JSON_TABLE} column of SQL type {@code type} read from the one-element array {@code array}. */
    private static void fromTable(StringBuilder sql, String array, String type) {
        sql.append("(SELECT JSON_EXTRACT(JSON_ARRAY(ferry_t.ferry_c), '$[0]') FROM JSON_TABLE(").append(array)
                .append(", '$[*]' COLUMNS (ferry_c ").append(type).append(" PATH '$')) AS ferry_t)");
    }

    private static Matcher checked(Pattern shape, String text, Leaf s) {
        Matcher m = text == null ? null : shape.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("a JSON scalar of type " + s.type + " has an unexpected form: "
                    + shortened(s.json));
        }
        return m;
    }

    /** The JSON text of a subtree, its numbers with their own digits. */
    private static String json(Node node) {
        var out = new StringBuilder();
        appendJson(out, node);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Node node) {
        switch (node) {
            case Obj o -> {
                out.append('{');
                for (int i = 0; i < o.members.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(quote(o.members.get(i).key())).append(": ");
                    appendJson(out, o.members.get(i).value());
                }
                out.append('}');
            }
            case Arr a -> {
                out.append('[');
                for (int i = 0; i < a.elements.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    appendJson(out, a.elements.get(i));
                }
                out.append(']');
            }
            case Leaf s -> out.append(s.json);
        }
    }

    private static String quote(String s) {
        try (var w = new StringWriter(); var writer = new JsonWriter(w)) {
            writer.value(s);
            writer.flush();
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortened(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

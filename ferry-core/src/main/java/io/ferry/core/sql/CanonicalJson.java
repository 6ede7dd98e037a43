package io.ferry.core.sql;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One text per JSON value, whichever server printed it: MySQL prints its JSON type with sorted keys and
 * {@code ", "} separators ({@code {"a": 100.0}}), MariaDB keeps the text as written ({@code {"a":1e2}}). Here
 * object members are sorted by key (stable, so duplicate keys are kept, in order), there is no whitespace, strings
 * use the fewest escapes, and numbers are exact decimals in one spelling ({@code 1e2}, {@code 100} and
 * {@code 100.0} are all {@code 1e2}; a number that lost digits, e.g. to MySQL's doubles, stays different).
 */
public final class CanonicalJson {
    private static final Comparator<Map.Entry<String, String>> BY_KEY = Map.Entry.comparingByKey();

    private CanonicalJson() {
    }

    /** The canonical text of {@code json}, or empty when it is not one valid JSON value. */
    public static Optional<String> of(String json) {
        try (var reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            var out = new StringBuilder(json.length());
            value(reader, out);
            return reader.peek() == JsonToken.END_DOCUMENT ? Optional.of(out.toString()) : Optional.empty();
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void value(JsonReader in, StringBuilder out) throws IOException {
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                in.beginObject();
                List<Map.Entry<String, String>> members = new ArrayList<>();
                while (in.hasNext()) {
                    String key = in.nextName();
                    var member = new StringBuilder();
                    value(in, member);
                    members.add(Map.entry(key, member.toString()));
                }
                in.endObject();
                members.sort(BY_KEY);
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    string(members.get(i).getKey(), out);
                    out.append(':').append(members.get(i).getValue());
                }
                out.append('}');
            }
            case BEGIN_ARRAY -> {
                in.beginArray();
                out.append('[');
                for (boolean first = true; in.hasNext(); first = false) {
                    out.append(first ? "" : ",");
                    value(in, out);
                }
                in.endArray();
                out.append(']');
            }
            case STRING -> string(in.nextString(), out);
            case NUMBER -> out.append(number(in.nextString()));
            case BOOLEAN -> out.append(in.nextBoolean());
            case NULL -> {
                in.nextNull();
                out.append("null");
            }
            case END_ARRAY, END_OBJECT, NAME, END_DOCUMENT -> throw new IllegalStateException("unexpected " + in.peek());
        }
    }

    /** {@code <digits>e<exponent>} of the exact value, trailing zeros removed; zero (also -0) is {@code 0}. */
    static String number(String text) {
        BigDecimal d = new BigDecimal(text);
        if (d.signum() == 0) {
            return "0";
        }
        d = d.stripTrailingZeros();
        return d.unscaledValue() + "e" + (-(long) d.scale());
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

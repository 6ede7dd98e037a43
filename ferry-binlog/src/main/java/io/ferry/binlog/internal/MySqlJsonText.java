package io.ferry.binlog.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Prints MySQL's binary JSON the way MySQL prints {@code CAST(json AS CHAR)} (sql-common/json_dom.cc
 * {@code Json_wrapper::to_string}): {@code ", "} between entries, {@code ": "} after names, doubles in the server's
 * shortest form with {@code .0} added to integral values (and the sign of -0.0 kept), DECIMAL with its scale,
 * temporal values quoted with six fraction digits, other binary data as {@code "base64:type<field type>:<base64>"}
 * with a line break every 76 characters. {@link MySqlJsonBinary} drives it.
 */
final class MySqlJsonText {
    private static final Base64.Encoder MIME_BASE64 = Base64.getMimeEncoder(76, new byte[] {'\n'});
    private final StringBuilder sb = new StringBuilder();

    void beginObject() {
        sb.append('{');
    }

    void beginArray() {
        sb.append('[');
    }

    void endObject() {
        sb.append('}');
    }

    void endArray() {
        sb.append(']');
    }

    void name(String name) {
        quoted(name);
        sb.append(": ");
    }

    void value(String value) {
        quoted(value);
    }

    void value(long value) {
        sb.append(value);
    }

    void value(double value) {
        String s = NumberText.ofDouble(value);
        sb.append(s);
        if (s.indexOf('.') < 0 && s.indexOf('e') < 0) {
            sb.append(".0");
        }
    }

    void value(BigInteger value) {
        sb.append(value);
    }

    void value(BigDecimal value) {
        sb.append(value.toPlainString());
    }

    void value(boolean value) {
        sb.append(value);
    }

    void valueNull() {
        sb.append("null");
    }

    void valueDate(int year, int month, int day) {
        sb.append('"').append(String.format("%04d-%02d-%02d", year, month, day)).append('"');
    }

    void valueDatetime(int year, int month, int day, int hour, int min, int sec, int microSeconds) {
        sb.append('"').append(String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", year, month, day, hour, min, sec,
                microSeconds)).append('"');
    }

    void valueTime(boolean negative, int hour, int min, int sec, int microSeconds) {
        sb.append('"').append(negative ? "-" : "").append(String.format("%02d:%02d:%02d.%06d", hour, min, sec,
                microSeconds)).append('"');
    }

    void valueOpaque(int fieldType, byte[] value) {
        quoted("base64:type" + fieldType + ":" + MIME_BASE64.encodeToString(value));
    }

    void nextEntry() {
        sb.append(", ");
    }

    private void quoted(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}

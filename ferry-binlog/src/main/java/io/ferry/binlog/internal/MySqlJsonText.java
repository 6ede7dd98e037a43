package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonFormatter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Prints MySQL's binary JSON the way MySQL prints {@code CAST(json AS CHAR)} (sql/json_dom.cc
 * {@code Json_wrapper::to_string}): {@code ", "} between entries, {@code ": "} after names, doubles in the server's
 * shortest form with {@code .0} added to integral values, temporal values quoted with six fraction digits.
 * Only MariaDB (where JSON is text) is available to ferry's tests, so this printer is checked against MySQL's
 * documented output only.
 */
final class MySqlJsonText implements JsonFormatter {
    private final StringBuilder sb = new StringBuilder();

    @Override
    public void beginObject(int numElements) {
        sb.append('{');
    }

    @Override
    public void beginArray(int numElements) {
        sb.append('[');
    }

    @Override
    public void endObject() {
        sb.append('}');
    }

    @Override
    public void endArray() {
        sb.append(']');
    }

    @Override
    public void name(String name) {
        quoted(name);
        sb.append(": ");
    }

    @Override
    public void value(String value) {
        quoted(value);
    }

    @Override
    public void value(int value) {
        sb.append(value);
    }

    @Override
    public void value(long value) {
        sb.append(value);
    }

    @Override
    public void value(double value) {
        String s = NumberText.ofDouble(value);
        sb.append(s);
        if (s.indexOf('.') < 0 && s.indexOf('e') < 0) {
            sb.append(".0");
        }
    }

    @Override
    public void value(BigInteger value) {
        sb.append(value);
    }

    @Override
    public void value(BigDecimal value) {
        sb.append(value.toPlainString());
    }

    @Override
    public void value(boolean value) {
        sb.append(value);
    }

    @Override
    public void valueNull() {
        sb.append("null");
    }

    @Override
    public void valueYear(int year) {
        sb.append(year);
    }

    @Override
    public void valueDate(int year, int month, int day) {
        sb.append('"').append(String.format("%04d-%02d-%02d", year, month, day)).append('"');
    }

    @Override
    public void valueDatetime(int year, int month, int day, int hour, int min, int sec, int microSeconds) {
        sb.append('"').append(String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", year, month, day, hour, min, sec,
                microSeconds)).append('"');
    }

    @Override
    public void valueTime(int hour, int min, int sec, int microSeconds) {
        String sign = hour < 0 ? "-" : "";
        sb.append('"').append(sign).append(String.format("%02d:%02d:%02d.%06d", Math.abs(hour), min, sec,
                microSeconds)).append('"');
    }

    @Override
    public void valueTimestamp(long secondsPastEpoch, int microSeconds) {
        sb.append('"').append(TemporalText.timestamp(secondsPastEpoch, microSeconds, 6)).append('"');
    }

    @Override
    public void valueOpaque(ColumnType type, byte[] value) {
        sb.append("\"base64:type").append(type.getCode()).append(':')
                .append(Base64.getEncoder().encodeToString(value)).append('"');
    }

    @Override
    public void nextEntry() {
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

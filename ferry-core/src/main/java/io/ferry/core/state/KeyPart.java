package io.ferry.core.state;

import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.Sql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One column of a saved pagination key, typed so that it restores to exactly the bytes it was saved from:
 * {@code int} and {@code uint64} hold exact decimal integers (any width, unsigned included), {@code decimal} an
 * exact decimal string, {@code binary} the hex of the raw bytes (binary columns, and any value whose bytes are not
 * UTF-8), {@code string} any other value's text form as UTF-8.
 *
 * @param column the key column's name
 * @param type   {@code int}, {@code uint64}, {@code decimal}, {@code binary} or {@code string}
 * @param value  the value in that encoding, {@code null} for SQL NULL
 */
public record KeyPart(String column, String type, String value) {
    public static final String INT = "int";
    public static final String UINT64 = "uint64";
    public static final String DECIMAL = "decimal";
    public static final String BINARY = "binary";
    public static final String STRING = "string";

    public KeyPart {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        switch (type) {
            case INT, UINT64 -> {
                if (value != null) {
                    var n = new BigInteger(value); // throws on anything but an integer
                    if (type.equals(UINT64) && n.signum() < 0) {
                        throw new IllegalArgumentException("uint64 key value " + value + " is negative");
                    }
                }
            }
            case DECIMAL -> {
                if (value != null) {
                    new BigDecimal(value);
                }
            }
            case BINARY -> {
                if (value != null) {
                    HexFormat.of().parseHex(value);
                }
            }
            case STRING -> {
            }
            default -> throw new IllegalArgumentException("unknown key type '" + type
                    + "'; expected one of int, uint64, decimal, binary, string");
        }
    }

    /** The part for {@code column} holding the text-form bytes {@code text} ({@code null} for SQL NULL). */
    public static KeyPart of(ColumnSchema column, byte[] text) {
        ColumnKind kind = column.kind();
        String type = switch (kind) {
            case INTEGER -> column.unsigned() ? UINT64 : INT;
            case DECIMAL -> DECIMAL;
            case BINARY, FIXED_BINARY -> BINARY;
            default -> isUtf8(text) ? STRING : BINARY;
        };
        if (text == null) {
            return new KeyPart(column.name(), type, null);
        }
        String value = switch (type) {
            case BINARY -> HexFormat.of().formatHex(text);
            default -> new String(text, StandardCharsets.UTF_8);
        };
        return new KeyPart(column.name(), type, value);
    }

    /** The exact text-form bytes this part was saved from, or {@code null} for SQL NULL. */
    public byte[] text() {
        if (value == null) {
            return null;
        }
        return type.equals(BINARY) ? HexFormat.of().parseHex(value) : value.getBytes(StandardCharsets.UTF_8);
    }

    /** For people: integers and strings as they are, binary as {@code 0x..}. */
    public String display() {
        if (value == null) {
            return "NULL";
        }
        return type.equals(BINARY) ? "0x" + Sql.hex(text()) : value;
    }

    private static boolean isUtf8(byte[] bytes) {
        if (bytes == null) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

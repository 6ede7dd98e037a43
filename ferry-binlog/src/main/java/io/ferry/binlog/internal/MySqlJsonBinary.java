package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import io.ferry.core.sql.TypedJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Decodes MySQL's binary JSON (the format of sql-common/json_binary.h) into ferry's row form: the text MySQL would
 * print ({@link MySqlJsonText}) plus, as {@link TypedJson}, the path and type of every scalar the text does not
 * type: unsigned integers, signed ones above 2^32 - 1, DECIMAL, DATE, TIME, DATETIME, TIMESTAMP and other binary
 * ("opaque") data. The binlog library's own JSON reader cannot be used: it reports signed and unsigned integers
 * alike.
 *
 * <pre>
 * doc    ::= type value          type: 0x00/0x01 small/large object, 0x02/0x03 small/large array, 0x04 literal,
 *                                0x05..0x0a int16, uint16, int32, uint32, int64, uint64, 0x0b double,
 *                                0x0c utf8mb4 string, 0x0f opaque (a MySQL field type, a length, the data)
 * object ::= count size key-entry* value-entry* key* value*      (count, size, offsets: 2 bytes small, 4 large)
 * array  ::= count size value-entry* value*
 * key-entry   ::= offset length(2)    value-entry ::= type offset-or-inlined-value
 * </pre>
 * Offsets count from the start of the object or array; literals and 16-bit integers (and 32-bit ones in the large
 * format) are inlined into the value entry. Lengths of strings and opaque data are variable-length integers, 7 bits
 * per byte with the high bit set on all but the last. Temporal data is MySQL's packed 64-bit form
 * (sql-common/my_time.cc {@code TIME_to_longlong_datetime_packed}, {@code TIME_to_longlong_time_packed}), DECIMAL data
 * its precision, scale and binary decimal, as in rows events.
 */
final class MySqlJsonBinary {
    private static final int SMALL_OBJECT = 0x00;
    private static final int LARGE_OBJECT = 0x01;
    private static final int SMALL_ARRAY = 0x02;
    private static final int LARGE_ARRAY = 0x03;
    private static final int LITERAL = 0x04;
    private static final int INT16 = 0x05;
    private static final int UINT16 = 0x06;
    private static final int INT32 = 0x07;
    private static final int UINT32 = 0x08;
    private static final int INT64 = 0x09;
    private static final int UINT64 = 0x0a;
    private static final int DOUBLE = 0x0b;
    private static final int STRING = 0x0c;
    private static final int OPAQUE = 0x0f;

    // MySQL field types (include/field_types.h) that carry their own JSON type.
    private static final int FIELD_TIMESTAMP = 7;
    private static final int FIELD_DATE = 10;
    private static final int FIELD_TIME = 11;
    private static final int FIELD_DATETIME = 12;
    private static final int FIELD_BIT = 16;
    private static final int FIELD_NEWDECIMAL = 246;

    private final ByteBuffer in;
    private final MySqlJsonText text = new MySqlJsonText();
    private final Deque<TypedJson.Step> path = new ArrayDeque<>();
    private final List<TypedJson.Scalar> typed = new ArrayList<>();

    private MySqlJsonBinary(byte[] raw) {
        this.in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The row form of the binary JSON {@code raw}; an empty value is JSON {@code null}, as MySQL reads it. */
    static byte[] decode(byte[] raw) {
        if (raw.length == 0) {
            return "null".getBytes(StandardCharsets.US_ASCII);
        }
        var d = new MySqlJsonBinary(raw);
        try {
            d.value(raw[0] & 0xFF, 1);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed MySQL binary JSON (" + raw.length + " bytes): " + e.getMessage(),
                    e);
        }
        return TypedJson.of(d.text.toString().getBytes(StandardCharsets.UTF_8), d.typed);
    }

    /** The value of type {@code type} whose data starts at {@code at}. */
    private void value(int type, int at) {
        switch (type) {
            case SMALL_OBJECT -> container(at, false, true);
            case LARGE_OBJECT -> container(at, true, true);
            case SMALL_ARRAY -> container(at, false, false);
            case LARGE_ARRAY -> container(at, true, false);
            case LITERAL -> literal(in.get(at) & 0xFF);
            case INT16 -> text.value(in.getShort(at));
            case UINT16 -> unsigned(in.getShort(at) & 0xFFFFL);
            case INT32 -> text.value(in.getInt(at));
            case UINT32 -> unsigned(in.getInt(at) & 0xFFFFFFFFL);
            case INT64 -> {
                long v = in.getLong(at);
                if (v > TypedJson.LARGEST_PLAIN_INTEGER) {
                    typed("INTEGER"); // its text would read back as UNSIGNED INTEGER
                }
                text.value(v);
            }
            case UINT64 -> {
                typed("UNSIGNED INTEGER");
                text.value(new BigInteger(Long.toUnsignedString(in.getLong(at))));
            }
            case DOUBLE -> text.value(in.getDouble(at));
            case STRING -> {
                int[] length = varLength(at);
                text.value(new String(bytes(length[1], length[0]), StandardCharsets.UTF_8));
            }
            case OPAQUE -> opaque(in.get(at) & 0xFF, at + 1);
            default -> throw new IllegalArgumentException("unknown value type 0x" + Integer.toHexString(type));
        }
    }

    private void container(int base, boolean large, boolean object) {
        int count = offset(base, large);
        int entries = base + 2 * (large ? 4 : 2);
        int keyEntrySize = (large ? 4 : 2) + 2;
        int valueEntrySize = 1 + (large ? 4 : 2);
        int valueEntries = entries + (object ? count * keyEntrySize : 0);
        if (object) {
            text.beginObject();
        } else {
            text.beginArray();
        }
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.nextEntry();
            }
            if (object) {
                int keyEntry = entries + i * keyEntrySize;
                int keyOffset = offset(keyEntry, large);
                int keyLength = in.getShort(keyEntry + (large ? 4 : 2)) & 0xFFFF;
                String key = new String(bytes(base + keyOffset, keyLength), StandardCharsets.UTF_8);
                text.name(key);
                path.addLast(new TypedJson.Step.Key(key));
            } else {
                path.addLast(new TypedJson.Step.Index(i));
            }
            int valueEntry = valueEntries + i * valueEntrySize;
            int type = in.get(valueEntry) & 0xFF;
            if (inlined(type, large)) {
                value(type, valueEntry + 1);
            } else {
                value(type, base + offset(valueEntry + 1, large));
            }
            path.removeLast();
        }
        if (object) {
            text.endObject();
        } else {
            text.endArray();
        }
    }

    private static boolean inlined(int type, boolean large) {
        return type == LITERAL || type == INT16 || type == UINT16 || (large && (type == INT32 || type == UINT32));
    }

    private void literal(int literal) {
        switch (literal) {
            case 0x00 -> text.valueNull();
            case 0x01 -> text.value(true);
            case 0x02 -> text.value(false);
            default -> throw new IllegalArgumentException("unknown literal 0x" + Integer.toHexString(literal));
        }
    }

    private void unsigned(long value) {
        typed("UNSIGNED INTEGER");
        text.value(value);
    }

    private void opaque(int fieldType, int at) {
        int[] length = varLength(at);
        byte[] data = bytes(length[1], length[0]);
        switch (fieldType) {
            case FIELD_NEWDECIMAL -> {
                typed("DECIMAL");
                int precision = data[0] & 0xFF;
                int scale = data[1] & 0xFF;
                BigDecimal d = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale,
                        Arrays.copyOfRange(data, 2, data.length));
                text.value(d.setScale(scale));
            }
            case FIELD_DATE -> {
                typed("DATE");
                long packed = packed(data);
                long ymd = (packed >> 24) >> 17;
                text.valueDate((int) ((ymd >> 5) / 13), (int) ((ymd >> 5) % 13), (int) (ymd % 32));
            }
            case FIELD_DATETIME, FIELD_TIMESTAMP -> {
                typed(fieldType == FIELD_DATETIME ? "DATETIME" : "TIMESTAMP");
                long packed = packed(data);
                long ymdhms = packed >> 24;
                long ymd = ymdhms >> 17;
                long hms = ymdhms % (1 << 17);
                text.valueDatetime((int) ((ymd >> 5) / 13), (int) ((ymd >> 5) % 13), (int) (ymd % 32),
                        (int) (hms >> 12), (int) ((hms >> 6) % 64), (int) (hms % 64), (int) (packed % (1 << 24)));
            }
            case FIELD_TIME -> {
                typed("TIME");
                long packed = packed(data);
                boolean negative = packed < 0;
                long magnitude = Math.abs(packed);
                long hms = magnitude >> 24;
                text.valueTime(negative, (int) ((hms >> 12) % (1 << 10)), (int) ((hms >> 6) % 64), (int) (hms % 64),
                        (int) (magnitude % (1 << 24)));
            }
            default -> {
                typed(fieldType == FIELD_BIT ? "BIT" : "BLOB");
                text.valueOpaque(fieldType, data);
            }
        }
    }

    private void typed(String type) {
        typed.add(new TypedJson.Scalar(List.copyOf(path), type));
    }

    private static long packed(byte[] data) {
        if (data.length < 8) {
            throw new IllegalArgumentException("temporal data of " + data.length + " bytes");
        }
        return ByteBuffer.wrap(data, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private int offset(int at, boolean large) {
        return large ? in.getInt(at) : in.getShort(at) & 0xFFFF;
    }

    /** {@code {length, start of data}} of a variable-length-prefixed value at {@code at}. */
    private int[] varLength(int at) {
        long length = 0;
        for (int i = 0; i < 5; i++) {
            int b = in.get(at + i) & 0xFF;
            length |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (length > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("a length of " + length + " bytes");
                }
                return new int[] {(int) length, at + i + 1};
            }
        }
        throw new IllegalArgumentException("a length field longer than 5 bytes");
    }

    private byte[] bytes(int at, int length) {
        byte[] out = new byte[length];
        in.get(at, out);
        return out;
    }
}

package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.ferry.core.RunFailed;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Decodes one row image of a rows event into ferry's text form ({@link ColumnKind}), byte for byte what a text
 * result set returns for the same row when read with {@code SqlLiterals.selectList}. The table map gives each
 * column's storage type and metadata; the {@link TableSchema} gives what the binlog does not carry (signedness,
 * ENUM/SET members, character sets, BINARY length, temporal precision). Layouts follow mysql-8.0
 * sql/log_event.cc {@code log_event_print_value}.
 *
 * <p>A column absent from the image (MariaDB leaves out virtual generated columns) decodes as {@code null}: such
 * columns are never written and never compared, so nothing reads the value.
 */
public final class RowImageDecoder {
    private static final int DIG_PER_DEC = 9;
    private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

    private final TableSchema schema;
    private final byte[] types;
    private final int[] metadata;
    private final boolean mysqlJson;

    /**
     * @param mysqlJson JSON columns hold MySQL's binary JSON (on MariaDB, JSON is LONGTEXT and logged as text)
     */
    public RowImageDecoder(TableSchema schema, byte[] types, int[] metadata, boolean mysqlJson) {
        if (types.length != schema.columns().size()) {
            throw new RunFailed("the binlog has " + types.length + " columns for " + schema.id() + " but its schema has "
                    + schema.columns().size() + "; the table changed without ferry seeing the DDL");
        }
        this.schema = schema;
        this.types = types;
        this.metadata = metadata;
        this.mysqlJson = mysqlJson;
    }

    /** Reads one image of the columns in {@code present} from {@code in}. */
    public Row decode(BitSet present, ByteArrayInputStream in) throws IOException {
        List<ColumnSchema> columns = schema.columns();
        byte[][] values = new byte[columns.size()][];
        BitSet nulls = in.readBitSet(present.cardinality(), true);
        for (int i = 0, image = 0; i < columns.size(); i++) {
            if (!present.get(i)) {
                continue;
            }
            if (!nulls.get(image++)) {
                values[i] = cell(columns.get(i), types[i] & 0xFF, metadata[i], in);
            }
        }
        return new Row(values);
    }

    private byte[] cell(ColumnSchema c, int typeCode, int meta, ByteArrayInputStream in) throws IOException {
        int type = typeCode;
        int length = 0;
        if (type == ColumnType.STRING.getCode()) {
            // CHAR, BINARY, ENUM and SET share the STRING code; the real type and length are in the metadata.
            if (meta >= 256) {
                int meta0 = meta >> 8;
                int meta1 = meta & 0xFF;
                if ((meta0 & 0x30) != 0x30) {
                    type = meta0 | 0x30;
                    length = meta1 | (((meta0 & 0x30) ^ 0x30) << 4);
                } else {
                    if (meta0 == ColumnType.ENUM.getCode() || meta0 == ColumnType.SET.getCode()) {
                        type = meta0;
                    }
                    length = meta1;
                }
            } else {
                length = meta;
            }
        }
        ColumnType columnType = ColumnType.byCode(type);
        if (columnType == null) {
            throw mismatch(c, "binlog type code " + type);
        }
        return switch (columnType) {
            case TINY -> integer(c, in.read() & 0xFF, 8);
            case SHORT -> integer(c, in.readInteger(2), 16);
            case INT24 -> integer(c, in.readInteger(3), 24);
            case LONG -> integer(c, in.readInteger(4) & 0xFFFFFFFFL, 32);
            case LONGLONG -> {
                expect(c, columnType, ColumnKind.INTEGER);
                long v = in.readLong(8);
                yield ascii(c.unsigned() ? Long.toUnsignedString(v) : Long.toString(v));
            }
            case FLOAT -> {
                expect(c, columnType, ColumnKind.FLOAT);
                yield ascii(NumberText.ofDouble(Float.intBitsToFloat(in.readInteger(4))));
            }
            case DOUBLE -> {
                expect(c, columnType, ColumnKind.DOUBLE);
                yield ascii(NumberText.ofDouble(Double.longBitsToDouble(in.readLong(8))));
            }
            case NEWDECIMAL -> decimal(c, meta, in);
            case BIT -> {
                expect(c, columnType, ColumnKind.BIT);
                int bits = (meta >> 8) * 8 + (meta & 0xFF);
                yield ascii(new BigInteger(1, in.read((bits + 7) / 8)).toString());
            }
            case YEAR -> {
                expect(c, columnType, ColumnKind.TEMPORAL);
                yield ascii(TemporalText.year(in.read() & 0xFF));
            }
            case DATE -> {
                expect(c, columnType, ColumnKind.TEMPORAL);
                yield ascii(TemporalText.date(in.readInteger(3)));
            }
            case TIME -> {
                oldTemporal(c, columnType, meta);
                yield ascii(TemporalText.timeOld((in.readInteger(3) << 8) >> 8));
            }
            case TIME_V2 -> {
                expect(c, columnType, ColumnKind.TEMPORAL);
                yield ascii(TemporalText.time2(in.read(3 + TemporalText.fractionBytes(meta)), meta));
            }
            case DATETIME -> {
                oldTemporal(c, columnType, meta);
                yield ascii(TemporalText.datetimeOld(in.readLong(8)));
            }
            case DATETIME_V2 -> {
                expect(c, columnType, ColumnKind.TEMPORAL);
                yield ascii(TemporalText.datetime2(in.read(5 + TemporalText.fractionBytes(meta)), meta));
            }
            case TIMESTAMP -> {
                oldTemporal(c, columnType, meta);
                yield ascii(TemporalText.timestamp(in.readLong(4), 0, 0));
            }
            case TIMESTAMP_V2 -> {
                expect(c, columnType, ColumnKind.TEMPORAL);
                yield ascii(TemporalText.timestamp2(in.read(4 + TemporalText.fractionBytes(meta)), meta));
            }
            case STRING -> {
                byte[] raw = in.read(length < 256 ? in.readInteger(1) : in.readInteger(2));
                yield switch (c.kind()) {
                    // The binlog strips the 0x00 padding of BINARY(n); a text result set carries it.
                    case FIXED_BINARY -> raw.length < c.maxLength() ? Arrays.copyOf(raw, (int) c.maxLength()) : raw;
                    case TEXT, BINARY -> raw;
                    default -> throw mismatch(c, "CHAR/BINARY");
                };
            }
            case VARCHAR, VAR_STRING -> {
                expectText(c, columnType);
                yield in.read(meta < 256 ? in.readInteger(1) : in.readInteger(2));
            }
            case BLOB, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB -> {
                expectText(c, columnType);
                yield in.read(in.readInteger(meta));
            }
            case GEOMETRY -> {
                expect(c, columnType, ColumnKind.GEOMETRY);
                yield in.read(in.readInteger(meta));
            }
            case JSON -> json(c, in.read(in.readInteger(meta)));
            case ENUM -> {
                expect(c, columnType, ColumnKind.ENUM_OR_SET);
                int index = in.readInteger(length);
                yield index == 0 || index > c.members().size() ? new byte[0]
                        : c.members().get(index - 1).getBytes(charset(c));
            }
            case SET -> {
                expect(c, columnType, ColumnKind.ENUM_OR_SET);
                yield set(c, in.readLong(length));
            }
            default -> throw mismatch(c, "binlog type " + columnType);
        };
    }

    private static byte[] integer(ColumnSchema c, long unsignedValue, int bits) {
        if (c.kind() != ColumnKind.INTEGER) {
            throw mismatch(c, bits + "-bit integer");
        }
        long v = unsignedValue;
        if (!c.unsigned() && (v & (1L << (bits - 1))) != 0) {
            v -= 1L << bits;
        }
        return ascii(Long.toString(v));
    }

    private static byte[] decimal(ColumnSchema c, int meta, ByteArrayInputStream in) throws IOException {
        expect(c, ColumnType.NEWDECIMAL, ColumnKind.DECIMAL);
        int precision = meta & 0xFF;
        int scale = meta >> 8;
        int intDigits = precision - scale;
        int ipd = intDigits / DIG_PER_DEC;
        int fpd = scale / DIG_PER_DEC;
        int size = (ipd << 2) + DIG_TO_BYTES[intDigits - ipd * DIG_PER_DEC]
                + (fpd << 2) + DIG_TO_BYTES[scale - fpd * DIG_PER_DEC];
        BigDecimal value = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, in.read(size));
        return ascii(value.setScale(scale).toPlainString());
    }

    private byte[] json(ColumnSchema c, byte[] raw) {
        expect(c, ColumnType.JSON, ColumnKind.JSON);
        if (!mysqlJson) {
            return raw;
        }
        try {
            return MySqlJsonBinary.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new RunFailed("column " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] set(ColumnSchema c, long mask) {
        var sb = new StringBuilder();
        List<String> members = c.members();
        for (int i = 0; i < members.size() && i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                sb.append(sb.isEmpty() ? "" : ",").append(members.get(i));
            }
        }
        return sb.toString().getBytes(charset(c));
    }

    private static Charset charset(ColumnSchema c) {
        return MySqlCharsets.forName(c.charset(), "column " + c.name());
    }

    private static void expect(ColumnSchema c, ColumnType type, ColumnKind kind) {
        if (c.kind() != kind) {
            throw mismatch(c, "binlog type " + type);
        }
    }

    private static void expectText(ColumnSchema c, ColumnType type) {
        ColumnKind k = c.kind();
        // MariaDB logs JSON (a LONGTEXT) as a BLOB.
        if (k != ColumnKind.TEXT && k != ColumnKind.BINARY && k != ColumnKind.JSON) {
            throw mismatch(c, "binlog type " + type);
        }
    }

    private static void oldTemporal(ColumnSchema c, ColumnType type, int meta) {
        expect(c, type, ColumnKind.TEMPORAL);
        if (meta != 0) {
            throw new RunFailed("column " + c.name() + " (" + c.columnType() + ") uses the pre-MySQL-5.6 temporal format"
                    + " with fractional seconds, which ferry cannot decode; rebuild the table (ALTER TABLE ... FORCE)"
                    + " with mysql56_temporal_format=ON");
        }
    }

    private static RunFailed mismatch(ColumnSchema c, String binlogType) {
        return new RunFailed("column " + c.name() + " is " + c.columnType() + " in ferry's schema but the binlog logs it as "
                + binlogType + "; the table changed without ferry seeing the DDL");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.ferry.core.sql;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in the tab-separated form of {@code LOAD DATA ... CHARACTER SET binary}, with the statement that loads them
 * into the target's columns. The same values as {@link SqlLiterals} writes, without the SQL around them: the target
 * parses no literals and ferry builds no hex, so a batch costs both sides less than a multi-row {@code INSERT}.
 * Fields are raw bytes (the file's character set is {@code binary}, so text keeps its column's bytes) with
 * {@code \\}, tab, newline and NUL escaped and {@code \N} for NULL; BIT and spatial values go through a user
 * variable, since the statement would store their text as the bits.
 */
public final class LoadDataRows {
    private final SqlLiterals literals;
    private final ColumnSchema[] columns;
    private final ColumnKind[] kinds;
    private final int[] indexes;
    private final String statement;

    /**
     * Loads with {@code IGNORE}: a row already on the target (brought by the binlog) is the newer one and stays.
     *
     * @param columns the columns to write (generated ones never are), each at its index in {@code schemaColumns}
     */
    public LoadDataRows(TableId target, List<ColumnSchema> schemaColumns, List<ColumnSchema> columns,
                        SqlLiterals literals) {
        this.literals = literals;
        this.columns = columns.toArray(ColumnSchema[]::new);
        this.kinds = columns.stream().map(ColumnSchema::kind).toArray(ColumnKind[]::new);
        this.indexes = columns.stream().mapToInt(schemaColumns::indexOf).toArray();
        var targets = new StringBuilder();
        var assignments = new StringBuilder();
        for (int i = 0; i < this.columns.length; i++) {
            String name = Sql.quote(this.columns[i].name());
            targets.append(i == 0 ? "" : ", ");
            String conversion = switch (kinds[i]) {
                case BIT -> "CAST(@ferry_" + i + " AS UNSIGNED)";
                case GEOMETRY -> "@ferry_" + i;
                default -> null;
            };
            if (conversion == null) {
                targets.append(name);
            } else {
                targets.append("@ferry_").append(i);
                assignments.append(assignments.isEmpty() ? " SET " : ", ").append(name).append(" = ").append(conversion);
            }
        }
        this.statement = "LOAD DATA LOCAL INFILE 'ferry-batch' IGNORE INTO TABLE " + target.sql()
                + " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
                + targets + ")" + assignments;
    }

    /**
     * Whether rows of {@code columns} can be loaded into a {@code target} server exactly: MySQL's JSON type parses
     * its input as text, which loses the types of scalars a literal keeps (see {@link TypedJson}).
     */
    public static boolean loadable(List<ColumnSchema> columns, ServerFlavor target) {
        for (ColumnSchema c : columns) {
            ColumnKind kind = c.kind();
            if (kind == ColumnKind.UNSUPPORTED || (kind == ColumnKind.JSON && target == ServerFlavor.MYSQL)) {
                return false;
            }
        }
        return true;
    }

    /** The statement that loads what {@link #append} wrote. */
    public String statement() {
        return statement;
    }

    /** Appends {@code row} (in source schema order) as one line. */
    public void append(Bytes out, Row row) {
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                out.put((byte) '\t');
            }
            byte[] value = row.get(indexes[i]);
            if (value == null) {
                out.put((byte) '\\').put((byte) 'N');
                continue;
            }
            ColumnSchema c = columns[i];
            switch (kinds[i]) {
                case INTEGER, DECIMAL, FLOAT, DOUBLE, BIT -> out.put(SqlLiterals.requireNumeric(c, value));
                case TEMPORAL -> out.put(literals.inTargetRange(c, SqlLiterals.requireTemporal(c, value)));
                case JSON -> out.escaped(TypedJson.text(value)); // MariaDB's JSON is text; see loadable
                case TEXT, ENUM_OR_SET, FIXED_BINARY, BINARY, GEOMETRY -> out.escaped(value);
                case UNSUPPORTED -> throw new IllegalArgumentException(
                        "column " + c.name() + " has type " + c.columnType() + ", which ferry cannot copy");
            }
        }
        out.put((byte) '\n');
    }

    /** A growable byte array, handed to the driver without a copy. */
    public static final class Bytes {
        private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
        private static final long TABS = 0x0909090909090909L;
        private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

        private byte[] buf;
        private int size;

        public Bytes(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        public byte[] array() {
            return buf;
        }

        public int size() {
            return size;
        }

        Bytes put(byte b) {
            if (size == buf.length) {
                grow(1);
            }
            buf[size++] = b;
            return this;
        }

        void put(byte[] bytes) {
            if (buf.length - size < bytes.length) {
                grow(bytes.length);
            }
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        /** {@code bytes} with the four bytes the statement's field syntax gives a meaning escaped. */
        void escaped(byte[] bytes) {
            if (buf.length - size < 2 * bytes.length) {
                grow(2 * bytes.length);
            }
            byte[] b = buf;
            int n = size;
            int run = 0; // start of the bytes not copied yet: runs without a special byte go in one copy
            for (int i = nextSpecial(bytes, 0); i < bytes.length; i = nextSpecial(bytes, i + 1)) {
                System.arraycopy(bytes, run, b, n, i - run);
                n += i - run;
                b[n++] = '\\';
                b[n++] = switch (bytes[i]) {
                    case '\t' -> (byte) 't';
                    case '\n' -> (byte) 'n';
                    case 0 -> (byte) '0';
                    default -> (byte) '\\';
                };
                run = i + 1;
            }
            System.arraycopy(bytes, run, b, n, bytes.length - run);
            size = n + bytes.length - run;
        }

        /**
         * The index of the first byte at or after {@code from} that must be escaped, or the length. Text is mostly
         * free of them, so eight bytes are tested at a time: a word has a byte equal to {@code v} exactly when
         * {@code word ^ v*0x01..01} has a zero byte, which {@code (x - 0x01..01) & ~x & 0x80..80} detects.
         */
        static int nextSpecial(byte[] bytes, int from) {
            int i = from;
            for (int last = bytes.length - Long.BYTES; i <= last; i += Long.BYTES) {
                long w = (long) WORDS.get(bytes, i);
                if ((zeroByte(w) | zeroByte(w ^ BACKSLASHES) | zeroByte(w ^ TABS) | zeroByte(w ^ NEWLINES)) != 0) {
                    break;
                }
            }
            for (; i < bytes.length; i++) {
                byte v = bytes[i];
                if (v == '\\' || v == '\t' || v == '\n' || v == 0) {
                    return i;
                }
            }
            return bytes.length;
        }

        private static long zeroByte(long x) {
            return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
        }

        private void grow(int needed) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + needed));
        }
    }
}

package io.ferry.core.schema;

import java.util.Arrays;

/**
 * One row's values in MySQL text-protocol form, one entry per column of its {@link TableSchema} (generated columns
 * included), {@code null} for SQL NULL. See {@link ColumnKind} for what the bytes of each kind hold. Rows from the
 * copy and from the binlog share this form, so one renderer writes both.
 */
public record Row(byte[][] values) {

    public byte[] get(int index) {
        return values[index];
    }

    public int size() {
        return values.length;
    }

    /** Approximate payload size, for progress and batch sizing. */
    public long byteSize() {
        long n = 0;
        for (byte[] v : values) {
            n += v == null ? 1 : v.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && Arrays.deepEquals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "Row[" + values.length + " values]";
    }
}

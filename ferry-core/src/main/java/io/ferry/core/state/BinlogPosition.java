package io.ferry.core.state;

import java.util.Objects;

/**
 * A position in the source binlog: a file name and a byte offset in it. Positions order by file sequence number,
 * then offset (file names share a base name and differ in their numeric suffix).
 */
public record BinlogPosition(String file, long offset) implements Comparable<BinlogPosition> {
    public static final BinlogPosition NONE = new BinlogPosition("", 0);

    public BinlogPosition {
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("binlog offset " + offset + " is negative");
        }
    }

    public boolean isNone() {
        return file.isEmpty();
    }

    @Override
    public int compareTo(BinlogPosition o) {
        int c = Long.compare(sequence(file), sequence(o.file));
        if (c == 0) {
            c = file.compareTo(o.file);
        }
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    private static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return file + ":" + offset;
    }
}

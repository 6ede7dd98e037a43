package io.ferry.core.state;

import io.ferry.core.schema.ColumnSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A saved pagination key: one {@link KeyPart} per key column, in key order (a one-element tuple for a single-column
 * key). Restores to the exact text-form bytes the copy compared with.
 */
public record PaginationKey(List<KeyPart> parts) {
    public PaginationKey {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a pagination key has at least one column");
        }
    }

    /** The key of {@code columns} holding {@code values} (text-form bytes, one per column). */
    public static PaginationKey of(List<ColumnSchema> columns, List<byte[]> values) {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(values.size() + " key values for " + columns.size() + " key columns");
        }
        List<KeyPart> parts = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            parts.add(KeyPart.of(columns.get(i), values.get(i)));
        }
        return new PaginationKey(parts);
    }

    /** The text-form bytes of each column, in key order. */
    public List<byte[]> values() {
        List<byte[]> out = new ArrayList<>(parts.size());
        for (KeyPart p : parts) {
            out.add(p.text());
        }
        return out;
    }

    public List<String> columns() {
        return parts.stream().map(KeyPart::column).toList();
    }

    /** {@code 42}, or {@code (a, 0x01)} for a composite key. */
    public String display() {
        String joined = parts.stream().map(KeyPart::display).collect(Collectors.joining(", "));
        return parts.size() == 1 ? joined : "(" + joined + ")";
    }
}

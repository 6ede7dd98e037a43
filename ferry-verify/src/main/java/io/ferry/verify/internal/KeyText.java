package io.ferry.verify.internal;

import io.ferry.core.keyset.KeyValues;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.Sql;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Keys as text: {@link #encode} is exact and compact (each column's text-form bytes in hex, comma-separated) for
 * stores and resume state; {@link #render} is for people (numbers and text as they are, binary as {@code 0x..},
 * composite keys in parentheses).
 */
public final class KeyText {
    private KeyText() {
    }

    public static String encode(List<byte[]> key) {
        var sb = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            Sql.appendHex(sb, key.get(i));
        }
        return sb.toString();
    }

    public static List<byte[]> decode(String text) {
        List<byte[]> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            out.add(HexFormat.of().parseHex(part));
        }
        return out;
    }

    public static String render(List<ColumnSchema> columns, List<byte[]> key) {
        return KeyValues.render(columns, key);
    }
}

package io.ferry.core.keyset;

import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key values in text-protocol form, one {@code byte[]} per key column. Java only tests them for equality; their
 * order is the server's (see {@link KeysetCursor}).
 */
public final class KeyValues {
    private KeyValues() {
    }

    /** The key read from {@code width} columns of the current row, starting at column {@code first}. */
    public static List<byte[]> read(ResultSet rs, int first, int width) throws SQLException {
        List<byte[]> out = new ArrayList<>(width);
        for (int i = first; i < first + width; i++) {
            out.add(rs.getBytes(i));
        }
        return out;
    }

    /** Where the key columns stand in the schema's rows. */
    public static int[] indexes(TableSchema schema, List<ColumnSchema> keyColumns) {
        return keyColumns.stream().mapToInt(c -> schema.columns().indexOf(c)).toArray();
    }

    /** The key of {@code row}, whose key columns stand at {@code indexes}. */
    public static List<byte[]> of(Row row, int[] indexes) {
        List<byte[]> out = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            out.add(row.get(i));
        }
        return out;
    }

    /** Byte for byte the same key. */
    public static boolean same(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A key for people: integers and text as they are, binary values as hex, composite keys in parentheses. */
    public static String render(List<ColumnSchema> columns, List<byte[]> key) {
        var sb = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            ColumnKind kind = columns.get(i).kind();
            byte[] v = key.get(i);
            sb.append(i == 0 ? "" : ", ");
            if (v == null) {
                sb.append("NULL");
            } else if (kind == ColumnKind.BINARY || kind == ColumnKind.FIXED_BINARY) {
                sb.append("0x").append(Sql.hex(v));
            } else {
                sb.append(new String(v, StandardCharsets.UTF_8));
            }
        }
        return key.size() == 1 ? sb.toString() : "(" + sb + ")";
    }
}

package io.ferry.verify.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.keyset.KeysetCursor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.core.verify.VerifiedTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * Names the columns in which rows whose fingerprints differ differ: the rows are read again on both sides, with
 * one fingerprint part per column (the same parts the row fingerprint covers), and compressed columns are
 * compared decompressed.
 */
final class DifferingColumns {
    /** One side of the comparison: where it is read, through which cursor, with which fingerprint. */
    record Side(String name, DataSource rows, KeysetCursor cursor, RowFingerprint fingerprint) {
    }

    private final VerifiedTable table;
    private final Side source;
    private final Side target;
    private final BiFunction<String, SQLException, RunFailed> failed;

    /** @param failed the error for a read of the side named by its first argument that failed */
    DifferingColumns(VerifiedTable table, Side source, Side target, BiFunction<String, SQLException, RunFailed> failed) {
        this.table = table;
        this.source = source;
        this.target = target;
        this.failed = failed;
    }

    /**
     * Per changed row ({@link KeyText#encode} keys), the names of the columns whose parts differ, as the source
     * spells them; {@code sourceCompressed}/{@code targetCompressed} hold each row's compressed values as read.
     */
    Map<String, List<String>> of(List<String> keys, Map<String, byte[][]> sourceCompressed,
                                 Map<String, byte[][]> targetCompressed) {
        List<List<byte[]>> values = keys.stream().map(KeyText::decode).toList();
        Map<String, Map<String, String>> s = columnParts(source, values);
        Map<String, Map<String, String>> t = columnParts(target, values);
        List<ColumnSchema> compressed = source.fingerprint().compressed();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : keys) {
            Map<String, String> a = s.getOrDefault(k, Map.of());
            Map<String, String> b = t.getOrDefault(k, Map.of());
            List<String> names = new ArrayList<>();
            for (var e : a.entrySet()) {
                if (!Objects.equals(e.getValue(), b.get(e.getKey()))) {
                    names.add(e.getKey());
                }
            }
            for (String name : b.keySet()) {
                if (!a.containsKey(name)) {
                    names.add(name);
                }
            }
            byte[][] fs = sourceCompressed.get(k);
            byte[][] ft = targetCompressed.get(k);
            for (int i = 0; i < compressed.size(); i++) {
                String name = compressed.get(i).name();
                if (fs != null && ft != null && i < ft.length
                        && !Decompression.fingerprint(table.id(), name, fs[i])
                        .equals(Decompression.fingerprint(table.id(), name, ft[i]))) {
                    names.add(name);
                }
            }
            out.put(k, names);
        }
        return out;
    }

    private Map<String, Map<String, String>> columnParts(Side side, List<List<byte[]>> values) {
        RowFingerprint fp = side.fingerprint();
        KeysetCursor cursor = side.cursor();
        var columns = new StringBuilder(cursor.key().selectList());
        for (ColumnSchema c : fp.fingerprinted()) {
            columns.append(", ").append(fp.columnSelect(c));
        }
        int keys = cursor.width();
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        try (Connection c = side.rows().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(cursor.selectKeys(columns.toString(), values))) {
            while (rs.next()) {
                List<byte[]> k = cursor.readKey(rs, 1);
                Map<String, String> parts = new LinkedHashMap<>();
                for (int i = 0; i < fp.fingerprinted().size(); i++) {
                    ColumnSchema col = fp.fingerprinted().get(i);
                    parts.put(col.name().toLowerCase(Locale.ROOT), fp.readColumnPart(col, rs, keys + 1 + i));
                }
                out.put(KeyText.encode(k), parts);
            }
        } catch (SQLException e) {
            throw failed.apply(side.name(), e);
        }
        // Report the names as the source spells them.
        Map<String, Map<String, String>> named = new LinkedHashMap<>();
        out.forEach((k, parts) -> {
            Map<String, String> byName = new LinkedHashMap<>();
            parts.forEach((lower, v) -> byName.put(table.source().column(lower).map(ColumnSchema::name).orElse(lower), v));
            named.put(k, byName);
        });
        return named;
    }
}

package io.ferry.testing;

import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.CanonicalJson;
import io.ferry.core.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compares a table on two servers row by row and column by column. Every value is read in a form that hides
 * nothing: strings and binary values as the hex of their stored bytes, FLOAT widened to DOUBLE, temporal values in
 * UTC. Rows are matched by primary key; tables without one are compared as multisets of rows.
 */
public final class TableComparison {
    private TableComparison() {
    }

    /** The differences, at most {@code limit} of them, each a readable line; empty when the tables are identical. */
    public static List<String> differences(TestServer source, TableId sourceTable, TestServer target, TableId targetTable,
                                           int limit) {
        return differences(source, sourceTable, target, targetTable, limit, false);
    }

    /**
     * Like {@link #differences(TestServer, TableId, TestServer, TableId, int)}; with {@code jsonAsJson}, JSON values
     * are compared in their {@link CanonicalJson} form (each engine prints JSON its own way), everything else still
     * byte for byte.
     */
    public static List<String> differences(TestServer source, TableId sourceTable, TestServer target, TableId targetTable,
                                           int limit, boolean jsonAsJson) {
        TableSchema schema = schema(source, sourceTable);
        Map<String, List<String>> left = rows(source, sourceTable, schema, jsonAsJson);
        Map<String, List<String>> right = rows(target, targetTable, schema, jsonAsJson);
        List<String> out = new ArrayList<>();
        List<String> names = schema.columns().stream().map(ColumnSchema::name).toList();
        for (var entry : left.entrySet()) {
            if (out.size() >= limit) {
                return out;
            }
            List<String> other = right.get(entry.getKey());
            if (other == null) {
                out.add("row " + entry.getKey() + " is missing on the target");
            } else if (!other.equals(entry.getValue())) {
                for (int i = 0; i < names.size(); i++) {
                    if (!java.util.Objects.equals(entry.getValue().get(i), other.get(i))) {
                        out.add("row " + entry.getKey() + " column " + names.get(i) + ": source " + entry.getValue().get(i)
                                + ", target " + other.get(i));
                    }
                }
            }
        }
        for (String key : right.keySet()) {
            if (out.size() >= limit) {
                return out;
            }
            if (!left.containsKey(key)) {
                out.add("row " + key + " exists only on the target: " + right.get(key));
            }
        }
        return out;
    }

    /** Fails with the first differences when the tables differ. */
    public static void assertIdentical(TestServer source, TableId sourceTable, TestServer target, TableId targetTable) {
        assertIdentical(source, sourceTable, target, targetTable, false);
    }

    /** Fails with the first differences when the tables differ, JSON compared as JSON when {@code jsonAsJson}. */
    public static void assertIdentical(TestServer source, TableId sourceTable, TestServer target, TableId targetTable,
                                       boolean jsonAsJson) {
        List<String> diff = differences(source, sourceTable, target, targetTable, 10, jsonAsJson);
        if (!diff.isEmpty()) {
            throw new AssertionError(sourceTable + " on the source and " + targetTable + " on the target differ:\n  "
                    + String.join("\n  ", diff));
        }
    }

    private static TableSchema schema(TestServer server, TableId table) {
        try (Connection c = server.connect()) {
            return SchemaLoader.loadOne(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(server + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, List<String>> rows(TestServer server, TableId table, TableSchema schema,
                                                  boolean jsonAsJson) {
        String select = schema.columns().stream().map(c -> expression(c, jsonAsJson)).collect(Collectors.joining(", "));
        List<Integer> keyIndexes = new ArrayList<>();
        for (String k : schema.primaryKey()) {
            keyIndexes.add(schema.columns().indexOf(schema.column(k).orElseThrow()));
        }
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        try (Connection c = server.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + select + " FROM " + table.sql())) {
            int n = schema.columns().size();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    String v = rs.getString(i);
                    boolean json = jsonAsJson && schema.columns().get(i - 1).kind() == ColumnKind.JSON && v != null;
                    row.add(json ? CanonicalJson.of(new String(HexFormat.of().parseHex(v), StandardCharsets.UTF_8))
                            .orElse("invalid JSON " + v) : v);
                }
                String key;
                if (keyIndexes.isEmpty()) {
                    String whole = row.toString();
                    key = whole + " #" + duplicates.merge(whole, 1, Integer::sum);
                } else {
                    key = keyIndexes.stream().map(row::get).collect(Collectors.joining(", ", "(", ")"));
                }
                rows.put(key, Collections.unmodifiableList(row));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(server + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static String expression(ColumnSchema c, boolean jsonAsJson) {
        String col = Sql.quote(c.name());
        if (jsonAsJson && c.kind() == ColumnKind.JSON) {
            return "HEX(CONVERT(" + col + " USING utf8mb4))";
        }
        return switch (c.kind()) {
            case TEXT, ENUM_OR_SET, BINARY, FIXED_BINARY, GEOMETRY, JSON -> "HEX(" + col + ")";
            case FLOAT -> "CAST(" + col + " AS DOUBLE)";
            default -> col;
        };
    }
}

package io.ferry.core.schema;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads table schemas from {@code information_schema}: one query for columns, one for keys, per database (on MariaDB
 * one more, for its JSON columns).
 *
 * <p>MariaDB's JSON type is an alias: the column is a {@code LONGTEXT} with a {@code CHECK (json_valid(col))}
 * constraint, and {@code DATA_TYPE} says {@code longtext}. Such a column is loaded with data type {@code json} (its
 * COLUMN_TYPE stays {@code longtext}), so it is carried and compared as JSON wherever it goes, also to a MySQL
 * target, where it becomes a real JSON column.
 */
public final class SchemaLoader {
    private SchemaLoader() {
    }

    /** Base tables (no views) of {@code database}, in name order. */
    public static List<String> tableNames(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT TABLE_NAME FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME""")) {
            ps.setString(1, database);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Databases on the server, without the server's own system schemas. */
    public static List<String> databases(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!SYSTEM_SCHEMAS.contains(name.toLowerCase(Locale.ROOT))) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    public static final Set<String> SYSTEM_SCHEMAS =
            Set.of("mysql", "information_schema", "performance_schema", "sys");

    /** The schemas of {@code tables}, keyed and ordered like the argument. A missing table is absent from the map. */
    public static Map<TableId, TableSchema> load(Connection c, Collection<TableId> tables) throws SQLException {
        Map<String, List<TableId>> byDatabase = new TreeMap<>();
        for (TableId t : tables) {
            byDatabase.computeIfAbsent(t.database(), k -> new ArrayList<>()).add(t);
        }
        Map<TableId, TableSchema> loaded = new LinkedHashMap<>();
        for (var entry : byDatabase.entrySet()) {
            loaded.putAll(loadDatabase(c, entry.getKey(), entry.getValue()));
        }
        Map<TableId, TableSchema> ordered = new LinkedHashMap<>();
        for (TableId t : tables) {
            TableSchema s = loaded.get(t);
            if (s != null) {
                ordered.put(t, s);
            }
        }
        return ordered;
    }

    public static TableSchema loadOne(Connection c, TableId table) throws SQLException {
        TableSchema s = load(c, List.of(table)).get(table);
        if (s == null) {
            throw new SQLException("table " + table + " does not exist");
        }
        return s;
    }

    private static Map<TableId, TableSchema> loadDatabase(Connection c, String database, List<TableId> wanted)
            throws SQLException {
        var names = new HashSet<String>();
        wanted.forEach(t -> names.add(t.table()));
        Set<String> jsonAliases = ServerInfo.of(c).isMariaDb() ? mariaDbJsonColumns(c, database) : Set.of();
        Map<String, List<ColumnSchema>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,
                       CHARACTER_SET_NAME, COLLATION_NAME, CHARACTER_MAXIMUM_LENGTH,
                       COALESCE(NUMERIC_SCALE, DATETIME_PRECISION), EXTRA, GENERATION_EXPRESSION
                FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
                ORDER BY TABLE_NAME, ORDINAL_POSITION""")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!names.contains(table)) {
                        continue;
                    }
                    String columnType = rs.getString(5);
                    String extra = nullToEmpty(rs.getString(11)).toLowerCase(Locale.ROOT);
                    String generation = nullToEmpty(rs.getString(12));
                    boolean generated = isGenerated(extra, generation);
                    String dataType = rs.getString(4);
                    if ("longtext".equalsIgnoreCase(dataType) && jsonAliases.contains(table + "\0" + rs.getString(2))) {
                        dataType = "json";
                    }
                    columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new ColumnSchema(
                            rs.getString(2),
                            rs.getInt(3),
                            dataType,
                            columnType,
                            columnType.toLowerCase(Locale.ROOT).contains("unsigned"),
                            "YES".equals(rs.getString(6)),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getObject(9) == null ? -1 : rs.getLong(9),
                            rs.getObject(10) == null ? -1 : rs.getInt(10),
                            generated,
                            extra.contains("auto_increment"),
                            members(dataType, columnType)));
                }
            }
        }
        Map<String, Map<String, List<String>>> uniqueIndexes = new LinkedHashMap<>();
        Map<String, Set<String>> overExpressions = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
                WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0
                ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX""")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!names.contains(rs.getString(1))) {
                        continue;
                    }
                    if (rs.getString(3) == null) {
                        // A MySQL functional key part (an expression, no column): rows cannot be found by it.
                        overExpressions.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                        continue;
                    }
                    uniqueIndexes.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                            .add(rs.getString(3));
                }
            }
        }
        overExpressions.forEach((table, indexes) -> {
            var byName = uniqueIndexes.get(table);
            if (byName != null) {
                indexes.forEach(byName::remove);
            }
        });
        Map<TableId, TableSchema> out = new LinkedHashMap<>();
        for (var entry : columns.entrySet()) {
            var indexes = uniqueIndexes.getOrDefault(entry.getKey(), Map.of());
            List<String> pk = indexes.getOrDefault("PRIMARY", List.of());
            List<List<String>> unique = new ArrayList<>();
            indexes.forEach((name, cols) -> {
                if (!"PRIMARY".equals(name)) {
                    unique.add(cols);
                }
            });
            TableId id = new TableId(database, entry.getKey());
            out.put(id, new TableSchema(id, entry.getValue(), pk, unique));
        }
        return out;
    }

    /** {@code table NUL column} of every column of {@code database} with a column-level {@code json_valid} check. */
    private static Set<String> mariaDbJsonColumns(Connection c, String database) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
                WHERE CONSTRAINT_SCHEMA = ? AND LEVEL = 'Column'""")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_VALID.matcher(rs.getString(2).strip());
                    if (m.matches()) {
                        out.add(rs.getString(1) + "\0" + m.group(1).replace("``", "`"));
                    }
                }
            }
        }
        return out;
    }

    private static final Pattern JSON_VALID = Pattern.compile("(?i)^json_valid\\(`((?:[^`]|``)+)`\\)$");

    /** Members of {@code enum('a','b')} / {@code set('x','y')}, with doubled quotes undone. */
    static List<String> members(String dataType, String columnType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (!type.equals("enum") && !type.equals("set")) {
            return List.of();
        }
        int open = columnType.indexOf('(');
        int close = columnType.lastIndexOf(')');
        List<String> out = new ArrayList<>();
        var current = new StringBuilder();
        boolean quoted = false;
        for (int i = open + 1; i < close; i++) {
            char ch = columnType.charAt(i);
            if (quoted) {
                if (ch == '\'' && i + 1 < close && columnType.charAt(i + 1) == '\'') {
                    current.append('\'');
                    i++;
                } else if (ch == '\'') {
                    quoted = false;
                    out.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(ch);
                }
            } else if (ch == '\'') {
                quoted = true;
            }
        }
        return out;
    }

    /**
     * A VIRTUAL or STORED (MariaDB: PERSISTENT) generated column. MySQL 8 also writes {@code DEFAULT_GENERATED} into
     * EXTRA for every expression default ({@code DEFAULT (UUID())}, {@code DEFAULT CURRENT_TIMESTAMP}): those are
     * ordinary columns whose values must be copied, so only the generation expression and the generated-column
     * words count.
     */
    static boolean isGenerated(String extra, String generationExpression) {
        if (!generationExpression.isEmpty()) {
            return true;
        }
        for (String word : extra.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (word.equals("virtual") || word.equals("stored") || word.equals("persistent")) {
                return true;
            }
        }
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

package io.ferry.core.config;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code CascadingPaginationColumnConfig} ({@code {PerTable: {db: {table: column}}, FallbackColumn: column,
 * FullTableCopies: {db: [table, ...]}}}) into a {@link CascadingPaginationColumnConfig}. Whether the named columns exist is checked at preflight, on the source.
 */
final class PaginationColumnsSection {
    private PaginationColumnsSection() {
    }

    static CascadingPaginationColumnConfig read(JsonSection root) {
        JsonSection s = root.section("CascadingPaginationColumnConfig");
        if (s == null) {
            return CascadingPaginationColumnConfig.NONE;
        }
        Map<String, Map<String, String>> perTable = new LinkedHashMap<>();
        JsonElement perTableJson = s.get("PerTable");
        if (perTableJson != null && !perTableJson.isJsonObject()) {
            s.problems().add(s.path("PerTable"), perTableJson, "must be an object {\"database\": {\"table\": \"column\"}}, not "
                    + Problems.typeOf(perTableJson));
        } else if (perTableJson != null) {
            for (var db : perTableJson.getAsJsonObject().entrySet()) {
                String dbPath = s.path("PerTable") + "." + db.getKey();
                if (db.getValue().isJsonNull()) {
                    continue;
                }
                if (!db.getValue().isJsonObject()) {
                    s.problems().add(dbPath, db.getValue(), "must be an object {\"table\": \"column\"}, not "
                            + Problems.typeOf(db.getValue()));
                    continue;
                }
                for (var table : db.getValue().getAsJsonObject().entrySet()) {
                    JsonElement column = table.getValue();
                    if (!column.isJsonPrimitive() || !column.getAsJsonPrimitive().isString()) {
                        s.problems().add(dbPath + "." + table.getKey(), column, "must be a column name (a string), not "
                                + Problems.typeOf(column));
                    } else if (column.getAsString().isEmpty()) {
                        s.problems().add(dbPath + "." + table.getKey(), column, "must name a column; remove the entry");
                    } else {
                        perTable.computeIfAbsent(db.getKey(), k -> new LinkedHashMap<>()).put(table.getKey(), column.getAsString());
                    }
                }
            }
        }
        String fallback = s.string("FallbackColumn");
        Map<String, List<String>> fullCopies = new LinkedHashMap<>();
        JsonElement fullJson = s.get("FullTableCopies");
        if (fullJson != null && !fullJson.isJsonObject()) {
            s.problems().add(s.path("FullTableCopies"), fullJson, "must be an object {\"database\": [\"table\", ...]}, not "
                    + Problems.typeOf(fullJson));
        } else if (fullJson != null) {
            for (var db : fullJson.getAsJsonObject().entrySet()) {
                String dbPath = s.path("FullTableCopies") + "." + db.getKey();
                if (db.getValue().isJsonNull()) {
                    continue;
                }
                if (!db.getValue().isJsonArray()) {
                    s.problems().add(dbPath, db.getValue(), "must be an array of table names, not "
                            + Problems.typeOf(db.getValue()));
                    continue;
                }
                var array = db.getValue().getAsJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    JsonElement table = array.get(i);
                    String at = dbPath + "[" + i + "]";
                    if (!table.isJsonPrimitive() || !table.getAsJsonPrimitive().isString() || table.getAsString().isEmpty()) {
                        s.problems().add(at, table, "must be a table name (a non-empty string)");
                    } else if (perTable.getOrDefault(db.getKey(), Map.of()).containsKey(table.getAsString())) {
                        s.problems().add(at, table, "also has a PerTable column; a table is either paginated or "
                                + "copied whole, keep one");
                    } else {
                        fullCopies.computeIfAbsent(db.getKey(), k -> new ArrayList<>()).add(table.getAsString());
                    }
                }
            }
        }
        s.rejectUnknownKeys();
        return new CascadingPaginationColumnConfig(perTable, fallback, fullCopies);
    }
}

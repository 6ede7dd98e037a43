package io.ferry.core.config;

import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code DataIterationBatchSizePerTableOverride} ({@code {MinRowSize, MaxRowSize, ControlPoints: {"rowBytes":
 * batchRows}, TableOverride: {db: {table: batchRows}}}}) into a {@link BatchSizeOverride}, or {@code null} when absent.
 */
final class BatchSizeOverrideSection {
    static final String KEY = "DataIterationBatchSizePerTableOverride";

    private BatchSizeOverrideSection() {
    }

    static BatchSizeOverride read(JsonSection root) {
        JsonSection s = root.section(KEY);
        if (s == null) {
            return null;
        }
        Long min = s.integer("MinRowSize", 0, Integer.MAX_VALUE);
        Long max = s.integer("MaxRowSize", 0, Integer.MAX_VALUE);
        var points = new TreeMap<Integer, Integer>();
        JsonElement pointsJson = s.get("ControlPoints");
        if (pointsJson != null && !pointsJson.isJsonObject()) {
            s.problems().add(s.path("ControlPoints"), pointsJson, "must be an object {\"rowBytes\": batchRows}, not "
                    + Problems.typeOf(pointsJson));
        } else if (pointsJson != null) {
            for (var point : pointsJson.getAsJsonObject().entrySet()) {
                String path = s.path("ControlPoints") + "." + point.getKey();
                Integer size = positive(s, path, point.getValue());
                try {
                    int rowBytes = Integer.parseInt(point.getKey());
                    if (size != null && rowBytes >= 0) {
                        points.put(rowBytes, size);
                    } else if (rowBytes < 0) {
                        s.problems().add(path, "a row size must be at least 0 bytes");
                    }
                } catch (NumberFormatException e) {
                    s.problems().add(path, "must be keyed by a row size in bytes (a whole number), not \""
                            + point.getKey() + "\"");
                }
            }
        }
        Map<String, Map<String, Integer>> tables = new LinkedHashMap<>();
        JsonElement tablesJson = s.get("TableOverride");
        if (tablesJson != null && !tablesJson.isJsonObject()) {
            s.problems().add(s.path("TableOverride"), tablesJson, "must be an object {\"database\": {\"table\": batchRows}},"
                    + " not " + Problems.typeOf(tablesJson));
        } else if (tablesJson != null) {
            for (var db : tablesJson.getAsJsonObject().entrySet()) {
                String dbPath = s.path("TableOverride") + "." + db.getKey();
                if (!db.getValue().isJsonObject()) {
                    s.problems().add(dbPath, db.getValue(), "must be an object {\"table\": batchRows}, not "
                            + Problems.typeOf(db.getValue()));
                    continue;
                }
                for (var table : db.getValue().getAsJsonObject().entrySet()) {
                    Integer size = positive(s, dbPath + "." + table.getKey(), table.getValue());
                    if (size != null) {
                        tables.computeIfAbsent(db.getKey(), k -> new LinkedHashMap<>()).put(table.getKey(), size);
                    }
                }
            }
        }
        s.rejectUnknownKeys();
        if (min == null || max == null) {
            if (!s.has("MinRowSize") || !s.has("MaxRowSize")) { // else the bad value is reported already
                s.problems().add(s.path(), "needs MinRowSize and MaxRowSize (row sizes in bytes) with a batch size for"
                        + " each in ControlPoints");
            }
            return null;
        }
        if (min > max) {
            s.problems().add(s.path("MinRowSize"), "must not exceed MaxRowSize (" + max + ")");
            return null;
        }
        for (long bound : new long[] {min, max}) {
            if (!points.containsKey((int) bound)) {
                s.problems().add(s.path("ControlPoints"), "must give a batch size for " + (bound == min ? "MinRowSize"
                        : "MaxRowSize") + " (\"" + bound + "\": rows)");
                return null;
            }
        }
        return new BatchSizeOverride(min.intValue(), max.intValue(), points, tables);
    }

    private static Integer positive(JsonSection s, String path, JsonElement v) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            s.problems().add(path, v, "must be a batch size in rows (a whole number), not " + Problems.typeOf(v));
            return null;
        }
        double d = v.getAsDouble();
        if (d != Math.rint(d) || d < 1 || d > ConfigLoader.MAX_BATCH_SIZE) {
            s.problems().add(path, v, "must be a whole number of rows between 1 and " + ConfigLoader.MAX_BATCH_SIZE);
            return null;
        }
        return (int) d;
    }
}

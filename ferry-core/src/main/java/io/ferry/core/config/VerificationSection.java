package io.ferry.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import io.ferry.core.TableId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the verification keys into a {@link VerificationConfig}: {@code VerifierType}, {@code IterativeVerifierConfig},
 * {@code InlineVerifierConfig}, {@code IgnoredColumnsForVerification} ({@code {db: {table: {column: {}}}}}),
 * {@code CompressedColumnsForVerification} ({@code {db: {table: {column: "SNAPPY"}}}}),
 * {@code ForceIndexForVerification} ({@code {db: {table: "index"}}}) and {@code SkipTargetVerification}.
 */
final class VerificationSection {
    private VerificationSection() {
    }

    /** Reads the verification keys, {@code defaultType} running when {@code VerifierType} is absent. */
    static VerificationConfig read(JsonSection root, VerificationConfig.Type defaultType) {
        VerificationConfig.Type type = defaultType;
        String name = root.string("VerifierType");
        if (name != null) {
            type = VerificationConfig.Type.fromConfigName(name).orElseGet(() -> {
                root.problems().add("VerifierType", new JsonPrimitive(name),
                        "must be one of ChecksumTable, Iterative, Inline, NoVerification");
                return VerificationConfig.Type.NO_VERIFICATION;
            });
        }
        VerificationConfig.Iterative iterative = readIterative(root);
        VerificationConfig.Inline inline = readInline(root);

        Map<TableId, Set<String>> ignored = new LinkedHashMap<>();
        perTable(root, "IgnoredColumnsForVerification", "{\"db\": {\"table\": {\"column\": {}}}}", (path, table, v) -> {
            if (!v.isJsonObject()) {
                root.problems().add(path, v, "must be an object {\"column\": {}}, not " + Problems.typeOf(v));
                return;
            }
            Set<String> columns = new LinkedHashSet<>(v.getAsJsonObject().keySet());
            columns.removeIf(String::isEmpty);
            if (!columns.isEmpty()) {
                ignored.put(table, columns);
            }
        });
        Map<TableId, Map<String, String>> compressed = new LinkedHashMap<>();
        perTable(root, "CompressedColumnsForVerification", "{\"db\": {\"table\": {\"column\": \"SNAPPY\"}}}",
                (path, table, v) -> {
                    Map<String, String> columns = compression(root, path, v);
                    if (!columns.isEmpty()) {
                        compressed.put(table, columns);
                    }
                });
        Map<TableId, String> forced = new LinkedHashMap<>();
        perTable(root, "ForceIndexForVerification", "{\"db\": {\"table\": \"index\"}}", (path, table, v) -> {
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                root.problems().add(path, v, "must be an index name (a string), not " + Problems.typeOf(v));
            } else if (!v.getAsString().isEmpty()) {
                forced.put(table, v.getAsString());
            }
        });
        // Only an explicit false turns the target verifier on: it needs the target's binlog, which a config written
        // before ferry had the verifier need not have.
        Boolean skipTarget = root.bool("SkipTargetVerification");
        return new VerificationConfig(type, iterative, inline, ignored, compressed, forced,
                skipTarget != null && !skipTarget);
    }

    private static VerificationConfig.Iterative readIterative(JsonSection root) {
        JsonSection s = root.section("IterativeVerifierConfig");
        if (s == null) {
            return VerificationConfig.Iterative.DEFAULT;
        }
        List<String> ignoredTables = s.strings("IgnoredTables");
        Map<String, Set<String>> ignoredColumns = new LinkedHashMap<>();
        JsonElement cols = s.get("IgnoredColumns");
        if (cols != null && !cols.isJsonObject()) {
            s.problems().add(s.path("IgnoredColumns"), cols, "must be an object {\"table\": [\"column\", ...]}, not "
                    + Problems.typeOf(cols));
        } else if (cols != null) {
            for (var e : cols.getAsJsonObject().entrySet()) {
                String path = s.path("IgnoredColumns") + "." + e.getKey();
                if (!e.getValue().isJsonArray()) {
                    s.problems().add(path, e.getValue(), "must be an array of column names, not " + Problems.typeOf(e.getValue()));
                    continue;
                }
                Set<String> names = new LinkedHashSet<>();
                for (JsonElement c : e.getValue().getAsJsonArray()) {
                    if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString() || c.getAsString().isEmpty()) {
                        s.problems().add(path, c, "must be a column name (a non-empty string)");
                    } else {
                        names.add(c.getAsString());
                    }
                }
                ignoredColumns.put(e.getKey(), names);
            }
        }
        Long concurrency = s.integer("Concurrency", 0, ConfigLoader.MAX_CONCURRENCY); // 0: the default, as in Go
        Duration downtime = duration(s, "MaxExpectedDowntime");
        Map<String, Map<String, String>> compression = new LinkedHashMap<>();
        JsonElement tcc = s.get("TableColumnCompression");
        if (tcc != null && !tcc.isJsonObject()) {
            s.problems().add(s.path("TableColumnCompression"), tcc, "must be an object {\"table\": {\"column\": \"SNAPPY\"}}, not "
                    + Problems.typeOf(tcc));
        } else if (tcc != null) {
            for (var e : tcc.getAsJsonObject().entrySet()) {
                Map<String, String> columns = compression(s, s.path("TableColumnCompression") + "." + e.getKey(), e.getValue());
                if (!columns.isEmpty()) {
                    compression.put(e.getKey(), columns);
                }
            }
        }
        s.rejectUnknownKeys();
        return new VerificationConfig.Iterative(ignoredTables, ignoredColumns,
                concurrency == null || concurrency == 0 ? VerificationConfig.Iterative.DEFAULT_CONCURRENCY : Math.toIntExact(concurrency),
                downtime, compression);
    }

    private static VerificationConfig.Inline readInline(JsonSection root) {
        JsonSection s = root.section("InlineVerifierConfig");
        if (s == null) {
            return VerificationConfig.Inline.DEFAULT;
        }
        Duration downtime = duration(s, "MaxExpectedDowntime");
        Duration interval = duration(s, "VerifyBinlogEventsInterval");
        if (interval != null && interval.isZero()) {
            s.problems().add(s.path("VerifyBinlogEventsInterval"), new JsonPrimitive("0"), "must be positive, e.g. \"1s\"");
            interval = null;
        }
        s.rejectUnknownKeys();
        return new VerificationConfig.Inline(downtime, interval == null ? VerificationConfig.Inline.DEFAULT_INTERVAL : interval);
    }

    /** A Go duration string; "" and absent mean {@code null}. */
    private static Duration duration(JsonSection s, String key) {
        String text = s.string(key);
        if (text == null || text.isEmpty()) {
            return null;
        }
        Duration d = GoDuration.parse(text);
        if (d == null) {
            s.problems().add(s.path(key), new JsonPrimitive(text), "must be a duration such as \"30s\", \"1m30s\" or \"500ms\"");
        }
        return d;
    }

    private static Map<String, String> compression(JsonSection s, String path, JsonElement v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!v.isJsonObject()) {
            s.problems().add(path, v, "must be an object {\"column\": \"SNAPPY\"}, not " + Problems.typeOf(v));
            return out;
        }
        for (var c : v.getAsJsonObject().entrySet()) {
            JsonElement algo = c.getValue();
            if (!algo.isJsonPrimitive() || !algo.getAsJsonPrimitive().isString()
                    || !algo.getAsString().toUpperCase(Locale.ROOT).equals(VerificationConfig.SNAPPY)) {
                s.problems().add(path + "." + c.getKey(), algo, "unsupported compression; the only one is \"SNAPPY\"");
            } else {
                out.put(c.getKey(), VerificationConfig.SNAPPY);
            }
        }
        return out;
    }

    private interface TableEntry {
        void accept(String path, TableId table, JsonElement value);
    }

    /** Walks {@code {db: {table: value}}} at {@code key}, skipping nulls. */
    private static void perTable(JsonSection root, String key, String shape, TableEntry entry) {
        JsonElement v = root.get(key);
        if (v == null) {
            return;
        }
        if (!v.isJsonObject()) {
            root.problems().add(key, v, "must be an object " + shape + ", not " + Problems.typeOf(v));
            return;
        }
        for (var db : v.getAsJsonObject().entrySet()) {
            String dbPath = key + "." + db.getKey();
            if (db.getValue().isJsonNull()) {
                continue;
            }
            if (!db.getValue().isJsonObject()) {
                root.problems().add(dbPath, db.getValue(), "must be an object keyed by table, not " + Problems.typeOf(db.getValue()));
                continue;
            }
            for (var t : db.getValue().getAsJsonObject().entrySet()) {
                if (!t.getValue().isJsonNull()) {
                    entry.accept(dbPath + "." + t.getKey(), new TableId(db.getKey(), t.getKey()), t.getValue());
                }
            }
        }
    }
}

package io.ferry.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.ferry.core.TableId;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the JSON config of {@code ferry shard}, which moves one tenant, config-compatible with Shopify's
 * ghostferry-sharding. It is a copydb config (every key {@link ConfigLoader} reads, with the same checks and unknown
 * keys refused) without {@code Databases} and {@code Tables}, whose place {@code SourceDB}/{@code TargetDB} and
 * {@code IgnoredTables}/{@code IncludedTables} take, plus the sharding keys ({@link ShardingConfig}) and
 * ghostferry-sharding's verifier keys, which become the {@link VerificationConfig} copydb's own keys make. Two defaults
 * differ from copydb's: existing target tables are allowed (the target shard holds other tenants), and the Iterative
 * verifier runs. Every problem is reported together in one {@link io.ferry.core.ConfigException}.
 */
public final class ShardConfigLoader {
    /** A tenant id stored as a signed or unsigned BIGINT. */
    private static final BigInteger MIN_VALUE = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_VALUE = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Keys accepted only at their off value; copydb's advice for the first two would point at Databases/Tables. */
    private static final List<UnsupportedKeys.Entry> UNSUPPORTED = List.of(
            new UnsupportedKeys.Entry("DatabaseRewrites", null,
                    "a shard config renames its database with TargetDB; remove DatabaseRewrites"),
            new UnsupportedKeys.Entry("TableRewrites", null,
                    "a tenant's tables keep their names on the target; remove TableRewrites"),
            new UnsupportedKeys.Entry("StatsDAddress", null, "StatsD is not supported; ferry exports the same timings"
                    + " as Prometheus metrics on the control server's /metrics; remove StatsDAddress"));

    private ShardConfigLoader() {
    }

    /**
     * Whether {@code file} holds a {@code ferry shard} config: a JSON object with a {@code ShardingKey} (in any letter
     * case, as Go's decoder reads keys). An unreadable file is not; loading it reports why.
     */
    public static boolean isShardConfig(Path file) {
        try {
            JsonElement tree = JsonParser.parseString(Files.readString(file));
            return tree.isJsonObject() && tree.getAsJsonObject().keySet().stream()
                    .anyMatch(k -> k.equalsIgnoreCase("ShardingKey"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads {@code file}, as {@link ConfigLoader#load} does: relative paths resolve against its directory, and
     * {@code PassFromEnv} reads this process's environment.
     */
    public static ShardConfig load(Path file) {
        return parse(ConfigLoader.readFile(file), System.getenv(), file.toAbsolutePath().getParent());
    }

    /**
     * Parses a config given as text.
     *
     * @param environment where {@code PassFromEnv} looks names up
     * @param baseDir     what relative paths in the config resolve against
     */
    public static ShardConfig parse(String json, Map<String, String> environment, Path baseDir) {
        var problems = new Problems();
        JsonSection root = ConfigLoader.root(json, problems);
        refuse(root, "Databases", "a shard config names its database with SourceDB and TargetDB; remove Databases");
        refuse(root, "Tables", "a shard config selects its tables with IncludedTables or IgnoredTables (regular"
                + " expressions on table names); remove Tables");
        String sourceDb = database(root, "SourceDB");
        String targetDb = database(root, "TargetDB");
        if (targetDb == null) {
            targetDb = sourceDb;
        }
        ShardingConfig sharding = readSharding(root, sourceDb, targetDb);
        VerifierKeys verifierKeys = VerifierKeys.read(root);

        FilterConfig databases = sourceDb == null ? FilterConfig.ALL : new FilterConfig(List.of(sourceDb), List.of(),
                targetDb.equals(sourceDb) ? Map.of() : Map.of(sourceDb, targetDb));
        var variant = new ConfigLoader.Variant(databases, FilterConfig.ALL, Defaults.SHARD_ALLOW_EXISTING_TARGET_TABLE,
                Defaults.SHARD_VERIFIER_TYPE, UNSUPPORTED,
                (r, read, concurrency) -> verifierKeys.apply(r, read, concurrency, sourceDb));
        CopydbConfig copydb = ConfigLoader.read(root, new DatabaseSectionReader(environment, baseDir), environment,
                baseDir, variant);
        problems.throwIfAny();
        return new ShardConfig(copydb, sharding);
    }

    private static void refuse(JsonSection root, String key, String problem) {
        if (root.get(key) != null) {
            root.problems().add(key, problem);
        }
    }

    /** {@code SourceDB} (required) or {@code TargetDB} ("" or absent: {@code null}). */
    private static String database(JsonSection root, String key) {
        boolean required = key.equals("SourceDB");
        String name = root.string(key);
        if (name == null || name.isEmpty()) {
            if (required && (name != null || !root.has(key))) {
                root.problems().add(key, "required; give the database the tenant is moved from");
            }
            return null;
        }
        if (CopydbConfig.SYSTEM_DATABASES.contains(name)) {
            root.problems().add(key, new JsonPrimitive(name), "a system database cannot hold a tenant; name the"
                    + " application's database");
            return null;
        }
        return name;
    }

    /** The sharding keys, or {@code null} when a required one is missing or wrong (a problem was recorded). */
    private static ShardingConfig readSharding(JsonSection root, String sourceDb, String targetDb) {
        String key = root.string("ShardingKey");
        if (key == null || key.isEmpty()) {
            if (key != null || !root.has("ShardingKey")) {
                root.problems().add("ShardingKey", "required; give the column that holds the tenant id, e.g."
                        + " \"shop_id\"");
            }
            key = null;
        }
        ShardingValue value = readShardingValue(root);
        Map<String, List<ShardingConfig.JoinedTable>> joined = readJoinedTables(root);
        Map<String, ShardingConfig.JoinedThroughTable> joinedThrough = readJoinedThroughTables(root);
        List<String> primaryKeyTables = root.strings("PrimaryKeyTables");
        List<Pattern> ignored = patterns(root, "IgnoredTables");
        List<Pattern> included = patterns(root, "IncludedTables");
        if (nonEmptyArray(root.get("IgnoredTables")) && nonEmptyArray(root.get("IncludedTables"))) {
            root.problems().add("IncludedTables", "IgnoredTables and IncludedTables cannot both be set; keep one");
            included = List.of();
        }
        JsonSection filter = root.section("ShardedCopyFilterConfig");
        ShardingConfig.IndexHint hint = ShardingConfig.IndexHint.USE;
        Map<String, ShardingConfig.TableIndexHint> perTable = Map.of();
        if (filter != null) {
            hint = indexHint(filter, hint);
            perTable = readIndexHintPerTable(filter, hint, sourceDb);
            filter.rejectUnknownKeys();
        }
        if (key == null || value == null || sourceDb == null) {
            return null;
        }
        return new ShardingConfig(key, value.text(), value.integer(), sourceDb, targetDb, joined, joinedThrough,
                primaryKeyTables, ignored, included, hint, perTable);
    }

    private record ShardingValue(String text, boolean integer) {
    }

    /** A JSON integer (a signed or unsigned BIGINT) or a non-empty string. */
    private static ShardingValue readShardingValue(JsonSection root) {
        JsonElement v = root.get("ShardingValue");
        if (v == null) {
            root.problems().add("ShardingValue", "required; give the tenant id whose rows are moved: an integer (5) or a"
                    + " string (\"shop-5\")");
            return null;
        }
        JsonPrimitive p = v.isJsonPrimitive() ? v.getAsJsonPrimitive() : null;
        if (p != null && p.isString()) {
            if (p.getAsString().isEmpty()) {
                root.problems().add("ShardingValue", v, "must not be empty; give the tenant id");
                return null;
            }
            return new ShardingValue(p.getAsString(), false);
        }
        if (p == null || !p.isNumber()) {
            root.problems().add("ShardingValue", v, "must be an integer or a string (the tenant id), not "
                    + Problems.typeOf(v));
            return null;
        }
        BigDecimal n = new BigDecimal(p.getAsString());
        if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
            root.problems().add("ShardingValue", v, "must be a whole number (the tenant id), or a string for a tenant"
                    + " id that is not an integer");
            return null;
        }
        BigInteger i = n.toBigInteger();
        if (i.compareTo(MIN_VALUE) < 0 || i.compareTo(MAX_VALUE) > 0) {
            root.problems().add("ShardingValue", v, "must fit a BIGINT (signed or unsigned); give a string for a"
                    + " longer tenant id");
            return null;
        }
        return new ShardingValue(i.toString(), true);
    }

    /** {@code {table: [{TableName, JoinColumn}, ...]}}. */
    private static Map<String, List<ShardingConfig.JoinedTable>> readJoinedTables(JsonSection root) {
        Map<String, List<ShardingConfig.JoinedTable>> out = new LinkedHashMap<>();
        for (var table : tableEntries(root, "JoinedTables", "{\"table\": [{\"TableName\": ..., \"JoinColumn\": ...}]}")) {
            String path = "JoinedTables." + table.getKey();
            JsonElement list = table.getValue();
            if (!list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
                root.problems().add(path, list, "must be a non-empty array of the join tables that point at its rows,"
                        + " [{\"TableName\": ..., \"JoinColumn\": ...}]");
                continue;
            }
            List<ShardingConfig.JoinedTable> joins = new ArrayList<>();
            for (int i = 0; i < list.getAsJsonArray().size(); i++) {
                JsonElement e = list.getAsJsonArray().get(i);
                String at = path + "[" + i + "]";
                if (!e.isJsonObject()) {
                    root.problems().add(at, e, "must be an object {\"TableName\": ..., \"JoinColumn\": ...}, not "
                            + Problems.typeOf(e));
                    continue;
                }
                var s = new JsonSection(at, e.getAsJsonObject(), root.problems());
                String name = requiredString(s, "TableName", "the join table, which holds the sharding key");
                String column = requiredString(s, "JoinColumn", "the join table's column that holds the primary key"
                        + " of " + table.getKey() + "'s rows");
                s.rejectUnknownKeys();
                if (name != null && column != null) {
                    joins.add(new ShardingConfig.JoinedTable(name, column));
                }
            }
            out.put(table.getKey(), joins);
        }
        return out;
    }

    /** {@code {table: {JoinTableName, JoinCondition}}}. */
    private static Map<String, ShardingConfig.JoinedThroughTable> readJoinedThroughTables(JsonSection root) {
        Map<String, ShardingConfig.JoinedThroughTable> out = new LinkedHashMap<>();
        for (var table : tableEntries(root, "JoinedThroughTables",
                "{\"table\": {\"JoinTableName\": ..., \"JoinCondition\": ...}}")) {
            String path = "JoinedThroughTables." + table.getKey();
            JsonElement e = table.getValue();
            if (!e.isJsonObject()) {
                root.problems().add(path, e, "must be an object {\"JoinTableName\": ..., \"JoinCondition\": ...}, not "
                        + Problems.typeOf(e));
                continue;
            }
            var s = new JsonSection(path, e.getAsJsonObject(), root.problems());
            String name = requiredString(s, "JoinTableName", "the table, holding the sharding key, to join");
            String condition = requiredString(s, "JoinCondition", "the SQL condition joining the two tables, e.g."
                    + " `a`.`x_id` = `b`.`x_id`");
            s.rejectUnknownKeys();
            if (name != null && condition != null) {
                out.put(table.getKey(), new ShardingConfig.JoinedThroughTable(name, condition));
            }
        }
        return out;
    }

    /** The members of the object at {@code key}, keyed by table name; a wrong type or an empty name is a problem. */
    private static List<Map.Entry<String, JsonElement>> tableEntries(JsonSection root, String key, String shape) {
        JsonElement v = root.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isJsonObject()) {
            root.problems().add(key, v, "must be an object " + shape + ", not " + Problems.typeOf(v));
            return List.of();
        }
        List<Map.Entry<String, JsonElement>> out = new ArrayList<>();
        for (var e : v.getAsJsonObject().entrySet()) {
            if (e.getKey().isEmpty()) {
                root.problems().add(key, "an empty table name; remove the \"\" entry");
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static String requiredString(JsonSection s, String key, String what) {
        String value = s.string(key);
        if (value == null && !s.has(key)) {
            s.problems().add(s.path(key), "required; give " + what);
        } else if (value != null && value.isEmpty()) {
            s.problems().add(s.path(key), new JsonPrimitive(""), "must not be empty; give " + what);
            return null;
        }
        return value;
    }

    private static boolean nonEmptyArray(JsonElement v) {
        return v != null && v.isJsonArray() && !v.getAsJsonArray().isEmpty();
    }

    /** An array of Java regular expressions on table names; each bad one is a problem naming its index. */
    private static List<Pattern> patterns(JsonSection root, String key) {
        JsonElement v = root.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isJsonArray()) {
            root.problems().add(key, v, "must be an array of regular expressions on table names, not "
                    + Problems.typeOf(v));
            return List.of();
        }
        List<Pattern> out = new ArrayList<>();
        for (int i = 0; i < v.getAsJsonArray().size(); i++) {
            JsonElement e = v.getAsJsonArray().get(i);
            String at = key + "[" + i + "]";
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                root.problems().add(at, e, "must be a regular expression (a string), not " + Problems.typeOf(e));
            } else if (e.getAsString().isEmpty()) {
                root.problems().add(at, e, "must not be empty (it would match every table); remove the entry");
            } else {
                try {
                    out.add(Pattern.compile(e.getAsString()));
                } catch (PatternSyntaxException x) {
                    root.problems().add(at, e, "not a valid regular expression (" + x.getDescription()
                            + (x.getIndex() >= 0 ? " near index " + x.getIndex() : "") + "); fix it");
                }
            }
        }
        return out;
    }

    /** {@code IndexHint} of {@code s}: none, use or force, any case; "" or absent is {@code inherited}. */
    private static ShardingConfig.IndexHint indexHint(JsonSection s, ShardingConfig.IndexHint inherited) {
        String name = s.string("IndexHint");
        if (name == null || name.isEmpty()) {
            return inherited;
        }
        return ShardingConfig.IndexHint.fromConfigName(name).orElseGet(() -> {
            s.problems().add(s.path("IndexHint"), new JsonPrimitive(name), "must be one of none, use, force");
            return inherited;
        });
    }

    /**
     * {@code IndexHintingPerTable}: {@code {db: {table: {IndexHint, IndexName}}}}, as ghostferry-sharding keys it.
     * A move reads one database, so another database's entries are a problem rather than silently unused.
     */
    private static Map<String, ShardingConfig.TableIndexHint> readIndexHintPerTable(
            JsonSection filter, ShardingConfig.IndexHint inherited, String sourceDb) {
        String key = "IndexHintingPerTable";
        JsonElement v = filter.get(key);
        if (v == null) {
            return Map.of();
        }
        String shape = "{\"db\": {\"table\": {\"IndexHint\": \"force\", \"IndexName\": \"index\"}}}";
        if (!v.isJsonObject()) {
            filter.problems().add(filter.path(key), v, "must be an object " + shape + ", not " + Problems.typeOf(v));
            return Map.of();
        }
        Map<String, ShardingConfig.TableIndexHint> out = new LinkedHashMap<>();
        for (var db : v.getAsJsonObject().entrySet()) {
            String dbPath = filter.path(key) + "." + db.getKey();
            if (db.getValue().isJsonNull()) {
                continue;
            }
            if (sourceDb != null && !db.getKey().equals(sourceDb)) {
                filter.problems().add(dbPath, "the move reads only SourceDB \"" + sourceDb + "\"; key the tables"
                        + " under \"" + sourceDb + "\" or remove the entry");
                continue;
            }
            if (!db.getValue().isJsonObject()) {
                filter.problems().add(dbPath, db.getValue(), "must be an object keyed by table, not "
                        + Problems.typeOf(db.getValue()));
                continue;
            }
            for (var table : db.getValue().getAsJsonObject().entrySet()) {
                String path = dbPath + "." + table.getKey();
                if (!table.getValue().isJsonObject()) {
                    filter.problems().add(path, table.getValue(), "must be an object {\"IndexHint\": ...,"
                            + " \"IndexName\": ...}, not " + Problems.typeOf(table.getValue()));
                    continue;
                }
                var s = new JsonSection(path, table.getValue().getAsJsonObject(), filter.problems());
                ShardingConfig.IndexHint hint = indexHint(s, inherited);
                String index = s.string("IndexName");
                s.rejectUnknownKeys();
                out.put(table.getKey(), new ShardingConfig.TableIndexHint(hint,
                        index == null || index.isEmpty() ? null : index));
            }
        }
        return out;
    }

    /**
     * ghostferry-sharding's verifier keys, which it gives its Iterative verifier: {@code IgnoredVerificationTables}
     * (tables of SourceDB), {@code IgnoredVerificationColumns} ({@code {table: [column, ...]}}),
     * {@code VerifierIterationConcurrency} (0 or absent: as many as {@code DataIterationConcurrency}, as in Go) and
     * {@code MaxExpectedVerifierDowntime} (a Go duration).
     */
    private record VerifierKeys(List<String> ignoredTables, Map<String, Set<String>> ignoredColumns, Long concurrency,
                                Duration maxDowntime, String maxDowntimeText) {

        static VerifierKeys read(JsonSection root) {
            List<String> tables = root.strings("IgnoredVerificationTables");
            Map<String, Set<String>> columns = new LinkedHashMap<>();
            for (var table : tableEntries(root, "IgnoredVerificationColumns", "{\"table\": [\"column\", ...]}")) {
                String path = "IgnoredVerificationColumns." + table.getKey();
                if (!table.getValue().isJsonArray()) {
                    root.problems().add(path, table.getValue(), "must be an array of column names, not "
                            + Problems.typeOf(table.getValue()));
                    continue;
                }
                Set<String> names = new LinkedHashSet<>();
                for (JsonElement c : table.getValue().getAsJsonArray()) {
                    if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString() || c.getAsString().isEmpty()) {
                        root.problems().add(path, c, "must be a column name (a non-empty string)");
                    } else {
                        names.add(c.getAsString());
                    }
                }
                if (!names.isEmpty()) {
                    columns.put(table.getKey(), names);
                }
            }
            Long concurrency = root.integer("VerifierIterationConcurrency", 0, ConfigLoader.MAX_CONCURRENCY);
            Duration downtime = null;
            String text = root.string("MaxExpectedVerifierDowntime");
            if (text != null && !text.isEmpty()) {
                downtime = GoDuration.parse(text);
                if (downtime == null) {
                    root.problems().add("MaxExpectedVerifierDowntime", new JsonPrimitive(text),
                            "must be a duration such as \"30s\", \"1m30s\" or \"500ms\"");
                }
            }
            return new VerifierKeys(tables, columns, concurrency == null || concurrency == 0 ? null : concurrency,
                    downtime, text);
        }

        /**
         * {@code read} (from copydb's verifier keys) with these folded in: ignored tables into the Iterative
         * verifier's, ignored columns into the per-table ones of SourceDB (which every verifier honours), the
         * concurrency into the Iterative verifier's and the downtime into the verifier that runs. A value that
         * contradicts copydb's key for the same setting, or that the chosen verifier cannot honour, is a problem.
         */
        VerificationConfig apply(JsonSection root, VerificationConfig read, int dataIterationConcurrency,
                                 String sourceDb) {
            VerificationConfig.Type type = read.type();
            if (type == VerificationConfig.Type.CHECKSUM_TABLE) {
                root.problems().add("VerifierType", new JsonPrimitive(type.configName()), "ChecksumTable compares whole"
                        + " tables and cannot verify a subset of rows; use Iterative or Inline");
                return read;
            }
            if (sourceDb == null) {
                return read;
            }
            if (type == VerificationConfig.Type.INLINE && !ignoredTables.isEmpty()) {
                root.problems().add("IgnoredVerificationTables", "the Inline verifier checks every table it copies;"
                        + " set \"VerifierType\": \"Iterative\" to skip tables, or remove IgnoredVerificationTables");
            }
            VerificationConfig.Iterative iterative = read.iterative();
            Set<String> tables = new LinkedHashSet<>(iterative.ignoredTables());
            tables.addAll(ignoredTables);

            Map<TableId, Set<String>> columns = new LinkedHashMap<>(read.ignoredColumns());
            ignoredColumns.forEach((table, names) -> {
                Set<String> merged = new LinkedHashSet<>(columns.getOrDefault(new TableId(sourceDb, table), Set.of()));
                merged.addAll(names);
                columns.put(new TableId(sourceDb, table), merged);
            });

            int verifierConcurrency = iterative.concurrency();
            boolean concurrencyGiven = given(root, "IterativeVerifierConfig", "Concurrency");
            if (concurrency != null) {
                if (concurrencyGiven && concurrency != verifierConcurrency) {
                    root.problems().add("VerifierIterationConcurrency", new JsonPrimitive(concurrency), "differs from"
                            + " IterativeVerifierConfig.Concurrency = " + verifierConcurrency + "; set only one");
                }
                verifierConcurrency = Math.toIntExact(concurrency);
            } else if (!concurrencyGiven) {
                verifierConcurrency = dataIterationConcurrency;
            }

            Duration iterativeDowntime = iterative.maxExpectedDowntime();
            Duration inlineDowntime = read.inline().maxExpectedDowntime();
            if (maxDowntime != null && (type == VerificationConfig.Type.ITERATIVE
                    || type == VerificationConfig.Type.INLINE)) {
                String other = type == VerificationConfig.Type.ITERATIVE ? "IterativeVerifierConfig"
                        : "InlineVerifierConfig";
                Duration theirs = type == VerificationConfig.Type.ITERATIVE ? iterativeDowntime : inlineDowntime;
                if (theirs != null && !theirs.equals(maxDowntime)) {
                    root.problems().add("MaxExpectedVerifierDowntime", new JsonPrimitive(maxDowntimeText),
                            "differs from " + other + ".MaxExpectedDowntime = " + GoDuration.format(theirs)
                                    + "; set only one");
                }
                if (type == VerificationConfig.Type.ITERATIVE) {
                    iterativeDowntime = maxDowntime;
                } else {
                    inlineDowntime = maxDowntime;
                }
            }
            return new VerificationConfig(type,
                    new VerificationConfig.Iterative(List.copyOf(tables), iterative.ignoredColumns(),
                            verifierConcurrency, iterativeDowntime, iterative.tableColumnCompression()),
                    new VerificationConfig.Inline(inlineDowntime, read.inline().verifyBinlogEventsInterval()),
                    columns, read.compressedColumns(), read.forcedIndexes(), read.verifyTarget());
        }

        /** Whether {@code section.key} of {@code root} is set to something other than Go's zero value. */
        private static boolean given(JsonSection root, String section, String key) {
            JsonElement s = root.get(section);
            return s != null && s.isJsonObject() && s.getAsJsonObject().entrySet().stream()
                    .anyMatch(e -> e.getKey().equalsIgnoreCase(key) && !UnsupportedKeys.isOff(e.getValue(), null));
        }
    }
}

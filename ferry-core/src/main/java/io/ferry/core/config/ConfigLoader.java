package io.ferry.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON config of {@code ferry copydb}: Ghostferry's and copydb's keys (matched case-insensitively, as Go
 * does), plus ferry's {@code PassFromEnv}/{@code PassFromFile}. Unlike Ghostferry, unknown keys are errors, and keys
 * ferry does not implement yet are errors unless set to their off value (see {@link UnsupportedKeys}). Every
 * problem is collected and thrown in one {@link ConfigException}, each as {@code Key.Path = value: problem; fix}.
 */
public final class ConfigLoader {
    static final int MAX_BATCH_SIZE = 1_000_000;
    static final int MAX_APPLY_CONCURRENCY = 64;
    static final int MAX_CONCURRENCY = 256;
    static final long MAX_SERVER_ID = 4_294_967_295L;
    private static final Pattern LINE_COLUMN = Pattern.compile("line (\\d+) column (\\d+)");

    private ConfigLoader() {
    }

    /**
     * Reads {@code file}; relative paths in it ({@code PassFromFile}, {@code TLS.CertPath}) resolve against its
     * directory, and {@code PassFromEnv} reads this process's environment.
     */
    public static CopydbConfig load(Path file) {
        return parse(readFile(file), System.getenv(), file.toAbsolutePath().getParent());
    }

    /** The text of config file {@code file}; a file that cannot be read is one problem naming it. */
    static String readFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, not a config file; name the JSON file itself");
        }
        try {
            return Files.readString(file);
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": is not UTF-8 text, so not a JSON config (a binary file?); check the path");
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied" : e.toString();
            throw new ConfigException(file + ": cannot read the config file (" + reason + "); check the path");
        }
    }

    /**
     * Parses a config given as text.
     *
     * @param environment where {@code PassFromEnv} looks names up
     * @param baseDir     what relative paths in the config resolve against
     */
    public static CopydbConfig parse(String json, Map<String, String> environment, Path baseDir) {
        var problems = new Problems();
        CopydbConfig config = read(root(json, problems), new DatabaseSectionReader(environment, baseDir), environment,
                baseDir, Variant.COPYDB);
        problems.throwIfAny();
        return config;
    }

    /** The top-level object of config text {@code json}, its problems going to {@code problems}. */
    static JsonSection root(String json, Problems problems) {
        JsonElement tree = parseJson(json);
        if (tree.isJsonNull()) {
            throw new ConfigException(json.isBlank()
                    ? "config: the file is empty; write a JSON object with at least Source and Target"
                    : "config = null: must be a JSON object with at least Source and Target, not null");
        }
        if (!tree.isJsonObject()) {
            throw new ConfigException("config = " + Problems.render(tree) + ": must be a JSON object, not "
                    + Problems.typeOf(tree) + "; wrap the settings in { }");
        }
        return new JsonSection("", tree.getAsJsonObject(), problems);
    }

    /**
     * What a config built on copydb's reads differently from copydb's own. {@code ferry shard} names its one
     * database with its own keys, so it gives the Databases and Tables filters instead of reading them (and refuses
     * those keys itself), and it has other defaults.
     *
     * @param databases                the Databases filter, or {@code null} to read the {@code Databases} key
     * @param tables                   the Tables filter, or {@code null} to read the {@code Tables} key
     * @param allowExistingTargetTable the default of {@code AllowExistingTargetTable}
     * @param verifierType             the default of {@code VerifierType}
     * @param unsupported              keys accepted only at their off value (see {@link UnsupportedKeys})
     * @param verification             a last step on the verification settings read, e.g. folding in other keys
     */
    record Variant(FilterConfig databases, FilterConfig tables, boolean allowExistingTargetTable,
                   VerificationConfig.Type verifierType, List<UnsupportedKeys.Entry> unsupported,
                   VerificationStep verification) {
        static final Variant COPYDB = new Variant(null, null, Defaults.ALLOW_EXISTING_TARGET_TABLE,
                Defaults.VERIFIER_TYPE, UnsupportedKeys.TOP_LEVEL, (root, read, concurrency) -> read);
    }

    /** Turns the verification settings read into those the run uses, reporting problems to {@code root}. */
    interface VerificationStep {
        VerificationConfig apply(JsonSection root, VerificationConfig read, int dataIterationConcurrency);
    }

    private static JsonElement parseJson(String json) {
        var reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement tree = JsonParser.parseReader(reader);
            if (!tree.isJsonNull() && reader.peek() != JsonToken.END_DOCUMENT) {
                throw syntaxError("more content after the top-level value " + reader);
            }
            return tree;
        } catch (JsonParseException | IOException e) {
            throw syntaxError(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** One problem naming the line and column Gson reports, without Gson's advice about lenient parsing. */
    private static ConfigException syntaxError(String message) {
        String first = message.lines().findFirst().orElse(message);
        Matcher m = LINE_COLUMN.matcher(first);
        String where = m.find() ? "line " + m.group(1) + " column " + m.group(2) : "an unknown position";
        String reason = first.replaceFirst("^[\\w.]*MalformedJsonException: ", "")
                .replaceFirst(" (JsonReader )?at line \\d+ column \\d+.*$", "");
        if (reason.startsWith("Use JsonReader.setStrictness")) {
            reason = "not valid JSON (unquoted text, a comment, single quotes or NaN?)";
        }
        return new ConfigException("config: JSON syntax error at " + where + ": " + reason + "; fix the file");
    }

    /**
     * Reads every copydb key of {@code root} (those {@code variant} gives excepted), then refuses the keys no one
     * read. Returns {@code null} when a problem was recorded.
     */
    static CopydbConfig read(JsonSection root, DatabaseSectionReader databaseReader, Map<String, String> environment,
                             Path baseDir, Variant variant) {
        Problems problems = root.problems();
        DatabaseConfig source = requiredServer(root, "Source", databaseReader);
        DatabaseConfig target = requiredServer(root, "Target", databaseReader);
        FilterConfig databases = variant.databases() != null ? variant.databases() : readFilter(root, "Databases");
        FilterConfig tables = variant.tables() != null ? variant.tables() : readFilter(root, "Tables");
        List<TableId> createFirst = readTablesToBeCreatedFirst(root, databases, tables);
        boolean allowExisting = orDefault(root.bool("AllowExistingTargetTable"), variant.allowExistingTargetTable());

        int batchSize = readBatchSize(root);
        int concurrency = intOrDefault(root.integer("DataIterationConcurrency", 1, MAX_CONCURRENCY),
                Defaults.DATA_ITERATION_CONCURRENCY);
        int rangeConcurrency = intOrDefault(root.integer("DataIterationRangeConcurrency", 0, MAX_CONCURRENCY),
                Defaults.DATA_ITERATION_RANGE_CONCURRENCY);
        int binlogBatch = intOrDefault(root.integer("BinlogEventBatchSize", 1, MAX_BATCH_SIZE),
                Defaults.BINLOG_EVENT_BATCH_SIZE);
        int applyConcurrency = intOrDefault(root.integer("BinlogApplyConcurrency", 1, MAX_APPLY_CONCURRENCY),
                Defaults.BINLOG_APPLY_CONCURRENCY);
        int readRetries = intOrDefault(root.integer("DBReadRetries", 0, Integer.MAX_VALUE), Defaults.DB_READ_RETRIES);
        int writeRetries = intOrDefault(root.integer("DBWriteRetries", 0, Integer.MAX_VALUE), Defaults.DB_WRITE_RETRIES);
        long serverId = orDefault(root.integer("MyServerId", 0, MAX_SERVER_ID), Defaults.MY_SERVER_ID);

        boolean automaticCutover = orDefault(root.bool("AutomaticCutover"), Defaults.AUTOMATIC_CUTOVER);
        HttpCallback cutoverLock = readCallback(root, "CutoverLock");
        HttpCallback cutoverUnlock = readCallback(root, "CutoverUnlock");
        int cutoverAttempts = intOrDefault(root.integer("MaxCutoverRetries", 1, Integer.MAX_VALUE),
                Defaults.MAX_CUTOVER_RETRIES);
        Long waitSeconds = root.integer("CutoverRetryWaitSeconds", 0, Integer.MAX_VALUE);
        Duration cutoverWait = waitSeconds == null ? Defaults.CUTOVER_RETRY_WAIT : Duration.ofSeconds(waitSeconds);
        boolean skipRowImageCheck = orDefault(root.bool("SkipBinlogRowImageCheck"), Defaults.SKIP_BINLOG_ROW_IMAGE_CHECK);
        LockStrategy lockStrategy = readLockStrategy(root);
        CascadingPaginationColumnConfig paginationColumns = PaginationColumnsSection.read(root);
        boolean descending = orDefault(root.bool("IterateInDescendingOrder"), Defaults.ITERATE_IN_DESCENDING_ORDER);
        boolean fromReplica = orDefault(root.bool("AllowReplicationFromReplica"), Defaults.ALLOW_REPLICATION_FROM_REPLICA);
        ControlServerConfig controlServer = ControlServerSection.read(root, environment, baseDir);
        OperationsConfig operations = OperationsSection.read(root, databaseReader);
        VerificationConfig verification = variant.verification().apply(root,
                VerificationSection.read(root, variant.verifierType()), concurrency);
        SchemaChangeConfig schemaChanges = SchemaChangeSection.read(root);
        StateConfig state = StateSection.read(root, baseDir);
        var rowCopy = new RowCopyConfig(orDefault(root.bool("LoadData"), RowCopyConfig.DEFAULT.loadData()),
                BatchSizeOverrideSection.read(root));
        // Ghostferry counts the bytes of each batch only with EnableRowBatchSize; ferry always does (it costs nothing
        // beside the write), so either value is accepted.
        root.bool("EnableRowBatchSize");
        Partition partition = readPartition(root);
        boolean disableCutover = orDefault(root.bool("DisableCutover"), Defaults.DISABLE_CUTOVER);
        var checks = new PreflightOptions(
                orDefault(root.bool("AllowSuperUserOnReadOnly"), Defaults.ALLOW_SUPER_USER_ON_READ_ONLY),
                orDefault(root.bool("SkipForeignKeyConstraintsCheck"), Defaults.SKIP_FOREIGN_KEY_CONSTRAINTS_CHECK));
        LoggingConfig logging = readLogging(root, environment);
        readPprof(root);
        ReplicaSourceConfig replicaSource = ReplicaSourceSection.read(root, databaseReader);
        Long workerTimeout = root.integer("PartitionWorkerTimeoutSeconds", 1, Integer.MAX_VALUE);

        UnsupportedKeys.check(root, variant.unsupported());
        root.rejectUnknownKeys();
        if (!problems.isEmpty()) {
            return null;
        }
        return new CopydbConfig(source, target, databases, tables, createFirst, allowExisting, batchSize, concurrency,
                rangeConcurrency, binlogBatch, applyConcurrency, readRetries, writeRetries, serverId, automaticCutover, cutoverLock, cutoverUnlock,
                cutoverAttempts, cutoverWait, skipRowImageCheck, lockStrategy, paginationColumns, descending, fromReplica,
                controlServer, operations, verification, schemaChanges, state, disableCutover, checks, logging,
                rowCopy, partition, workerTimeout == null ? null : Duration.ofSeconds(workerTimeout), replicaSource);
    }

    /** {@code "Partition": "I/N"}: the part of the move this run copies; the whole move without it. */
    private static Partition readPartition(JsonSection root) {
        String text = root.string("Partition");
        if (text == null) {
            return Partition.WHOLE;
        }
        String problem = Partition.problem(text);
        if (problem != null) {
            root.problems().add("Partition", new com.google.gson.JsonPrimitive(text), problem);
            return Partition.WHOLE;
        }
        return Partition.parse(text);
    }

    /** {@code LogLevel}/{@code LogBackend}, else Ghostferry's environment variables for them. */
    private static LoggingConfig readLogging(JsonSection root, Map<String, String> environment) {
        String level = root.string("LogLevel");
        String backend = root.string("LogBackend");
        String levelFrom = "LogLevel";
        String backendFrom = "LogBackend";
        if ((level == null || level.isEmpty()) && !root.has("LogLevel")) {
            level = environment.get("GHOSTFERRY_LOG_LEVEL");
            levelFrom = "GHOSTFERRY_LOG_LEVEL (environment)";
        }
        if ((backend == null || backend.isEmpty()) && !root.has("LogBackend")) {
            backend = environment.get("GHOSTFERRY_LOG_BACKEND");
            backendFrom = "GHOSTFERRY_LOG_BACKEND (environment)";
        }
        LoggingConfig.Level l = null;
        if (level != null && !level.isEmpty()) {
            l = LoggingConfig.Level.parse(level).orElse(null);
            if (l == null) {
                root.problems().add(levelFrom, new JsonPrimitive(level), "must be " + LoggingConfig.Level.validNames());
            }
        }
        LoggingConfig.Backend b = LoggingConfig.Backend.TEXT;
        if (backend != null && !backend.isEmpty()) {
            b = LoggingConfig.Backend.parse(backend).orElse(null);
            if (b == null) {
                root.problems().add(backendFrom, new JsonPrimitive(backend),
                        "must be logrus or text (lines of text), or zerolog or json (one JSON object per line)");
            }
        }
        return new LoggingConfig(l, b);
    }

    /**
     * Ghostferry's {@code EnablePProf} serves Go's profiler on localhost:6060; the JVM has its own tools, which need
     * nothing in the config.
     */
    private static void readPprof(JsonSection root) {
        Boolean pprof = root.bool("EnablePProf");
        if (Boolean.TRUE.equals(pprof)) {
            root.problems().add("EnablePProf", new JsonPrimitive(true), "Go's pprof profiler does not exist in ferry, a"
                    + " Java program; profile it with the JDK's tools instead (jcmd <pid> JFR.start duration=60s"
                    + " filename=ferry.jfr, then open the recording in JDK Mission Control; jcmd <pid> Thread.print for"
                    + " stacks) and remove EnablePProf or set it to false");
        }
    }

    private static DatabaseConfig requiredServer(JsonSection root, String key, DatabaseSectionReader reader) {
        JsonSection section = root.section(key);
        if (section == null) {
            if (!root.has(key)) {
                root.problems().add(key, "required; add the " + key.toLowerCase(Locale.ROOT) + " server's connection settings"
                        + " ({\"Host\": ..., \"User\": ...})");
            }
            return null;
        }
        return reader.read(section);
    }

    /** copydb's {@code Databases}/{@code Tables}: {@code {Whitelist, Blacklist, Rewrites}}. */
    private static FilterConfig readFilter(JsonSection root, String key) {
        JsonSection s = root.section(key);
        if (s == null) {
            return FilterConfig.ALL;
        }
        boolean isDatabases = key.equals("Databases");
        List<String> whitelist = s.strings("Whitelist");
        List<String> blacklist = s.strings("Blacklist");
        Map<String, String> rewrites = new LinkedHashMap<>(s.stringMap("Rewrites"));
        s.rejectUnknownKeys();
        if (!whitelist.isEmpty() && !blacklist.isEmpty()) {
            s.problems().add(key, "Whitelist and Blacklist cannot both be set; keep one");
            blacklist = List.of();
        }
        if (isDatabases) {
            for (int i = 0; i < whitelist.size(); i++) {
                if (CopydbConfig.SYSTEM_DATABASES.contains(whitelist.get(i))) {
                    s.problems().add(s.path("Whitelist") + "[" + i + "]", new JsonPrimitive(whitelist.get(i)),
                            "system databases are never copied; remove it");
                }
            }
        }
        checkRewrites(s, rewrites);
        return new FilterConfig(whitelist, blacklist, rewrites);
    }

    private static void checkRewrites(JsonSection s, Map<String, String> rewrites) {
        Map<String, List<String>> sourcesByTarget = new LinkedHashMap<>();
        var it = rewrites.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().isEmpty()) {
                s.problems().add(s.path("Rewrites"), "an empty name cannot be rewritten; remove the \"\" entry");
                it.remove();
            } else if (e.getValue().isEmpty()) {
                s.problems().add(s.path("Rewrites") + "." + e.getKey(), new JsonPrimitive(""),
                        "must not be empty; give the name on the target");
                it.remove();
            } else {
                sourcesByTarget.computeIfAbsent(e.getValue(), t -> new ArrayList<>()).add(e.getKey());
            }
        }
        sourcesByTarget.forEach((target, sources) -> {
            if (sources.size() > 1) {
                s.problems().add(s.path("Rewrites"), "\"" + String.join("\" and \"", sources) + "\" both rewrite to \""
                        + target + "\"; give each a different target name");
            }
        });
    }

    private static List<TableId> readTablesToBeCreatedFirst(JsonSection root, FilterConfig databases, FilterConfig tables) {
        List<String> names = root.strings("TablesToBeCreatedFirst");
        List<TableId> out = new ArrayList<>();
        Set<TableId> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String path = root.path("TablesToBeCreatedFirst") + "[" + i + "]";
            JsonPrimitive value = new JsonPrimitive(names.get(i));
            TableId id;
            try {
                id = TableId.parse(names.get(i));
            } catch (IllegalArgumentException e) {
                root.problems().add(path, value, "must be database.table; qualify the table with its database");
                continue;
            }
            if (!seen.add(id)) {
                root.problems().add(path, value, "listed twice; keep the first");
            } else if (CopydbConfig.SYSTEM_DATABASES.contains(id.database()) || !databases.accepts(id.database())
                    || !tables.accepts(id.table())) {
                root.problems().add(path, value, "not selected by the Databases/Tables filters; remove it or select it");
            } else {
                out.add(id);
            }
        }
        return out;
    }

    /** {@code DataIterationBatchSize} at the top (Ghostferry's old place) or in {@code UpdatableConfig} (its new one). */
    private static int readBatchSize(JsonSection root) {
        Long top = root.integer("DataIterationBatchSize", 1, MAX_BATCH_SIZE);
        JsonSection updatable = root.section("UpdatableConfig");
        Long nested = null;
        if (updatable != null) {
            nested = updatable.integer("DataIterationBatchSize", 1, MAX_BATCH_SIZE);
            updatable.rejectUnknownKeys();
        }
        if (top != null && nested != null && !top.equals(nested)) {
            root.problems().add("DataIterationBatchSize", new JsonPrimitive(top),
                    "differs from UpdatableConfig.DataIterationBatchSize = " + nested + "; set only one");
        }
        Long chosen = nested != null ? nested : top;
        return intOrDefault(chosen, Defaults.DATA_ITERATION_BATCH_SIZE);
    }

    /** A callback, or {@code null} when absent or all empty (Ghostferry's zero value means "no callback"). */
    static HttpCallback readCallback(JsonSection root, String key) {
        JsonSection s = root.section(key);
        if (s == null) {
            return null;
        }
        String uri = s.string("URI");
        String payload = s.string("Payload");
        s.rejectUnknownKeys();
        boolean noUri = uri == null || uri.isEmpty();
        if (noUri && (payload == null || payload.isEmpty())) {
            return null;
        }
        if (noUri) {
            if (!s.has("URI")) {
                s.problems().add(s.path("URI"), "required; give the http or https address to POST to");
            } else if (uri != null) {
                s.problems().add(s.path("URI"), new JsonPrimitive(uri), "required; give the http or https address to POST to");
            }
            return null;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            s.problems().add(s.path("URI"), new JsonPrimitive(uri), "not a valid URI (" + e.getReason() + "); fix it");
            return null;
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            s.problems().add(s.path("URI"), new JsonPrimitive(uri), "must be an http or https URI");
            return null;
        }
        if (parsed.getHost() == null) {
            s.problems().add(s.path("URI"), new JsonPrimitive(uri), "must name a host, e.g. https://host/path");
            return null;
        }
        return new HttpCallback(parsed, payload);
    }

    private static LockStrategy readLockStrategy(JsonSection root) {
        String name = root.string("LockStrategy");
        if (name == null) {
            return Defaults.LOCK_STRATEGY;
        }
        return LockStrategy.fromConfigName(name).orElseGet(() -> {
            root.problems().add("LockStrategy", new JsonPrimitive(name), "must be one of " + LockStrategy.validNames());
            return Defaults.LOCK_STRATEGY;
        });
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static int intOrDefault(Long value, int fallback) {
        return value != null ? Math.toIntExact(value) : fallback;
    }
}

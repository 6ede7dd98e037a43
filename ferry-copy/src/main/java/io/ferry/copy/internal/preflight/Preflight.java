package io.ferry.copy.internal.preflight;

import io.ferry.copy.internal.dialect.SchemaCompatibility;
import io.ferry.copy.internal.dialect.SchemaMapping;
import io.ferry.copy.internal.rowcopy.ReadView;
import io.ferry.core.ConfigException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.BatchSizeOverride;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.LockStrategy;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.filter.TableFilter;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.RowReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks, before anything is written, that the servers, the user's privileges and every selected table meet what a
 * run needs. Each failure says what is wrong and how to fix it; all problems of one kind are reported together.
 */
public final class Preflight {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Preflight.class);
    /** Privileges that let a session write while {@code read_only=ON} (MySQL: SUPER, CONNECTION_ADMIN; MariaDB 10.5+). */
    private static final Set<String> WRITES_THROUGH_READ_ONLY = Set.of("ALL PRIVILEGES", "SUPER", "CONNECTION_ADMIN",
            "READ_ONLY ADMIN");
    private final CopydbConfig config;
    private final Predicate<TableId> part;
    private final CopySubset subset;
    /** Filled by {@link #selectTables}. */
    private final Map<TableId, String> leftOut = new LinkedHashMap<>();

    public Preflight(CopydbConfig config) {
        this(config, t -> true, CopySubset.ALL);
    }

    /**
     * A preflight of the selected tables {@code part} accepts (the part of a partitioned move this run copies) and
     * {@code subset}'s table filter includes.
     */
    public Preflight(CopydbConfig config, Predicate<TableId> part, CopySubset subset) {
        this.config = config;
        this.part = part;
        this.subset = subset;
    }

    /**
     * The result of a successful preflight.
     *
     * @param keys          each table's key columns, most significant first; empty for a table copied whole
     * @param compatibility how the source's definitions are written for the target's engine
     * @param mappings      what the target tables get written differently (logged), per object
     * @param estimatedBytes each table's data length as the source estimates it
     * @param loadData      whether copy batches go to the target as {@code LOAD DATA LOCAL INFILE}
     * @param batchSizes    the batch size of each table {@code DataIterationBatchSizePerTableOverride} sizes; the
     *                      others use the run's {@code DataIterationBatchSize}
     * @param leftOut       the selected tables the table filter leaves out, each with the filter's reason
     * @param selectedRows  the rows the row filter selects in each filtered table, counted at preflight
     */
    public record Checked(ServerInfo sourceServer, ServerInfo targetServer, Map<TableId, TableSchema> tables,
                          Map<TableId, List<ColumnSchema>> keys, Map<TableId, Long> estimatedRows,
                          Map<TableId, Long> estimatedBytes,
                          SchemaCompatibility compatibility, List<SchemaMapping> mappings, boolean loadData,
                          Map<TableId, Integer> batchSizes, Map<TableId, String> leftOut,
                          Map<TableId, Long> selectedRows) {
        /** The rows the run copies of {@code table}: its selection's count, else the server's estimate. */
        public long rowsToCopy(TableId table) {
            return selectedRows.getOrDefault(table, estimatedRows.get(table));
        }
    }

    public Checked run(Connection source, Connection target) throws SQLException {
        ServerInfo sourceServer = ServerInfo.of(source);
        ServerInfo targetServer = ServerInfo.of(target);
        checkBinlog(source);
        checkLockStrategy(source, sourceServer);
        checkGeneratedKeysVisible(source, sourceServer);
        checkTargetWritable(target);
        checkSourceNotReadOnly(source);
        if (config.replicaSource() != null) {
            ReplicaSourceCheck.check(config.replicaSource(), source);
        }
        checkSourcePrivileges(source);
        checkTargetPrivileges(target);
        if (config.verification().verifyTarget()) {
            TargetVerifierCheck.check(target, targetServer, config.target().user());
        }
        checkVerifierAcrossEngines(sourceServer, targetServer);
        Set<TableId> moved = selectedNames(source);
        Map<TableId, TableSchema> tables = selectTables(source, moved);
        if (subset.tables() != TableFilter.ALL) {
            moved = tables.keySet(); // a table the filter leaves out is not copied (the run is whole)
        }
        checkForeignKeysStayInTheCopy(source, tables.keySet(), moved);
        SameServer.check(source, sourceServer, target, targetServer, tables.keySet(), config::targetOf);
        Map<TableId, List<ColumnSchema>> keys = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        List<TableId> whole = new ArrayList<>();
        var resolver = new KeyResolver(config.paginationColumns());
        for (TableSchema t : tables.values()) {
            String problem = unsupportedColumns(t, sourceServer);
            if (problem != null) {
                refused.add(t.id() + ": " + problem);
                continue;
            }
            KeyResolver.Resolution resolution = resolver.resolve(t);
            if (!(resolution instanceof KeyResolver.Key) && !subset.rows().select(t, t.id()).selectsAll()) {
                refused.add(t.id() + ": the row filter selects some of its rows, and only a table with a key can be"
                        + " copied in part (" + (resolution instanceof KeyResolver.Refused r ? r.reason()
                        : "it is copied whole") + "); give it a primary key or leave it out of the copy");
                continue;
            }
            switch (resolution) {
                case KeyResolver.Key key -> {
                    keys.put(t.id(), key.columns());
                    LOG.info("{}: paginated by ({}): {}", t.id(),
                            String.join(", ", key.columns().stream().map(ColumnSchema::name).toList()), key.origin());
                }
                case KeyResolver.Whole w -> {
                    keys.put(t.id(), List.of());
                    whole.add(t.id());
                }
                case KeyResolver.Refused r -> refused.add(t.id() + ": " + r.reason());
            }
        }
        refused.addAll(FullCopySizes.checkAndWarn(source, whole));
        RowSelectionCheck.Result selections = RowSelectionCheck.check(source, tables.values(), subset.rows());
        refused.addAll(selections.refused());
        warnAboutUnmatchedPerTableEntries(tables.keySet());
        refuseUnmatchedFullTableCopies(tables.keySet());
        if (!refused.isEmpty()) {
            throw new PreconditionFailed("ferry cannot copy " + refused.size() + " selected table(s):\n  "
                    + String.join("\n  ", refused)
                    + "\nLeave them out with Tables.Blacklist (or Databases.Blacklist) and move them another way.");
        }
        var compatibility = SchemaCompatibility.between(source, target);
        Set<TableId> existing = config.allowExistingTargetTable() ? existingTargetTables(target, tables.keySet()) : Set.of();
        SchemaCompatibility.Report report = compatibility.check(source, target, tables.values(), config::targetOf,
                existing::contains);
        List<String> incompatible = report.refusals();
        if (!incompatible.isEmpty()) {
            throw new PreconditionFailed("the target " + config.target().describe() + " cannot take "
                    + incompatible.size() + " definition(s) of the source as they are:\n  "
                    + String.join("\n  ", incompatible)
                    + "\nferry maps what has an equivalent on the target (see the log and the README's "
                    + "Compatibility section); fix these on the source, leave the tables out (Tables.Blacklist), or "
                    + "create the target tables yourself and set AllowExistingTargetTable.");
        }
        return new Checked(sourceServer, targetServer, tables, keys, estimate(source, tables.keySet(), "TABLE_ROWS"),
                estimate(source, tables.keySet(), "DATA_LENGTH"), compatibility, report.mappings(), loadData(target),
                batchSizes(source, tables.keySet()), leftOut, selections.selected());
    }

    /** Each table's batch size from {@code DataIterationBatchSizePerTableOverride}: named, or by average row length. */
    private Map<TableId, Integer> batchSizes(Connection source, Set<TableId> tables) throws SQLException {
        BatchSizeOverride override = config.rowCopy().batchSizes();
        if (override == null) {
            return Map.of();
        }
        Map<TableId, Integer> out = new LinkedHashMap<>();
        estimate(source, tables, "AVG_ROW_LENGTH").forEach((t, avg) -> {
            int size = override.batchSize(t, avg);
            out.put(t, size);
            LOG.info("{}: batches of {} rows (DataIterationBatchSizePerTableOverride; rows average {} bytes)", t, size,
                    avg);
        });
        return out;
    }

    /**
     * {@code LoadData} on and the target's {@code local_infile} on (MariaDB's default; MySQL 8.0 ships with it off):
     * the copy loads its batches, which costs the target and ferry less than INSERT statements.
     */
    private boolean loadData(Connection target) throws SQLException {
        if (!config.rowCopy().loadData()) {
            LOG.info("row copy: batches are written as multi-row INSERT (LoadData is off)");
            return false;
        }
        try (var st = target.createStatement(); var rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
            rs.next();
            if (rs.getBoolean(1)) {
                LOG.info("row copy: batches are written with LOAD DATA LOCAL INFILE (the target's local_infile is ON)");
                return true;
            }
        }
        LOG.info("row copy: batches are written as multi-row INSERT: the target's local_infile is OFF (SET GLOBAL"
                + " local_infile = ON on the target lets ferry load them, which is faster)");
        return false;
    }

    /** ChecksumTable compares engine-specific checksums; refused before anything is copied. */
    private void checkVerifierAcrossEngines(ServerInfo source, ServerInfo target) {
        if (config.verification().type() == VerificationConfig.Type.CHECKSUM_TABLE && subset.filtersRows()) {
            throw new ConfigException("VerifierType = ChecksumTable: CHECKSUM TABLE sums whole tables and cannot"
                    + " verify the subset of rows this run copies; use Iterative or Inline");
        }
        if (config.verification().type() == VerificationConfig.Type.CHECKSUM_TABLE) {
            String refusal = VerificationConfig.checksumTableRefusal(source.flavor(), target.flavor());
            if (refusal != null) {
                throw new PreconditionFailed(refusal);
            }
        }
    }

    /** The target names of {@code tables} that exist on the target. */
    private Set<TableId> existingTargetTables(Connection target, Set<TableId> tables) throws SQLException {
        Set<TableId> out = new HashSet<>();
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (TableId t : tables) {
                TableId onTarget = config.targetOf(t);
                ps.setString(1, onTarget.database());
                ps.setString(2, onTarget.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(onTarget);
                    }
                }
            }
        }
        return out;
    }

    private void checkBinlog(Connection source) throws SQLException {
        List<String> problems = BinlogSettings.read(source).problems(config.skipBinlogRowImageCheck());
        if (!problems.isEmpty()) {
            throw new PreconditionFailed(String.join("; ", problems));
        }
    }

    private void checkLockStrategy(Connection source, ServerInfo server) throws SQLException {
        if (config.lockStrategy() != LockStrategy.LOCK_IN_GHOSTFERRY || server.isMariaDb()) {
            return;
        }
        String problem = lockInGhostferryProblem(server, variables(source, "gtid_mode").get("gtid_mode"));
        if (problem != null) {
            throw new PreconditionFailed(problem);
        }
    }

    /**
     * Why {@code LockInGhostferry} cannot be used on the MySQL source {@code server} with {@code gtid_mode}, or null:
     * each batch must wait until the changes already applied from the binlog are visible to it, and on MySQL only
     * their GTIDs show that (see {@link ReadView}).
     */
    static String lockInGhostferryProblem(ServerInfo server, String gtidMode) {
        if (server.isMariaDb() || "ON".equalsIgnoreCase(gtidMode)) {
            return null;
        }
        return "LockStrategy LockInGhostferry on MySQL needs gtid_mode=ON on the source (it is "
                + (gtidMode == null ? "unknown" : gtidMode) + "): a change is in the binlog a moment before other "
                + "sessions see it, and only its GTID tells when a batch read includes it. Enable GTIDs on the source "
                + "(gtid_mode=ON, enforce_gtid_consistency=ON), or use \"LockStrategy\": \"LockOnSourceDB\" (the "
                + "default; needs a writable source and the LOCK TABLES, UPDATE or DELETE privilege for FOR SHARE)";
    }

    /**
     * MySQL 8.0.30+ can hide generated invisible primary keys ({@code my_row_id}) from information_schema and SHOW
     * CREATE TABLE; ferry would then read those tables without their key and create them without it.
     */
    private void checkGeneratedKeysVisible(Connection source, ServerInfo server) throws SQLException {
        if (server.isMariaDb()) {
            return;
        }
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(
                "SHOW SESSION VARIABLES LIKE 'show_gipk_in_create_table_and_information_schema'")) {
            if (rs.next() && "OFF".equalsIgnoreCase(rs.getString(2))) { // the variable exists from MySQL 8.0.30
                throw new PreconditionFailed("the source hides generated invisible primary keys (my_row_id) from ferry:"
                        + " show_gipk_in_create_table_and_information_schema is OFF. Add \"Params\": "
                        + "{\"show_gipk_in_create_table_and_information_schema\": \"ON\"} to Source");
            }
        }
    }

    /**
     * A read-only target is refused, unless {@code AllowSuperUserOnReadOnly} says ferry's user writes through
     * {@code read_only} (as SUPER-like users can): then it must really be able to.
     */
    private void checkTargetWritable(Connection target) throws SQLException {
        String readOnly = variables(target, "read_only").get("read_only");
        if (!"ON".equalsIgnoreCase(readOnly) && !"1".equals(readOnly)) {
            return;
        }
        if (!config.preflightOptions().allowSuperUserOnReadOnly()) {
            throw new PreconditionFailed("the target " + config.target().describe() + " is read-only (read_only=ON); "
                    + "ferry writes to it. Run SET GLOBAL read_only=OFF on the target, or set \"AllowSuperUserOnReadOnly\":"
                    + " true if ferry's target user may write through read_only (SUPER or CONNECTION_ADMIN; MariaDB:"
                    + " READ_ONLY ADMIN) and the target must stay read-only for everyone else");
        }
        String superReadOnly = variables(target, "super_read_only").get("super_read_only");
        if ("ON".equalsIgnoreCase(superReadOnly) || "1".equals(superReadOnly)) {
            throw new PreconditionFailed("the target " + config.target().describe() + " has super_read_only=ON, which"
                    + " no user can write through, AllowSuperUserOnReadOnly or not. Run SET GLOBAL super_read_only=OFF"
                    + " on the target (read_only can stay ON)");
        }
        Set<String> global = globalPrivileges(target);
        if (global.stream().noneMatch(WRITES_THROUGH_READ_ONLY::contains)) {
            throw new PreconditionFailed("the target " + config.target().describe() + " is read-only (read_only=ON)"
                    + " and AllowSuperUserOnReadOnly is set, but the target user cannot write through read_only: it"
                    + " lacks SUPER and CONNECTION_ADMIN (MariaDB: READ_ONLY ADMIN). Run on the target: GRANT"
                    + " CONNECTION_ADMIN ON *.* TO '" + config.target().user() + "'@'<host>' (MariaDB: GRANT READ_ONLY"
                    + " ADMIN ...), or SET GLOBAL read_only=OFF");
        }
        LOG.info("the target is read-only (read_only=ON); AllowSuperUserOnReadOnly: ferry's user {} writes through it",
                config.target().describe());
    }

    /**
     * A read-only source is usually a replica, which may lag behind or miss writes made on its primary at cutover;
     * Ghostferry refuses it unless {@code AllowReplicationFromReplica} says the operator knows, or
     * {@code RunFerryFromReplica} makes the cutover wait for the replica.
     */
    private void checkSourceNotReadOnly(Connection source) throws SQLException {
        String readOnly = variables(source, "read_only").get("read_only");
        boolean isReadOnly = "ON".equalsIgnoreCase(readOnly) || "1".equals(readOnly);
        if (isReadOnly && !config.allowReplicationFromReplica() && config.replicaSource() == null) {
            throw new PreconditionFailed("the source " + config.source().describe() + " is read-only (read_only=ON), "
                    + "as replicas are; copying from a replica is safe only if it is up to date with its primary "
                    + "when the cutover starts. Set \"RunFerryFromReplica\": true with SourceReplicationMaster, so that"
                    + " the cutover waits for the replica to apply the master's last writes; or \"AllowReplicationFromReplica\":"
                    + " true to copy from it without that wait; either with \"LockStrategy\": \"LockInGhostferry\""
                    + " (which needs no lock on the source); or copy from the primary");
        }
    }

    private void checkSourcePrivileges(Connection source) throws SQLException {
        Set<String> global = globalPrivileges(source);
        if (global.contains("ALL PRIVILEGES")) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!global.contains("REPLICATION SLAVE")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!global.contains("REPLICATION CLIENT") && !global.contains("BINLOG MONITOR") && !global.contains("SUPER")) {
            missing.add("REPLICATION CLIENT (BINLOG MONITOR on MariaDB)");
        }
        if (!missing.isEmpty()) {
            throw new PreconditionFailed("the source user " + config.source().describe() + " lacks " + String.join(" and ", missing)
                    + ", which ferry needs to read the binlog. Run on the source: GRANT " + String.join(", ",
                    missing.stream().map(m -> m.replace(" (BINLOG MONITOR on MariaDB)", "")).toList())
                    + " ON *.* TO '" + config.source().user() + "'@'<host>'");
        }
    }

    private void checkTargetPrivileges(Connection target) throws SQLException {
        Set<String> global = globalPrivileges(target);
        if (global.contains("ALL PRIVILEGES")) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String p : List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE")) {
            if (!global.contains(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new PreconditionFailed("the target user " + config.target().describe() + " lacks " + String.join(", ", missing)
                    + " on *.*, which ferry needs to create and fill the target tables. Run on the target: GRANT "
                    + String.join(", ", missing) + " ON *.* TO '" + config.target().user() + "'@'<host>'");
        }
    }

    /**
     * The source's size estimate ({@code DATA_LENGTH}) of every table the config selects, whatever the part: what
     * the parts of a partitioned move are balanced by.
     */
    public Map<TableId, Long> selectedSizes(Connection source) throws SQLException {
        return estimate(source, selectedNames(source), "DATA_LENGTH");
    }

    private Set<TableId> selectedNames(Connection source) throws SQLException {
        Set<TableId> selected = new LinkedHashSet<>();
        for (String db : SchemaLoader.databases(source)) {
            if (!config.selectsDatabase(db)) {
                continue;
            }
            for (String table : SchemaLoader.tableNames(source, db)) {
                if (config.selectsTable(db, table)) {
                    selected.add(new TableId(db, table));
                }
            }
        }
        if (selected.isEmpty()) {
            throw new ConfigException("Databases/Tables select no table on the source " + config.source().describe()
                    + "; check the Whitelist/Blacklist names (they are case-sensitive)");
        }
        return selected;
    }

    /** The tables of {@code moved} (what the whole move selects) this run copies, with their schemas. */
    private Map<TableId, TableSchema> selectTables(Connection source, Set<TableId> moved) throws SQLException {
        List<TableId> selected = new ArrayList<>(moved);
        checkRewritesDoNotCollide(selected);
        List<TableId> mine = selected.stream().filter(part).toList();
        if (mine.isEmpty()) {
            throw new ConfigException("Partition = " + config.partition() + ": this part of the move has no table (the"
                    + " config selects " + selected.size() + " table(s) in all); use at most " + selected.size()
                    + " parts");
        }
        Map<TableId, TableSchema> schemas = SchemaLoader.load(source, mine);
        if (subset.tables() == TableFilter.ALL) {
            return schemas;
        }
        Map<TableId, TableSchema> included = new LinkedHashMap<>();
        schemas.forEach((id, schema) -> {
            if (subset.tables().includes(schema)) {
                included.put(id, schema);
            } else {
                leftOut.put(id, subset.tables().describe(schema));
                LOG.info("{}: {}", id, leftOut.get(id));
            }
        });
        if (included.isEmpty()) {
            throw new ConfigException("the table filter leaves none of the " + schemas.size() + " selected table(s) in"
                    + " the copy; check its settings against the source's tables");
        }
        return included;
    }

    /**
     * Ghostferry refuses every foreign key unless {@code SkipForeignKeyConstraintsCheck}; ferry copies foreign keys
     * (creation order, cascades) and refuses only those it cannot honour: a key of a copied table that references a
     * table the run does not copy. On the target it would reference rows that are not there, and cascades from the
     * parent would never reach the child. A table another part of a partitioned move copies is copied.
     *
     * @param mine  the tables this run copies
     * @param moved the tables the whole move copies (more than {@code mine} in a partitioned move)
     */
    private void checkForeignKeysStayInTheCopy(Connection source, Set<TableId> mine, Set<TableId> moved)
            throws SQLException {
        List<String> leaving = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("""
                SELECT TABLE_NAME, CONSTRAINT_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME
                FROM information_schema.REFERENTIAL_CONSTRAINTS
                WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME""")) {
            for (String db : mine.stream().map(TableId::database).distinct().sorted().toList()) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableId child = new TableId(db, rs.getString(1));
                        TableId parent = new TableId(rs.getString(3), rs.getString(4));
                        if (mine.contains(child) && !moved.contains(parent)) {
                            leaving.add(child + ": foreign key " + rs.getString(2) + " references " + parent
                                    + ", which is not copied");
                        }
                    }
                }
            }
        }
        if (leaving.isEmpty()) {
            return;
        }
        if (config.preflightOptions().skipForeignKeyConstraintsCheck()) {
            leaving.forEach(l -> LOG.warn("SkipForeignKeyConstraintsCheck: {}; the target's key will reference rows"
                    + " that are not there", l));
            return;
        }
        throw new PreconditionFailed(leaving.size() + " foreign key(s) of copied tables reference tables the run does"
                + " not copy:\n  " + String.join("\n  ", leaving) + "\nSelect the referenced tables too (Databases/Tables),"
                + " or set \"SkipForeignKeyConstraintsCheck\": true to copy the tables anyway (the target's keys will"
                + " then reference rows that are not there, and the parents' cascades will not reach them)");
    }

    private void checkRewritesDoNotCollide(List<TableId> selected) {
        Map<TableId, TableId> seen = new LinkedHashMap<>();
        for (TableId t : selected) {
            TableId previous = seen.putIfAbsent(config.targetOf(t), t);
            if (previous != null) {
                throw new ConfigException("Databases.Rewrites/Tables.Rewrites map both " + previous + " and " + t
                        + " to " + config.targetOf(t) + "; give each source table its own target name");
            }
        }
    }

    private void warnAboutUnmatchedPerTableEntries(Set<TableId> selected) {
        config.paginationColumns().perTable().forEach((db, tables) -> tables.keySet().forEach(table -> {
            if (!selected.contains(new TableId(db, table))) {
                LOG.warn("CascadingPaginationColumnConfig.PerTable names {}.{}, which is not a selected source table; "
                        + "the entry is unused", db, table);
            }
        }));
    }

    /** An opt-in naming no selected table is a typo the operator must hear of: the table meant is not copied whole. */
    private void refuseUnmatchedFullTableCopies(Set<TableId> selected) {
        List<String> unknown = new ArrayList<>();
        config.paginationColumns().fullTableCopies().forEach((db, tables) -> tables.forEach(table -> {
            if (!selected.contains(new TableId(db, table))) {
                unknown.add(db + "." + table);
            }
        }));
        if (!unknown.isEmpty()) {
            throw new PreconditionFailed("CascadingPaginationColumnConfig.FullTableCopies names " + String.join(", ", unknown)
                    + ", which " + (unknown.size() == 1 ? "is not a selected source table" : "are not selected source tables")
                    + " (names are source names, case-sensitive); fix the names or remove the entries");
        }
    }

    static String unsupportedColumns(TableSchema t, ServerInfo source) {
        List<String> bad = t.columns().stream().filter(c -> c.kind() == ColumnKind.UNSUPPORTED)
                .map(c -> c.name() + " (" + c.columnType() + ")").toList();
        if (!bad.isEmpty()) {
            return "column(s) of a type ferry cannot copy exactly: " + String.join(", ", bad);
        }
        List<String> json = t.columns().stream().filter(c -> c.kind() == ColumnKind.JSON).map(ColumnSchema::name).toList();
        if (!json.isEmpty() && !RowReader.readsJsonTypes(source)) {
            return "JSON column(s) " + String.join(", ", json) + ": MySQL " + source.version() + " cannot list the"
                    + " types of nested JSON values (it has no JSON_TABLE), so DECIMAL, DATE, unsigned and binary"
                    + " values inside them would reach the target as other types; copy from MySQL 8.0 or newer";
        }
        return null;
    }

    /** The server's estimate of each table's {@code column} of information_schema.TABLES (rows or bytes). */
    private static Map<TableId, Long> estimate(Connection source, Set<TableId> tables, String column) throws SQLException {
        Map<TableId, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT COALESCE(" + column
                + ", 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (TableId t : tables) {
                ps.setString(1, t.database());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    out.put(t, rs.next() ? rs.getLong(1) : 0L);
                }
            }
        }
        return out;
    }

    static Map<String, String> variables(Connection c, String... names) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String name : names) {
                try (ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
                    out.put(name, rs.next() ? rs.getString(2) : null);
                }
            }
        }
        return out;
    }

    /** Privileges granted on {@code *.*} to the current user, upper-case ({@code ALL PRIVILEGES} when all). */
    static Set<String> globalPrivileges(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                String grant = rs.getString(1);
                String upper = grant.toUpperCase(Locale.ROOT);
                int on = upper.indexOf(" ON *.* TO ");
                if (!upper.startsWith("GRANT ") || on < 0) {
                    continue;
                }
                for (String p : grant.substring(6, on).split(",")) {
                    out.add(p.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}

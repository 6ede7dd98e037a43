package io.ferry.copy.internal.state;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.Defaults;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.sql.Sql;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.RangeState;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's state kept in tables of a database on the target ({@code ResumeStateFromDB}), named
 * {@code _ferry_<key>_*} ({@link io.ferry.core.config.CopydbConfig#stateKey}: {@code MyServerId}, and the part of a
 * partitioned run) so runs with different server ids, and the workers of one move, do not collide:
 * <ul>
 *   <li>{@code run_state}: one row, the whole state as JSON as of the last full save;</li>
 *   <li>{@code row_copy_state}: one row per key range of a table ({@code range_no} 0..n-1), written by the batch's own
 *       transaction, plus a row with {@code range_no = -1, copy_complete = 1} once the table is complete;</li>
 *   <li>{@code binlog_state}: the applier's and the inline verifier's positions as (event, resume-from) pairs,
 *       written with each applied transaction under {@code ForceResumeStateUpdatesToDB}, else periodically.</li>
 * </ul>
 * Loading overlays the newer rows of the last two on the JSON of the first. Values are written as hex literals,
 * so no name or key needs escaping.
 */
public final class TargetStateTables {
    private static final Logger LOG = LoggerFactory.getLogger(TargetStateTables.class);
    private static final String APPLIER = "applier";
    private static final String INLINE_VERIFIER = "inline_verifier";
    private static final int COMPLETE = -1;

    private final DataSource target;
    private final RetryPolicy writeRetries;
    private final String database;
    private final String runState;
    private final String rowCopyState;
    private final String binlogState;

    public TargetStateTables(DataSource target, String database, long serverId) {
        this(target, database, serverId, Defaults.DB_WRITE_RETRIES);
    }

    /**
     * @param writeRetries retries ({@link RetryPolicy}) of a write that failed transiently (a deadlock with another
     *                     table's batch, a lock wait timeout, a lost connection), each with a fresh connection
     */
    public TargetStateTables(DataSource target, String database, long serverId, int writeRetries) {
        this(target, database, Long.toString(serverId), writeRetries);
    }

    /** @param key what the tables are named after ({@code _ferry_<key>_*}) */
    public TargetStateTables(DataSource target, String database, String key, int writeRetries) {
        this.target = target;
        this.writeRetries = RetryPolicy.of(writeRetries);
        this.database = database;
        String prefix = Sql.quote(database) + "." + "`_ferry_" + key + "_";
        this.runState = prefix + "run_state`";
        this.rowCopyState = prefix + "row_copy_state`";
        this.binlogState = prefix + "binlog_state`";
    }

    public String database() {
        return database;
    }

    /** Creates the database and tables when missing. */
    public void create() {
        execute("creating the state tables", createStatements());
    }

    /** {@link #create()} on connection {@code c}. */
    void create(Connection c) {
        execute(c, "creating the state tables", createStatements());
    }

    private String[] createStatements() {
        return new String[] {
                "CREATE DATABASE IF NOT EXISTS " + Sql.quote(database),
                "CREATE TABLE IF NOT EXISTS " + runState + " (id TINYINT NOT NULL PRIMARY KEY, state LONGBLOB NOT NULL,"
                        + " saved_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))",
                "CREATE TABLE IF NOT EXISTS " + rowCopyState + " (table_name VARBINARY(512) NOT NULL, range_no INT NOT NULL,"
                        + " range_state BLOB NOT NULL, copy_complete BOOLEAN NOT NULL DEFAULT FALSE,"
                        + " last_write_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                        + " PRIMARY KEY (table_name, range_no))",
                "CREATE TABLE IF NOT EXISTS " + binlogState + " (consumer VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,"
                        + " event_filename VARBINARY(255) NOT NULL, event_pos BIGINT UNSIGNED NOT NULL,"
                        + " resume_filename VARBINARY(255) NOT NULL, resume_pos BIGINT UNSIGNED NOT NULL,"
                        + " write_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))"};
    }

    /** The saved state, or empty when these tables hold none (or do not exist). */
    public Optional<RunState> load() {
        try (Connection c = target.getConnection()) {
            return load(c);
        } catch (SQLException e) {
            throw new RunFailed("reading the state tables in target database " + database + " failed: "
                    + SqlErrors.describe(e) + "; check the target and ferry's privileges there", e);
        }
    }

    /** {@link #load()} on connection {@code c}. */
    public Optional<RunState> load(Connection c) {
        try (Statement st = c.createStatement()) {
            if (!exists(st)) {
                return Optional.empty();
            }
            RunState base;
            try (ResultSet rs = st.executeQuery("SELECT state FROM " + runState + " WHERE id = 1")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                base = StateCodec.fromJson(new String(rs.getBytes(1), StandardCharsets.UTF_8));
            }
            Map<TableId, TreeMap<Integer, RangeState>> ranges = new LinkedHashMap<>();
            Set<TableId> completed = new LinkedHashSet<>(base.completedTables());
            try (ResultSet rs = st.executeQuery("SELECT table_name, range_no, range_state, copy_complete FROM "
                    + rowCopyState + " ORDER BY table_name, range_no")) {
                while (rs.next()) {
                    TableId t = TableId.parse(new String(rs.getBytes(1), StandardCharsets.UTF_8));
                    int no = rs.getInt(2);
                    if (no == COMPLETE) {
                        if (rs.getBoolean(4)) {
                            completed.add(t);
                        }
                        continue;
                    }
                    ranges.computeIfAbsent(t, x -> new TreeMap<>())
                            .put(no, StateCodec.rangeFromJson(new String(rs.getBytes(3), StandardCharsets.UTF_8)));
                }
            }
            Map<TableId, List<RangeState>> progress = new LinkedHashMap<>(base.copyProgress());
            ranges.forEach((t, rs) -> {
                if (!completed.contains(t)) {
                    progress.put(t, new ArrayList<>(rs.values()));
                }
            });
            completed.forEach(progress::remove);
            ResumablePosition applier = base.applierPosition();
            ResumablePosition verifier = base.inlineVerifierPosition();
            try (ResultSet rs = st.executeQuery("SELECT consumer, event_filename, event_pos, resume_filename, resume_pos FROM "
                    + binlogState)) {
                while (rs.next()) {
                    var p = new ResumablePosition(
                            new BinlogPosition(new String(rs.getBytes(2), StandardCharsets.UTF_8), rs.getLong(3)),
                            new BinlogPosition(new String(rs.getBytes(4), StandardCharsets.UTF_8), rs.getLong(5)));
                    switch (rs.getString(1)) {
                        case APPLIER -> applier = p;
                        case INLINE_VERIFIER -> verifier = p;
                        default -> {
                        }
                    }
                }
            }
            return Optional.of(new RunState(base.formatVersion(), base.ferryVersion(), base.savedAt(), base.source(),
                    base.tables(), base.descending(), base.schemaCache(), progress, completed, applier, verifier,
                    base.verifyStore(), base.pendingSchemaChange(), base.rowFilter()));
        } catch (SQLException e) {
            throw new RunFailed("reading the state tables in target database " + database + " failed: "
                    + SqlErrors.describe(e) + "; check the target and ferry's privileges there", e);
        }
    }

    private boolean exists(Statement st) throws SQLException {
        String table = runState.substring(runState.lastIndexOf('.') + 2, runState.length() - 1);
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                + Sql.string(database) + " AND TABLE_NAME = " + Sql.string(table))) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** Replaces everything saved with {@code state}, in one transaction. */
    public void replaceAll(RunState state) {
        try (Connection c = target.getConnection()) {
            replaceAll(c, state);
        } catch (SQLException e) {
            throw failed("saving the run state", e);
        }
    }

    /** {@link #replaceAll(RunState)} on connection {@code c}. */
    void replaceAll(Connection c, RunState state) {
        List<String> statements = new ArrayList<>();
        statements.add("START TRANSACTION");
        statements.add("DELETE FROM " + rowCopyState);
        statements.add("DELETE FROM " + binlogState);
        statements.add("REPLACE INTO " + runState + " (id, state) VALUES (1, " + hex(StateCodec.toJson(state)) + ")");
        state.copyProgress().forEach((t, rs) -> {
            for (int i = 0; i < rs.size(); i++) {
                statements.add(rangeStatement(t, i, rs.get(i)));
            }
        });
        for (TableId t : state.completedTables()) {
            statements.add(completedStatement(t));
        }
        statements.add(positionStatement(APPLIER, state.applierPosition()));
        statements.add(positionStatement(INLINE_VERIFIER, state.inlineVerifierPosition()));
        statements.add("COMMIT");
        execute(c, "saving the run state", statements.toArray(String[]::new));
    }

    /**
     * Saves {@code state}'s JSON (schemas, reverify store, pending schema change) and the verifier's position in one
     * transaction, and the applier's position with them when {@code withApplierPosition}; the per-range rows,
     * written by the copy's own transactions, are left alone.
     */
    public void saveSummary(RunState state, boolean withApplierPosition) {
        List<String> statements = new ArrayList<>();
        statements.add("START TRANSACTION");
        statements.add("REPLACE INTO " + runState + " (id, state) VALUES (1, " + hex(StateCodec.toJson(state)) + ")");
        if (withApplierPosition) {
            statements.add(positionStatement(APPLIER, state.applierPosition()));
        }
        statements.add(positionStatement(INLINE_VERIFIER, state.inlineVerifierPosition()));
        statements.add("COMMIT");
        execute("saving the run state", statements.toArray(String[]::new));
    }

    /** Upserts range {@code index} of {@code table}; run by the batch's own transaction. */
    public String rangeStatement(TableId table, int index, RangeState range) {
        return "INSERT INTO " + rowCopyState + " (table_name, range_no, range_state) VALUES (" + hex(table.toString())
                + ", " + index + ", " + hex(StateCodec.rangeToJson(range)) + ") ON DUPLICATE KEY UPDATE"
                + " range_state = VALUES(range_state)";
    }

    /** Saves every range of {@code table} at once (its plan, before the first batch), replacing an earlier plan. */
    public void writeRanges(TableId table, List<RangeState> ranges) {
        List<String> statements = new ArrayList<>();
        statements.add("START TRANSACTION");
        statements.add("DELETE FROM " + rowCopyState + " WHERE table_name = " + hex(table.toString()));
        for (int i = 0; i < ranges.size(); i++) {
            statements.add(rangeStatement(table, i, ranges.get(i)));
        }
        statements.add("COMMIT");
        execute("saving the key ranges of " + table, statements.toArray(String[]::new));
    }

    /**
     * Saves a range added to {@code table}'s plan ({@code added}) with the range it was split from, whose end moved,
     * in one transaction: a resume finds both or neither.
     */
    public void writeRange(TableId table, int added, RangeState addedRange, int split, RangeState splitRange) {
        execute("saving the key ranges of " + table, "START TRANSACTION", rangeStatement(table, added, addedRange),
                rangeStatement(table, split, splitRange), "COMMIT");
    }

    public void tableCompleted(TableId table) {
        execute("saving that " + table + " is copied", completedStatement(table));
    }

    private String completedStatement(TableId table) {
        return "INSERT INTO " + rowCopyState + " (table_name, range_no, range_state, copy_complete) VALUES ("
                + hex(table.toString()) + ", " + COMPLETE + ", '', 1) ON DUPLICATE KEY UPDATE copy_complete = 1";
    }

    /** The statement saving the applier's position; run inside each applied transaction when forced. */
    public String applierPositionStatement(ResumablePosition p) {
        return positionStatement(APPLIER, p);
    }

    public void writeApplierPosition(ResumablePosition p) {
        execute("saving the binlog applier position", applierPositionStatement(p));
    }

    private String positionStatement(String consumer, ResumablePosition p) {
        return "REPLACE INTO " + binlogState + " (consumer, event_filename, event_pos, resume_filename, resume_pos)"
                + " VALUES ('" + consumer + "', " + hex(p.event().file()) + ", " + p.event().offset() + ", "
                + hex(p.resumeFrom().file()) + ", " + p.resumeFrom().offset() + ")";
    }

    private static String hex(String s) {
        return s.isEmpty() ? "''" : "X'" + Sql.hex(s.getBytes(StandardCharsets.UTF_8)) + "'";
    }

    /** Runs {@code statements} on a connection of its own, retrying transient failures with a fresh one. */
    private void execute(String what, String... statements) {
        try {
            writeRetries.run(() -> {
                try (Connection c = target.getConnection()) {
                    run(c, statements);
                    return null;
                }
            }, (retry, e, wait) -> LOG.info("{} in target database {} is retried ({} of {}): {}", what, database,
                    retry, writeRetries.retries(), SqlErrors.describe(e)));
        } catch (SQLException e) {
            if (!RetryPolicy.isTransient(e)) {
                throw failed(what, e);
            }
            int tries = writeRetries.attempts();
            throw new RunFailed(what + " in target database " + database + " failed after " + tries + (tries == 1 ? " try: " : " tries: ")
                    + SqlErrors.describe(e) + "; the target is overloaded or another session holds locks on"
                    + " ferry's state tables (raise DBWriteRetries, or find the session in the processlist)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailed("interrupted while retrying a state write", e);
        }
    }

    private void execute(Connection c, String what, String... statements) {
        try {
            run(c, statements);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** Runs {@code statements} in order; a failure rolls back what a multi-statement transaction had done. */
    private static void run(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            try {
                for (String sql : statements) {
                    st.execute(sql);
                }
            } catch (SQLException e) {
                if (statements.length > 1) {
                    try {
                        st.execute("ROLLBACK");
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                }
                throw e;
            }
        }
    }

    private RunFailed failed(String what, SQLException e) {
        return new RunFailed(what + " in target database " + database + " failed: " + SqlErrors.describe(e)
                + "; check the target and ferry's privileges on " + database, e);
    }
}

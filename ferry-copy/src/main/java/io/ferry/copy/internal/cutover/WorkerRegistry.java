package io.ferry.copy.internal.cutover;

import io.ferry.core.ConfigException;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.Partition;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.sql.Sql;
import io.ferry.core.state.BinlogPosition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Where the workers of one partitioned move meet on the target, in ferry's state database
 * ({@code ResumeStateFromDB}), so that the N runs cut over once, together:
 * <ul>
 *   <li>{@code _ferry_<move>_workers}: one row per worker (its part, the part count, its phase, a heartbeat the
 *   database's clock stamps, so workers on machines with skewed clocks agree on who is alive);</li>
 *   <li>{@code _ferry_<move>_parts}: the part of each table, as the first worker to start proposed it, so a worker
 *   that starts later or restarts copies the same tables even when the servers' size estimates have moved;</li>
 *   <li>{@code _ferry_<move>_cutover}: at most one row, claimed by the worker that leads the cutover, holding when
 *   it locked the application, the common stop position, and when it unlocked.</li>
 * </ul>
 * {@code move} is the configured {@code MyServerId} shared by all workers. Each claim is one statement that only
 * one worker can win ({@code INSERT IGNORE} of the single row, {@code UPDATE ... WHERE ... IS NULL}), so a lock,
 * a stop position and an unlock are each taken exactly once, whichever workers race or restart.
 * See README "Splitting a move across workers".
 */
public final class WorkerRegistry {
    /** What a worker reports; the order is the order of a run. */
    public enum WorkerPhase {
        COPYING, CAUGHT_UP, DONE
    }

    /** A registered worker as the others see it. */
    public record Worker(int index, WorkerPhase phase, Duration sinceHeartbeat) {
    }

    /** The cutover row: who leads it and how far it got. */
    public record Cutover(int leader, boolean locked, BinlogPosition stop, boolean unlocked) {
    }

    private final DataSource target;
    private final String workers;
    private final String cutover;
    private final String parts;
    private final String database;
    private final Partition me;

    public WorkerRegistry(DataSource target, String database, long moveId, Partition me) {
        this.target = target;
        this.database = database;
        this.me = me;
        String prefix = Sql.quote(database) + ".`_ferry_" + moveId + "_";
        this.workers = prefix + "workers`";
        this.cutover = prefix + "cutover`";
        this.parts = prefix + "parts`";
    }

    /**
     * Creates the tables when missing and registers this worker as copying (again after a restart: it has to catch
     * up again before the cutover). Refuses a worker whose part count differs from one already registered: the
     * parts would overlap or leave tables out.
     */
    public void register() {
        run("registering worker " + me, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE IF NOT EXISTS " + Sql.quote(database));
                st.execute("CREATE TABLE IF NOT EXISTS " + workers + " (worker INT NOT NULL PRIMARY KEY,"
                        + " workers INT NOT NULL, phase VARCHAR(16) CHARACTER SET ascii NOT NULL,"
                        + " heartbeat TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
                st.execute("CREATE TABLE IF NOT EXISTS " + cutover + " (id TINYINT NOT NULL PRIMARY KEY,"
                        + " leader INT NOT NULL, locked_at TIMESTAMP(6) NULL, stop_file VARBINARY(255) NULL,"
                        + " stop_pos BIGINT UNSIGNED NULL, unlocked_at TIMESTAMP(6) NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS " + parts + " (table_name VARBINARY(512) NOT NULL PRIMARY KEY,"
                        + " part INT NOT NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT worker, workers FROM " + workers
                    + " WHERE workers <> ? LIMIT 1")) {
                ps.setInt(1, me.count());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new ConfigException("Partition = " + me + ": worker " + rs.getInt(1) + " of this move"
                                + " registered for " + rs.getInt(2) + " parts in " + workers + "; every worker of a move"
                                + " needs the same part count (or drop those tables to start the move over)");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + workers + " (worker, workers, phase)"
                    + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE phase = ?, heartbeat = CURRENT_TIMESTAMP(6)")) {
                ps.setInt(1, me.index());
                ps.setInt(2, me.count());
                ps.setString(3, WorkerPhase.COPYING.name());
                ps.setString(4, WorkerPhase.COPYING.name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The part of each of {@code proposed}'s tables that the move keeps: the stored one where a worker stored it
     * before, else this proposal (stored now). Workers proposing at once may mix their proposals, one table at a
     * time; every worker still reads back the same parts, each table in exactly one.
     */
    public Map<TableId, Integer> agreeOnParts(Map<TableId, Integer> proposed) {
        return run("agreeing on the parts of the move", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + parts + " (table_name, part) VALUES (?, ?)")) {
                for (var e : proposed.entrySet()) {
                    ps.setBytes(1, e.getKey().toString().getBytes(StandardCharsets.UTF_8));
                    ps.setInt(2, e.getValue());
                    ps.executeUpdate();
                }
            }
            Map<String, Integer> stored = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, part FROM " + parts)) {
                while (rs.next()) {
                    stored.put(new String(rs.getBytes(1), StandardCharsets.UTF_8), rs.getInt(2));
                }
            }
            Map<TableId, Integer> agreed = new TreeMap<>();
            proposed.keySet().forEach(t -> agreed.put(t, stored.get(t.toString())));
            return agreed;
        });
    }

    /** Records this worker's phase and refreshes its heartbeat. */
    public void report(WorkerPhase phase) {
        update("reporting worker " + me + " " + phase, "UPDATE " + workers + " SET phase = ?,"
                + " heartbeat = CURRENT_TIMESTAMP(6) WHERE worker = ?", phase.name(), me.index());
    }

    /** Every registered worker, by index. */
    public List<Worker> workers() {
        return run("reading the workers of the move", c -> {
            List<Worker> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT worker, phase,"
                    + " TIMESTAMPDIFF(MICROSECOND, heartbeat, CURRENT_TIMESTAMP(6)) FROM " + workers + " ORDER BY worker")) {
                while (rs.next()) {
                    out.add(new Worker(rs.getInt(1), WorkerPhase.valueOf(rs.getString(2)),
                            Duration.ofNanos(Math.max(0, rs.getLong(3)) * 1000)));
                }
            }
            return out;
        });
    }

    /**
     * The workers that hold up the cutover: not registered, or not yet at {@code phase}, or silent for longer than
     * {@code alive} (unless done: a done worker has exited); as a sentence naming them, or empty when every worker
     * is there.
     */
    public Optional<String> missing(WorkerPhase phase, Duration alive) {
        return sentence(waitingFor(phase, alive, false)).map(m -> "waiting for " + m);
    }

    /**
     * The workers that are gone rather than behind: never registered, or silent for longer than {@code alive}
     * before reaching {@code phase}; as a sentence naming them, or empty when every worker not yet there is alive.
     */
    public Optional<String> absent(WorkerPhase phase, Duration alive) {
        return sentence(waitingFor(phase, alive, true));
    }

    private List<String> waitingFor(WorkerPhase phase, Duration alive, boolean goneOnly) {
        List<Worker> known = workers();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < me.count(); i++) {
            int index = i;
            Worker w = known.stream().filter(k -> k.index() == index).findFirst().orElse(null);
            boolean fresh = w != null && w.sinceHeartbeat().compareTo(alive) <= 0;
            if (w == null) {
                missing.add("worker " + index + " never registered");
            } else if (w.phase() == WorkerPhase.DONE || (w.phase().compareTo(phase) >= 0 && fresh)) {
                continue; // there; a done worker has exited, so its silence is expected
            } else if (!fresh) {
                missing.add("worker " + index + " silent for " + w.sinceHeartbeat().toSeconds() + " s (last "
                        + w.phase().name().toLowerCase() + ")");
            } else if (!goneOnly) {
                missing.add("worker " + index + " still " + w.phase().name().toLowerCase());
            }
        }
        return missing;
    }

    private Optional<String> sentence(List<String> missing) {
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing) + " (of " + me.count()
                + " workers)");
    }

    /** Whether this worker is the lowest-numbered one heard from within {@code alive}: the one to lead. */
    public boolean leads(Duration alive) {
        return workers().stream().filter(w -> w.sinceHeartbeat().compareTo(alive) <= 0)
                .mapToInt(Worker::index).min().orElse(-1) == me.index();
    }

    /**
     * Claims the cutover for this worker; true when it holds the claim (now or from before a restart), false when
     * another worker does.
     */
    public boolean claimCutover() {
        update("claiming the cutover", "INSERT IGNORE INTO " + cutover + " (id, leader) VALUES (1, ?)", me.index());
        return cutover().map(c -> c.leader() == me.index()).orElse(false);
    }

    /** Marks the application locked ({@code CutoverLock} answered); only the leader's first call counts. */
    public boolean markLocked() {
        return update("marking the cutover locked", "UPDATE " + cutover + " SET locked_at = CURRENT_TIMESTAMP(6)"
                + " WHERE id = 1 AND leader = ? AND locked_at IS NULL", me.index()) == 1;
    }

    /** Publishes the common stop position, once: false when one was published already (the earlier one stands). */
    public boolean publishStop(BinlogPosition stop) {
        return update("publishing the stop position " + stop, "UPDATE " + cutover + " SET stop_file = ?, stop_pos = ?"
                + " WHERE id = 1 AND leader = ? AND locked_at IS NOT NULL AND stop_file IS NULL",
                stop.file().getBytes(StandardCharsets.UTF_8), stop.offset(), me.index()) == 1;
    }

    /** Marks the application unlocked ({@code CutoverUnlock} answered), once: true for the call that marked it. */
    public boolean markUnlocked() {
        return update("marking the cutover unlocked", "UPDATE " + cutover + " SET unlocked_at = CURRENT_TIMESTAMP(6)"
                + " WHERE id = 1 AND leader = ? AND stop_file IS NOT NULL AND unlocked_at IS NULL", me.index()) == 1;
    }

    /** The cutover row, or empty before any worker claimed it. */
    public Optional<Cutover> cutover() {
        return run("reading the cutover of the move", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT leader,"
                    + " locked_at IS NOT NULL, stop_file, stop_pos, unlocked_at IS NOT NULL FROM " + cutover + " WHERE id = 1")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] file = rs.getBytes(3);
                BinlogPosition stop = file == null ? BinlogPosition.NONE
                        : new BinlogPosition(new String(file, StandardCharsets.UTF_8), rs.getLong(4));
                return Optional.of(new Cutover(rs.getInt(1), rs.getBoolean(2), stop, rs.getBoolean(5)));
            }
        });
    }

    private int update(String what, String sql, Object... args) {
        return run(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T run(String what, Work<T> work) {
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(true);
            return work.on(c);
        } catch (SQLException e) {
            throw new RunFailed(what + " in target database " + database + " failed: " + SqlErrors.describe(e)
                    + "; check the target and ferry's privileges there", e);
        }
    }
}

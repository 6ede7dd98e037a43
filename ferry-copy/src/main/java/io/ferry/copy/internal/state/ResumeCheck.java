package io.ferry.copy.internal.state;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.PaginationKey;
import io.ferry.core.state.RangeState;
import io.ferry.core.state.RunState;
import io.ferry.core.state.SourceIdentity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a saved state can be resumed by this run, before anything is written: same source server, same
 * tables, same copy direction and keys, unchanged table schemas, and the binlog file to resume from still on the
 * source. Each refusal says which part differs and what to do.
 */
public final class ResumeCheck {
    private ResumeCheck() {
    }

    /** The identity of the server behind {@code source}. */
    public static SourceIdentity identify(Connection source, DatabaseConfig config) throws SQLException {
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@hostname, @@port, @@server_id")) {
            rs.next();
            return new SourceIdentity(config.hostPort(), rs.getString(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /**
     * Refuses {@code state} unless this run can continue it.
     *
     * @param keys      the pagination key of each copied table
     * @param rowFilter this run's row filter identity ({@code CopySubset.stateIdentity()})
     */
    public static void check(RunState state, SourceIdentity source, Map<TableId, TableSchema> schemas,
                             Map<TableId, List<ColumnSchema>> keys, boolean descending, String rowFilter) {
        if (!state.source().sameServerAs(source)) {
            throw new PreconditionFailed("the resume state was saved from source " + state.source()
                    + ", but this run's source is " + source + "; resume with the config of the interrupted run, or"
                    + " start the copy again from scratch");
        }
        Set<TableId> saved = state.tables();
        Set<TableId> now = new TreeSet<>(schemas.keySet());
        if (!saved.equals(now)) {
            Set<TableId> gone = new TreeSet<>(saved);
            gone.removeAll(now);
            Set<TableId> added = new TreeSet<>(now);
            added.removeAll(saved);
            throw new PreconditionFailed("the resume state is for another set of tables:"
                    + (gone.isEmpty() ? "" : " in the state but not selected now: " + gone + ";")
                    + (added.isEmpty() ? "" : " selected now but not in the state: " + added + ";")
                    + " select the same tables as the interrupted run (Databases/Tables filters), or start from scratch");
        }
        if (!Objects.equals(state.rowFilter(), rowFilter)) {
            throw new PreconditionFailed("the resume state is of a run that copied "
                    + (state.rowFilter() == null ? "every row" : "the rows of " + state.rowFilter())
                    + ", this run copies " + (rowFilter == null ? "every row" : "the rows of " + rowFilter)
                    + "; the target holds the interrupted run's rows: resume with the same filter, or start from"
                    + " scratch");
        }
        if (state.descending() != descending) {
            throw new PreconditionFailed("the resume state copied tables in " + (state.descending() ? "descending" : "ascending")
                    + " key order, this config in " + (descending ? "descending" : "ascending")
                    + "; set IterateInDescendingOrder as in the interrupted run");
        }
        List<String> changed = new ArrayList<>();
        if (state.schemaCache() != null) {
            for (TableId t : now) {
                TableSchema before = state.schemaCache().get(t);
                if (before != null && !sameColumns(before, schemas.get(t))) {
                    changed.add(t.toString());
                }
            }
        }
        if (!changed.isEmpty()) {
            throw new PreconditionFailed("the schema of " + String.join(", ", changed) + " changed on the source since"
                    + " the state was saved; a resumed copy would mix rows of both shapes: start the copy of these"
                    + " tables again from scratch");
        }
        state.copyProgress().forEach((t, ranges) -> {
            List<String> expected = keys.get(t).stream().map(ColumnSchema::name).toList();
            for (RangeState r : ranges) {
                for (PaginationKey k : new PaginationKey[] {r.after(), r.upTo(), r.lastCopied()}) {
                    if (k != null && !k.columns().equals(expected)) {
                        throw new PreconditionFailed("the resume state paginates " + t + " by " + k.columns()
                                + ", this run by " + expected + "; use the same CascadingPaginationColumnConfig as the"
                                + " interrupted run");
                    }
                }
            }
        });
    }

    private static boolean sameColumns(TableSchema a, TableSchema b) {
        if (a.columns().size() != b.columns().size()) {
            return false;
        }
        for (int i = 0; i < a.columns().size(); i++) {
            ColumnSchema x = a.columns().get(i);
            ColumnSchema y = b.columns().get(i);
            if (!x.name().equals(y.name()) || !x.columnType().equalsIgnoreCase(y.columnType())
                    || x.generated() != y.generated()) {
                return false;
            }
        }
        return a.primaryKey().equals(b.primaryKey());
    }

    /**
     * Refuses to resume from {@code from} when its binlog file is no longer on the source, naming the file, the
     * oldest one left, and the retention the interruption needed.
     */
    public static void checkBinlogAvailable(Connection source, BinlogPosition from, Instant savedAt, Instant now)
            throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        if (files.contains(from.file())) {
            return;
        }
        Duration down = Duration.between(savedAt, now);
        String retention = retentionSetting(source);
        throw new PreconditionFailed("cannot resume: the binlog file " + from.file() + " (position " + from
                + ") is no longer on the source" + (files.isEmpty() ? "" : "; the oldest binlog there is "
                + files.getFirst()) + ". The state was saved at " + savedAt + ", so the source had to keep its binlogs"
                + " for at least " + human(down) + " (" + Math.max(1, down.toSeconds()) + " s)"
                + (retention.isEmpty() ? "" : "; it keeps them for " + retention)
                + ". Raise binlog_expire_logs_seconds (expire_logs_days) above the longest interruption and start the"
                + " copy again from scratch");
    }

    private static String retentionSetting(Connection source) {
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN"
                     + " ('binlog_expire_logs_seconds', 'expire_logs_days')")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1) + " = " + rs.getString(2));
            }
            return String.join(", ", out);
        } catch (SQLException e) {
            return "";
        }
    }

    private static String human(Duration d) {
        long s = Math.max(1, d.toSeconds());
        if (s < 120) {
            return s + " seconds";
        }
        if (s < 7200) {
            return (s + 59) / 60 + " minutes";
        }
        if (s < 172800) {
            return (s + 3599) / 3600 + " hours";
        }
        return (s + 86399) / 86400 + " days";
    }
}

package io.ferry.copy.internal.state;

import io.ferry.copy.internal.replication.ReplicationProgress;
import io.ferry.copy.internal.rowcopy.TableCheckpoint;
import io.ferry.copy.internal.rowcopy.TableProgress;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.PendingSchemaChange;
import io.ferry.core.state.RangeState;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.SourceIdentity;
import io.ferry.core.state.StateCodec;
import io.ferry.core.verify.ReverifyState;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the run's {@link RunState} from its live parts: each table's {@link TableCheckpoint}, which tables are
 * complete (from their {@link TableProgress}, so copies of any kind count), the applier's position, the verifier's
 * reverify store with the position through which it holds every applied change, and the replicated schema changes
 * (a pending one, and the schemas as of the applied position). Progress only ever moves after target commits, so
 * any snapshot is safe to resume from.
 */
public final class RunStateTracker {
    private static final Logger LOG = LoggerFactory.getLogger(RunStateTracker.class);
    private final String ferryVersion;
    private final SourceIdentity source;
    private final Map<TableId, TableSchema> schemas;
    private final ReverifyState reverify;
    private final ReplicationProgress replication;
    private final ResumablePosition start;
    private volatile PendingSchemaChange pendingSchemaChange;
    private volatile ResumablePosition schemaChangeApplied = ResumablePosition.NONE;
    private final boolean descending;
    private final RunState resumed;
    private final BooleanSupplier stopping;
    private final TargetStateTables stateTables;
    private final InstantSource clock;
    private final Map<TableId, TableCheckpoint> checkpoints = new ConcurrentHashMap<>();
    private final Map<TableId, TableProgress> progress = new ConcurrentHashMap<>();
    private final Set<TableId> restarted = ConcurrentHashMap.newKeySet();
    private final String rowFilter;

    /**
     * @param schemas     the copied tables' schemas (source names)
     * @param resumed     the state this run resumes from, or {@code null} for a fresh run
     * @param stopping    whether the run is stopping (copiers end after their current batch)
     * @param stateTables the target's state tables, or {@code null}
     * @param start       where the applier starts: binlog positions come from {@code replication} once it has one
     * @param reverify    the verifier's reverify store, which goes into every snapshot with the position through
     *                    which the verifier's binlog listener heard of every applied change
     * @param rowFilter   the identity of a selective copy's row filter, or {@code null} when every row is copied
     */
    public RunStateTracker(String ferryVersion, SourceIdentity source, Map<TableId, TableSchema> schemas,
                           boolean descending, RunState resumed, BooleanSupplier stopping,
                           TargetStateTables stateTables, InstantSource clock, ResumablePosition start,
                           ReplicationProgress replication, ReverifyState reverify, String rowFilter) {
        this.rowFilter = rowFilter;
        this.ferryVersion = ferryVersion;
        this.source = source;
        this.schemas = new ConcurrentHashMap<>(schemas);
        this.descending = descending;
        this.resumed = resumed;
        this.stopping = stopping;
        this.stateTables = stateTables;
        this.clock = clock;
        this.start = start;
        this.replication = replication;
        this.reverify = reverify;
    }

    /** The state this run resumed from, or {@code null}. */
    public RunState resumed() {
        return resumed;
    }

    /**
     * Registers {@code table}'s progress; returns {@code true} when the resumed state says it is complete (it is then
     * marked complete and must not be copied again). With {@code replaySafe} false, binlog changes the interrupted
     * run applied may be applied again and would not be harmless (a table without a key): it is copied again.
     */
    public boolean track(TableId table, TableProgress tableProgress, boolean replaySafe) {
        progress.put(table, tableProgress);
        if (resumed == null || !resumed.completedTables().contains(table)) {
            return false;
        }
        if (!replaySafe) {
            LOG.info("{}: copied before the interruption, but it has no key and the saved binlog position may trail"
                    + " what reached the target (only ForceResumeStateUpdatesToDB saves it with each change), so"
                    + " changes could apply twice; copying it again", table);
            copyRestarting(table);
            return false;
        }
        tableProgress.completed();
        return true;
    }

    /**
     * A checkpoint for a copy of {@code table} in key order by {@code keyColumns}: the first continues the saved
     * ranges of a resumed run; a later one (the table copied again after a schema change) starts afresh.
     */
    public TableCheckpoint checkpoint(TableId table, List<ColumnSchema> keyColumns) {
        List<RangeState> saved = resumed == null || restarted.contains(table) ? null : resumed.copyProgress().get(table);
        return checkpoints.compute(table,
                (t, earlier) -> new TableCheckpoint(t, keyColumns, earlier == null ? saved : null, stopping, stateTables));
    }

    /**
     * {@code table}'s copied rows are about to be removed so it is copied again from scratch (after a schema
     * change): its progress so far, this run's and a resumed state's, no longer counts.
     */
    public void copyRestarting(TableId table) {
        restarted.add(table);
        checkpoints.remove(table);
    }

    /** A replicated schema change is about to be executed on the target: snapshots carry it as pending. */
    public void schemaChangePending(PendingSchemaChange change) {
        pendingSchemaChange = change;
    }

    /**
     * The pending schema change was applied: snapshots carry its position as applied (the applier moves past it only
     * after this) and {@code changed} as the schemas of its tables.
     */
    public void schemaChangeApplied(ResumablePosition position, Map<TableId, TableSchema> changed) {
        changed.forEach((t, s) -> {
            if (schemas.containsKey(t)) {
                schemas.put(t, s);
            }
        });
        schemaChangeApplied = position;
        pendingSchemaChange = null;
    }

    /** Where the applier is, or where streaming started when it has applied nothing yet. */
    public ResumablePosition applierPosition() {
        ResumablePosition p = replication.applied();
        return later(p.event().isNone() ? start : p, schemaChangeApplied);
    }

    private static ResumablePosition later(ResumablePosition a, ResumablePosition b) {
        return b.event().isNone() || (!a.event().isNone() && a.event().compareTo(b.event()) >= 0) ? a : b;
    }

    /** The state as it stands now. */
    public RunState snapshot(boolean includeSchemaCache) {
        // The position first, then the store: the store then holds at least every change up to the position.
        ResumablePosition verifierPosition = resumed == null ? ResumablePosition.NONE : resumed.inlineVerifierPosition();
        String store = resumed == null ? null : resumed.verifyStore();
        ReverifyState r = reverify;
        if (r != ReverifyState.NONE) {
            ResumablePosition heard = replication.reportedThrough();
            verifierPosition = later(heard.event().isNone() ? start : heard, schemaChangeApplied);
            store = StateCodec.reverifyStoreToJson(r.snapshot());
        }
        Set<TableId> completed = new LinkedHashSet<>();
        Map<TableId, List<RangeState>> ranges = new LinkedHashMap<>();
        for (TableId t : schemas.keySet().stream().sorted().toList()) {
            TableProgress p = progress.get(t);
            if (p != null ? p.isCompleted() : resumed != null && resumed.completedTables().contains(t)) {
                completed.add(t);
                continue;
            }
            TableCheckpoint c = checkpoints.get(t);
            List<RangeState> rs = c == null ? List.of() : c.snapshot();
            if (rs.isEmpty() && resumed != null && !restarted.contains(t) && resumed.copyProgress().containsKey(t)) {
                rs = resumed.copyProgress().get(t); // not started again yet in this run
            }
            if (!rs.isEmpty()) {
                ranges.put(t, rs);
            }
        }
        return new RunState(RunState.FORMAT_VERSION, ferryVersion, clock.instant(), source, schemas.keySet(), descending,
                includeSchemaCache ? Map.copyOf(schemas) : null, ranges, completed, applierPosition(), verifierPosition,
                store, pendingSchemaChange, rowFilter);
    }
}

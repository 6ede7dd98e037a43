package io.ferry.copy.internal.operations;

import io.ferry.copy.Throttler;
import io.ferry.copy.internal.replication.Replication;
import io.ferry.copy.internal.rowcopy.TableProgress;
import io.ferry.core.TableId;
import io.ferry.core.control.ReplicationStatus;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.ServerWait;
import io.ferry.core.control.Throughput;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.verify.Verifier;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Assembles {@link RunStatus} snapshots from the live parts of a run: table progress, replication, pause switches,
 * copy metrics and speed. The orchestrator asks for snapshots, handing in the parts it has built so far.
 */
public final class StatusView {
    private final String sourceHostPort;
    private final String targetHostPort;
    private final InstantSource clock;
    private final Instant startedAt;
    private final Throttler copyPause;
    private final Throttler applyPause;
    private final RunMetrics metrics = new RunMetrics();
    private final CopyRate rate = new CopyRate();
    private final List<TableProgress> tables = new CopyOnWriteArrayList<>();
    private final Map<TableId, Long> estimatedRows = new ConcurrentHashMap<>();
    private final Verifier verifier;

    /** @param verifier the run's verifier, whose status the snapshots show, or {@code null} */
    public StatusView(String sourceHostPort, String targetHostPort, InstantSource clock, Throttler copyPause,
                      Throttler applyPause, Verifier verifier) {
        this.verifier = verifier;
        this.sourceHostPort = sourceHostPort;
        this.targetHostPort = targetHostPort;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.copyPause = copyPause;
        this.applyPause = applyPause;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Starts tracking the copy of {@code table}, which holds about {@code estimatedRows} rows. */
    public TableProgress track(TableId table, String keyColumns, Long estimatedRows) {
        var progress = new TableProgress(table, keyColumns, metrics);
        this.estimatedRows.put(table, estimatedRows == null ? 0 : estimatedRows);
        tables.add(progress);
        return progress;
    }

    /** Every tracked table, in copy order. */
    public List<TableProgress> tables() {
        return tables;
    }

    /** The counters that the run's phases feed besides the row copy's. */
    public RunMetrics metrics() {
        return metrics;
    }

    /** The row copy starts now: speed is measured from here. */
    public void copyStarted() {
        rate.started(clock.instant(), rowsCopied());
    }

    public long rowsCopied() {
        return tables.stream().mapToLong(TableProgress::rowsWritten).sum();
    }

    /**
     * The run now; {@code replication} ({@code null} before binlog streaming is set up) and the connection {@code pools}
     * (whose unanswered statements the snapshot lists) are the parts the run has built so far.
     */
    public RunStatus snapshot(RunPhase phase, boolean automaticCutover, boolean stopRequested, Replication replication,
                              List<PooledDataSource> pools) {
        Instant now = clock.instant();
        ReplicationStatus replicationStatus = replication == null ? ReplicationStatus.notStarted(startedAt)
                : replication.status();
        long remaining = 0;
        for (TableProgress t : tables) {
            if (!t.isCompleted()) {
                remaining += Math.max(0, estimatedRows.getOrDefault(t.table(), 0L) - t.rowsWritten());
            }
        }
        Throughput throughput = phase == RunPhase.STARTING ? Throughput.UNKNOWN
                : rate.measure(now, rowsCopied(), remaining);
        return new RunStatus(phase, sourceHostPort, targetHostPort, startedAt, now,
                tables.stream().map(t -> t.status().withEstimatedRows(estimatedRows.getOrDefault(t.table(), 0L))).toList(),
                replicationStatus, throughput, automaticCutover,
                stopRequested, copyPause.throttled(), applyPause.throttled(),
                verifier == null ? VerifierStatus.NONE : verifier.status(), metrics.counters(),
                pools.stream().flatMap(p -> p.waits().stream()).sorted(Comparator.comparing(ServerWait::since))
                        .toList());
    }
}

package io.ferry.core.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a run, for the control server, callbacks and the CLI's progress line. Never holds a password.
 *
 * @param phase              the current phase
 * @param sourceHostPort     {@code host:port} of the source
 * @param targetHostPort     {@code host:port} of the target
 * @param startedAt          when the run started
 * @param at                 when this snapshot was taken
 * @param tables             per-table copy progress, in copy order
 * @param replication        the binlog streamer and applier
 * @param throughput         copy speed and ETA
 * @param automaticCutover   whether the run will cut over by itself once the copy is done
 * @param stopRequested      an operator asked the run to stop
 * @param copyPaused         the copy is paused (Ghostferry's migration throttler)
 * @param replicationPaused  binlog apply is paused (Ghostferry's replication throttler)
 * @param verifier           the verifier, {@link VerifierStatus#NONE} without one
 * @param counters           counters for metrics
 * @param waits              statements a server has not answered yet, the longest waiting first
 */
public record RunStatus(RunPhase phase, String sourceHostPort, String targetHostPort, Instant startedAt, Instant at,
                        List<TableStatus> tables, ReplicationStatus replication, Throughput throughput,
                        boolean automaticCutover, boolean stopRequested, boolean copyPaused, boolean replicationPaused,
                        VerifierStatus verifier, RunCounters counters, List<ServerWait> waits) {
    public RunStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(at, "at");
        tables = List.copyOf(tables);
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(counters, "counters");
        waits = List.copyOf(waits);
    }

    /** The longest a timed statement (one the read timeout applies to) has waited for a server, or zero. */
    public Duration longestTimedWait() {
        return waits.stream().filter(ServerWait::timed).map(w -> w.age(at)).max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    public long completedTables() {
        return tables.stream().filter(t -> "completed".equals(t.action())).count();
    }

    public long rowsCopied() {
        return tables.stream().mapToLong(TableStatus::rowsWritten).sum();
    }

    /** Last source binlog position applied to the target, {@code file:offset}, or "". */
    public String binlogPosition() {
        return replication.lastApplied().isNone() ? "" : replication.lastApplied().toString();
    }

    /** Seconds the target trails the source (0 when caught up). */
    public double binlogLagSeconds() {
        return replication.lagSeconds();
    }

    /** Binlog row changes applied so far. */
    public long eventsApplied() {
        return replication.eventsApplied();
    }

    /** Time since the run started. */
    public Duration timeTaken() {
        return Duration.between(startedAt, at);
    }
}

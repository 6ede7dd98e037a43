package io.ferry.core.control;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a run, for the control server, callbacks and the CLI's progress line. Never holds a password.
 *
 * @param phase              the current phase
 * @param sourceHostPort     {@code host:port} of the source
 * @param targetHostPort     {@code host:port} of the target
 * @param startedAt          when the run started
 * @param tables             per-table copy progress, in copy order
 * @param binlogPosition     last source binlog position applied to the target, {@code file:offset}, or ""
 * @param binlogLagSeconds   seconds between now and the timestamp of the last applied event (0 when idle)
 * @param eventsApplied      binlog row changes applied so far
 * @param automaticCutover   whether the run will cut over by itself once the copy is done
 * @param copyPaused         the copy is paused
 * @param replicationPaused  binlog apply is paused
 */
public record RunStatus(RunPhase phase, String sourceHostPort, String targetHostPort, Instant startedAt,
                        List<TableStatus> tables, String binlogPosition, double binlogLagSeconds, long eventsApplied,
                        boolean automaticCutover, boolean copyPaused, boolean replicationPaused) {
    public RunStatus {
        tables = List.copyOf(tables);
    }

    public long completedTables() {
        return tables.stream().filter(t -> "completed".equals(t.action())).count();
    }

    public long rowsCopied() {
        return tables.stream().mapToLong(TableStatus::rowsWritten).sum();
    }
}

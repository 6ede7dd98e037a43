package io.ferry.core.control;

import io.ferry.core.state.BinlogPosition;
import java.time.Instant;
import java.util.Objects;

/**
 * The binlog side of a run.
 *
 * @param lastStreamed   last source binlog position read by the streamer, or {@link BinlogPosition#NONE}
 * @param lastApplied    last source binlog position applied to the target, or {@link BinlogPosition#NONE}
 * @param lagSeconds     how far the target trails the source: age of the newest streamed event not yet applied,
 *                       0 when everything streamed is applied
 * @param eventsApplied  binlog row changes applied so far
 * @param writerState    what the applier is doing
 * @param writerStateAt  when the applier last entered (or refreshed) {@code writerState}
 */
public record ReplicationStatus(BinlogPosition lastStreamed, BinlogPosition lastApplied, double lagSeconds, long eventsApplied,
                                WriterState writerState, Instant writerStateAt) {
    public ReplicationStatus {
        Objects.requireNonNull(lastStreamed, "lastStreamed");
        Objects.requireNonNull(lastApplied, "lastApplied");
        Objects.requireNonNull(writerState, "writerState");
        Objects.requireNonNull(writerStateAt, "writerStateAt");
    }

    /** Before replication started. */
    public static ReplicationStatus notStarted(Instant at) {
        return new ReplicationStatus(BinlogPosition.NONE, BinlogPosition.NONE, 0, 0, WriterState.INIT, at);
    }
}

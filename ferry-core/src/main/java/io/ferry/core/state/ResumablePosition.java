package io.ferry.core.state;

import java.util.Objects;

/**
 * Where a binlog consumer is: the position of the last event it handled, and the last position it is safe to
 * restart streaming from (the end of the last complete transaction, never inside a table-map/rows group).
 * On resume, streaming restarts at {@link #resumeFrom} and events up to {@link #event} are skipped, so an event
 * is applied exactly once across a restart.
 */
public record ResumablePosition(BinlogPosition event, BinlogPosition resumeFrom) {
    public static final ResumablePosition NONE = new ResumablePosition(BinlogPosition.NONE, BinlogPosition.NONE);

    public ResumablePosition {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(resumeFrom, "resumeFrom");
    }

    /** A position at a transaction boundary, where both are the same. */
    public static ResumablePosition at(BinlogPosition position) {
        return new ResumablePosition(position, position);
    }
}

package io.ferry.binlog;

import io.ferry.core.state.ResumablePosition;
import java.time.Instant;

/**
 * An event from the source binlog, in ferry's own terms. Each carries where it was read ({@link #position}: the
 * event's own position and the position it is safe to resume from) and when the source wrote it.
 */
public sealed interface BinlogEvent
        permits RowsInserted, RowsUpdated, RowsDeleted, RowsQueryLogged, StatementExecuted, TransactionCommitted {

    ResumablePosition position();

    /** When the source wrote the event (second precision, from the event header). */
    Instant timestamp();
}

package io.ferry.binlog;

import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;

/**
 * An event from the source binlog, in ferry's own terms. Each carries where it was read ({@link #position}: the
 * event's own position and the position it is safe to resume from) and when the source wrote it.
 */
public sealed interface BinlogEvent
        permits RowsInserted, RowsUpdated, RowsDeleted, RowsQueryLogged, StatementExecuted, TransactionCommitted {

    ResumablePosition position();

    /** When the source wrote the event (second precision, from the event header). */
    Instant timestamp();

    /** The row changes {@code events} hold: rows inserted, updated and deleted. */
    static int rowChanges(List<? extends BinlogEvent> events) {
        int n = 0;
        for (BinlogEvent e : events) {
            n += switch (e) {
                case RowsInserted r -> r.rows().size();
                case RowsUpdated r -> r.changes().size();
                case RowsDeleted r -> r.rows().size();
                default -> 0;
            };
        }
        return n;
    }
}

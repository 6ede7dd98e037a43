package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.RunFailed;
import io.ferry.core.schema.Row;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the library's events of one connection into ferry's events and keeps the positions: the file (from
 * ROTATE), the end of the last event read, and the resume point, which only moves at transaction boundaries (the
 * end of an XID, of a COMMIT, or of a statement outside a transaction), so a restart never lands between a
 * TABLE_MAP and its rows or inside a transaction.
 *
 * <p>An event's own position is its end offset (the {@code log_pos} of its header, as the server reports it):
 * a position read with {@code SHOW MASTER STATUS} is then "everything up to here", and resuming with
 * {@code ResumablePosition.at(p)} skips nothing that comes after {@code p}.
 */
final class EventTranslator {
    private String file;
    private BinlogPosition resumeFrom;
    private BinlogPosition end;
    private boolean inTransaction;

    /** Starts reading at {@code start}, which must be a transaction boundary. */
    EventTranslator(BinlogPosition start) {
        this.file = start.file();
        this.resumeFrom = start;
        this.end = start;
    }

    /** The last position it is safe to restart streaming from. */
    BinlogPosition resumeFrom() {
        return resumeFrom;
    }

    /** The end of the last event read. */
    BinlogPosition end() {
        return end;
    }

    /** Where {@code event} starts in the current file. */
    BinlogPosition startOf(Event event) {
        EventHeaderV4 h = event.getHeader();
        return new BinlogPosition(file, Math.max(0, h.getNextPosition() - h.getEventLength()));
    }

    /** The ferry event for {@code event}, or {@code null} for events ferry does not pass on. */
    BinlogEvent translate(Event event) {
        EventHeaderV4 h = event.getHeader();
        EventType type = h.getEventType();
        EventData data = event.getData();
        if (type == EventType.ROTATE) {
            var rotate = (RotateEventData) data;
            file = rotate.getBinlogFilename();
            var first = new BinlogPosition(file, rotate.getBinlogPosition());
            if (!inTransaction) {
                resumeFrom = first;
            }
            advance(first);
            return null;
        }
        if (type == EventType.HEARTBEAT || h.getNextPosition() <= 0) {
            return null; // heartbeats and artificial events carry no position of their own
        }
        var here = new BinlogPosition(file, h.getNextPosition());
        advance(here);
        Instant at = Instant.ofEpochMilli(h.getTimestamp());
        return switch (type) {
            case XID -> commit(here, at);
            case QUERY -> query((QueryEventData) data, here, at);
            case MARIADB_GTID -> {
                // A MariaDB GTID event opens a transaction unless it stands alone (DDL, for example).
                if ((((MariadbGtidEventData) data).getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0) {
                    inTransaction = true;
                }
                yield null;
            }
            case WRITE_ROWS, EXT_WRITE_ROWS, UPDATE_ROWS, EXT_UPDATE_ROWS, DELETE_ROWS, EXT_DELETE_ROWS ->
                    rows(data, here, at);
            case TRANSACTION_PAYLOAD -> throw new RunFailed("the source compresses its binlog transactions"
                    + " (binlog_transaction_compression=ON) at " + here + ", which ferry cannot read;"
                    + " set binlog_transaction_compression=OFF on the source");
            case PARTIAL_UPDATE_ROWS_EVENT -> throw new RunFailed("the source logs partial JSON updates at " + here
                    + ", which lack full row images; set binlog_row_value_options='' on the source");
            default -> null;
        };
    }

    private BinlogEvent query(QueryEventData q, BinlogPosition here, Instant at) {
        String sql = q.getSql() == null ? "" : q.getSql().strip();
        String word = sql.toUpperCase(Locale.ROOT);
        if (word.equals("BEGIN") || word.equals("START TRANSACTION")) {
            inTransaction = true;
            return null;
        }
        // A ROLLBACK is logged only when non-transactional changes were made and kept: it ends the group too.
        if (word.equals("COMMIT") || word.equals("ROLLBACK")) {
            return commit(here, at);
        }
        if (!inTransaction) {
            resumeFrom = here;
        }
        return new StatementExecuted(q.getDatabase() == null ? "" : q.getDatabase(), sql,
                new ResumablePosition(here, resumeFrom), at);
    }

    private BinlogEvent commit(BinlogPosition here, Instant at) {
        inTransaction = false;
        resumeFrom = here;
        return new TransactionCommitted(ResumablePosition.at(here), at);
    }

    private BinlogEvent rows(EventData data, BinlogPosition here, Instant at) {
        if (!(data instanceof RowsEventParser.DecodedRows decoded)) {
            return null; // a table ferry does not copy
        }
        var position = new ResumablePosition(here, resumeFrom);
        return switch (decoded.change()) {
            case INSERT -> new RowsInserted(decoded.table(), decoded.schema(), decoded.rows(), position, at);
            case DELETE -> new RowsDeleted(decoded.table(), decoded.schema(), decoded.rows(), position, at);
            case UPDATE -> {
                List<Row> images = decoded.rows();
                List<RowsUpdated.Change> changes = new ArrayList<>(images.size() / 2);
                for (int i = 0; i + 1 < images.size(); i += 2) {
                    changes.add(new RowsUpdated.Change(images.get(i), images.get(i + 1)));
                }
                yield new RowsUpdated(decoded.table(), decoded.schema(), changes, position, at);
            }
        };
    }

    private void advance(BinlogPosition to) {
        if (to.compareTo(end) > 0) {
            end = to;
        }
    }
}

package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.AnnotateRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.RowsQueryEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsQueryLogged;
import io.ferry.binlog.RowsUpdated;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.RunFailed;
import io.ferry.core.schema.Row;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the library's events of one connection into ferry's events and keeps the positions: the file (from
 * ROTATE), the end of the last event read, and the resume point, which only moves at transaction boundaries (the
 * end of an XID, of a COMMIT, or of a statement outside a transaction), so a restart never lands between a
 * TABLE_MAP and its rows or inside a transaction.
 *
 * <p>An event's own position is its end offset in the file: a position read with {@code SHOW MASTER STATUS} is
 * then "everything up to here", and resuming with {@code ResumablePosition.at(p)} skips nothing after {@code p}.
 * Offsets are counted here, from the start position (or a ROTATE) plus the length of each event that is in the
 * file, not taken from the header's end position: MariaDB 11.4 writes 0 there for every event inside a transaction
 * ({@code binlog_legacy_event_pos=OFF}, its default), and the field has 32 bits only. A non-zero header position is
 * still the server's word and corrects the count where they differ. The dump thread also sends events that are not
 * in the file (the ROTATE and FORMAT_DESCRIPTION it starts with, heartbeats); they take no room.
 *
 * <p>A MySQL TRANSACTION_PAYLOAD ({@code binlog_transaction_compression=ON}) holds a whole transaction: its inner
 * events come out one by one, the i-th at the payload's start + i and the last (the commit) at the payload's end, so
 * that a consumer that stopped inside it resumes at the right inner event, and only the end is a resume point.
 */
final class EventTranslator {
    private static final Logger log = LoggerFactory.getLogger(EventTranslator.class);
    /** {@code LOG_EVENT_ARTIFICIAL_F} (MySQL {@code sql/log_event.h}): an event the dump thread made up. */
    private static final int ARTIFICIAL = 0x20;
    /**
     * Types of the events a dump thread resends from a file's header, with end position 0, when streaming starts
     * after it: FORMAT_DESCRIPTION and MariaDB's START_ENCRYPTION (unknown to the library); MariaDB makes up a
     * GTID_LIST in GTID mode. The other header types are here should a server resend them too. (Heartbeats, v2 of
     * MySQL 8.0.26+ unknown to the library as well, have no timestamp.) Inside a transaction, none of these occurs.
     */
    private static final Set<EventType> RESENT_HEADER_TYPES = EnumSet.of(EventType.FORMAT_DESCRIPTION,
            EventType.PREVIOUS_GTIDS, EventType.MARIADB_GTID_LIST, EventType.BINLOG_CHECKPOINT, EventType.UNKNOWN);
    /** MariaDB's compressed events ({@code log_bin_compress=ON}): QUERY_COMPRESSED up to DELETE_ROWS_COMPRESSED_V1. */
    private static final int FIRST_MARIADB_COMPRESSED = 165;
    private static final int LAST_MARIADB_COMPRESSED = 171;

    private String file;
    /** Where the next event starts in {@link #file}. */
    private long offset;
    private BinlogPosition lastStart;
    private BinlogPosition resumeFrom;
    private BinlogPosition end;
    private boolean inTransaction;
    private final boolean loggedQueries;

    /**
     * Starts reading at {@code start}, which must be a transaction boundary; {@code loggedQueries} says whether the
     * statement text logged before rows events is handed on ({@link RowsQueryLogged}).
     */
    EventTranslator(BinlogPosition start, boolean loggedQueries) {
        this.loggedQueries = loggedQueries;
        this.file = start.file();
        this.offset = start.offset();
        this.lastStart = start;
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

    /** Where the last event given to {@link #translate} starts (for a made-up event: where the next one starts). */
    BinlogPosition lastStart() {
        return lastStart;
    }

    /** The ferry events for {@code event}, in order: none for events ferry does not pass on. */
    List<BinlogEvent> translate(Event event) {
        EventHeaderV4 h = event.getHeader();
        EventType type = h.getEventType();
        lastStart = new BinlogPosition(file, offset);
        if (type == EventType.ROTATE) {
            rotate((RotateEventData) event.getData());
            return List.of();
        }
        if (isMadeUp(h)) {
            return List.of();
        }
        long next = offset + h.getEventLength();
        long stated = h.getNextPosition();
        if (stated > 0 && stated != next && next <= 0xFFFFFFFFL) {
            log.warn("binlog event {} at {} ends at {} by its length but at {} by its header; going by the header",
                    type, lastStart, next, stated);
            next = stated;
        }
        offset = next;
        var here = new BinlogPosition(file, next);
        advance(here);
        Instant at = Instant.ofEpochMilli(h.getTimestamp());
        if (type == EventType.TRANSACTION_PAYLOAD) {
            return payload((TransactionPayloadEventData) event.getData(), lastStart, here, at);
        }
        BinlogEvent translated = translate(event, here, at);
        return translated == null ? List.of() : List.of(translated);
    }

    /** An event the dump thread sent that is not in the file; it comes between transactions only. */
    private boolean isMadeUp(EventHeaderV4 h) {
        if (h.getEventType() == EventType.HEARTBEAT || (h.getFlags() & ARTIFICIAL) != 0) {
            return true;
        }
        return !inTransaction && (h.getTimestamp() == 0
                || (h.getNextPosition() == 0 && RESENT_HEADER_TYPES.contains(h.getEventType())));
    }

    private void rotate(RotateEventData rotate) {
        file = rotate.getBinlogFilename();
        offset = rotate.getBinlogPosition();
        var first = new BinlogPosition(file, offset);
        if (!inTransaction) {
            resumeFrom = first;
        }
        advance(first);
    }

    /** {@code event} (outside a payload or inside one) ending at {@code here}. */
    private BinlogEvent translate(Event event, BinlogPosition here, Instant at) {
        EventType type = event.getHeader().getEventType();
        EventData data = event.getData();
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
            case TRANSACTION_PAYLOAD -> throw new RunFailed("the source binlog at " + here + " holds a compressed"
                    + " transaction inside another one, which MySQL does not write; ferry stops rather than guess");
            case PARTIAL_UPDATE_ROWS_EVENT -> throw new RunFailed("the source logs partial JSON updates at " + here
                    + ", which lack full row images; set binlog_row_value_options='' on the source (globally, and in"
                    + " the sessions that set it), then start the copy of the affected tables again");
            case ANNOTATE_ROWS -> loggedQuery(data instanceof AnnotateRowsEventData a ? a.getRowsQuery() : null, here, at);
            case ROWS_QUERY -> loggedQuery(data instanceof RowsQueryEventData q ? q.getQuery() : null, here, at);
            case UNKNOWN -> unknown(event, here);
            default -> null;
        };
    }

    /** An event type the library does not know: harmless between transactions, possibly a data change inside one. */
    private BinlogEvent unknown(Event event, BinlogPosition here) {
        if (!inTransaction) {
            return null;
        }
        int code = event.getHeader() instanceof EventHeaderParser.Header raw ? raw.typeCode() : -1;
        if (code >= FIRST_MARIADB_COMPRESSED && code <= LAST_MARIADB_COMPRESSED) {
            throw new RunFailed("the source compresses its binlog events (MariaDB log_bin_compress=ON; event type "
                    + code + " at " + here + "), which ferry cannot read; set log_bin_compress=OFF on the source and"
                    + " start the copy again");
        }
        throw new RunFailed("the source binlog at " + here + " holds an event of type " + code + " inside a"
                + " transaction, which ferry does not know; it may carry row changes, so ferry stops instead of"
                + " skipping it. Check which server setting writes it and turn that off");
    }

    private List<BinlogEvent> payload(TransactionPayloadEventData payload, BinlogPosition start, BinlogPosition end,
                                      Instant at) {
        List<Event> inner = payload.getUncompressedEvents();
        long room = end.offset() - start.offset();
        if (inner.size() > room) {
            throw new RunFailed("the compressed transaction at " + start + " (binlog_transaction_compression=ON)"
                    + " holds " + inner.size() + " events in " + room + " bytes of binlog, too many for ferry to give"
                    + " each its own position to resume from; turn binlog_transaction_compression off for the"
                    + " sessions that write such transactions, or on the source");
        }
        List<BinlogEvent> out = new ArrayList<>(inner.size());
        for (int i = 0; i < inner.size(); i++) {
            boolean last = i == inner.size() - 1;
            var here = last ? end : new BinlogPosition(file, start.offset() + 1 + i);
            Event e = inner.get(i);
            BinlogEvent translated = translate(e, here, at);
            if (!last && translated instanceof TransactionCommitted) {
                throw new RunFailed("the compressed transaction at " + start + " commits at its event " + (i + 1)
                        + " of " + inner.size() + ", before its end; ferry stops rather than resume from inside it");
            }
            if (translated != null) {
                out.add(translated);
            }
        }
        return out;
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

    private BinlogEvent loggedQuery(String query, BinlogPosition here, Instant at) {
        return loggedQueries && query != null ? new RowsQueryLogged(query, new ResumablePosition(here, resumeFrom), at)
                : null;
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

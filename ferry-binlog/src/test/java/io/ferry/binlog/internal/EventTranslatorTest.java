package io.ferry.binlog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positions of event sequences the test servers cannot be made to send on demand: made-up events of every kind,
 * headers without end positions, compressed transactions at their limits. Headers are decoded from their bytes.
 */
class EventTranslatorTest {
    private static final String FILE = "binlog.000007";
    private static final long TS = 1_700_000_000_000L;
    private static final TableSchema SCHEMA = new TableSchema(new TableId("db", "t"), List.of(), List.of(), List.of());
    private static final int QUERY = 2;
    private static final int ROTATE = 4;
    private static final int FORMAT_DESCRIPTION = 15;
    private static final int XID = 16;
    private static final int TABLE_MAP = 19;
    private static final int WRITE_ROWS = 23;
    private static final int UPDATE_ROWS = 24;
    private static final int DELETE_ROWS = 25;
    private static final int HEARTBEAT = 27;
    private static final int TRANSACTION_PAYLOAD = 40;
    private static final int HEARTBEAT_V2 = 41;
    private static final int MARIADB_ANNOTATE_ROWS = 160;
    private static final int MARIADB_GTID = 162;
    private static final int MARIADB_GTID_LIST = 163;
    private static final int MARIADB_START_ENCRYPTION = 164;
    private static final int MARIADB_WRITE_ROWS_COMPRESSED = 166;

    private final List<BinlogEvent> out = new ArrayList<>();

    @Test
    void aMariaDb114TransactionWithoutEndPositionsGetsItsOffsetsFromTheEventLengths() throws IOException {
        var t = new EventTranslator(at(1000), false);
        feed(t, event(ROTATE, 0, 44, 0, 0x20, rotate(FILE, 1000)));          // the dump thread's first ROTATE
        feed(t, event(FORMAT_DESCRIPTION, TS, 252, 0, 0, null));            // and the file's FDE, resent
        feed(t, event(MARIADB_GTID, TS, 42, 1042, 0x8, gtid(0)));           // in the file from here on
        feed(t, event(MARIADB_ANNOTATE_ROWS, TS, 71, 0, 0, null));
        feed(t, event(TABLE_MAP, TS, 60, 0, 0, null));
        feed(t, event(WRITE_ROWS, TS, 51, 0, 0, rows(RowsEventParser.Change.INSERT, 1)));
        feed(t, event(UPDATE_ROWS, TS, 52, 0, 0, rows(RowsEventParser.Change.UPDATE, 2)));
        feed(t, event(XID, TS, 31, 1307, 0, new XidEventData()));
        feed(t, event(HEARTBEAT, 0, 36, 1307, 0, null));

        assertEquals(3, out.size(), out.toString());
        assertEquals(new ResumablePosition(at(1224), at(1000)), out.get(0).position());
        assertInstanceOf(RowsUpdated.class, out.get(1));
        assertEquals(new ResumablePosition(at(1276), at(1000)), out.get(1).position());
        assertEquals(ResumablePosition.at(at(1307)), out.get(2).position());
        assertEquals(at(1307), t.end());
        assertEquals(at(1307), t.resumeFrom());
        assertEquals(at(1307), t.lastStart(), "a heartbeat takes no room");
    }

    @Test
    void eventsMadeUpBetweenTransactionsTakeNoRoom() throws IOException {
        var t = new EventTranslator(at(500), false);
        feed(t, event(HEARTBEAT_V2, 0, 40, 0, 0, null));                      // MySQL 8.0.26+, unknown to the library
        feed(t, event(MARIADB_START_ENCRYPTION, TS, 40, 0, 0x80, null));      // resent from the file's header
        feed(t, event(MARIADB_GTID_LIST, TS, 60, 0, 0, null));
        feed(t, event(QUERY, TS, 100, 600, 0, query("ALTER TABLE t ADD c INT")));
        var ddl = assertInstanceOf(StatementExecuted.class, out.getFirst());
        assertEquals(ResumablePosition.at(at(600)), ddl.position());
    }

    @Test
    void aHeaderEndPositionThatDisagreesWithTheCountIsTheServersWord() throws IOException {
        var t = new EventTranslator(at(500), false);
        feed(t, event(QUERY, TS, 100, 650, 0, query("ALTER TABLE t ADD c INT")));
        assertEquals(ResumablePosition.at(at(650)), out.getFirst().position());
        assertEquals(at(650), t.end());
    }

    @Test
    void aRotationMovesToTheStartOfTheNextFile() throws IOException {
        var t = new EventTranslator(at(500), false);
        feed(t, event(ROTATE, TS, 47, 547, 0, rotate("binlog.000008", 4)));
        feed(t, event(ROTATE, 0, 47, 0, 0x20, rotate("binlog.000008", 4)));
        feed(t, event(FORMAT_DESCRIPTION, TS, 252, 256, 0, null));            // at 4: in the file
        feed(t, event(MARIADB_GTID_LIST, TS, 29, 285, 0, null));
        feed(t, event(QUERY, TS, 100, 385, 0, query("DROP TABLE t")));
        assertEquals(ResumablePosition.at(new BinlogPosition("binlog.000008", 385)), out.getFirst().position());
    }

    @Test
    void anUnknownEventInsideATransactionStopsTheRunNamingTheSetting() throws IOException {
        var t = new EventTranslator(at(1000), false);
        feed(t, event(MARIADB_GTID, TS, 42, 1042, 0, gtid(0)));
        feed(t, event(TABLE_MAP, TS, 60, 0, 0, null));
        var compressed = assertThrows(RunFailed.class,
                () -> feed(t, event(MARIADB_WRITE_ROWS_COMPRESSED, TS, 40, 0, 0, null)));
        assertTrue(compressed.getMessage().contains("log_bin_compress=OFF"), compressed.getMessage());
        var other = assertThrows(RunFailed.class, () -> feed(t, event(200, TS, 40, 0, 0, null)));
        assertTrue(other.getMessage().contains("type 200"), other.getMessage());
    }

    @Test
    void aCompressedTransactionNumbersItsEventsInsideItsBytesAndCommitsAtItsEnd() throws IOException {
        var t = new EventTranslator(at(1000), false);
        feed(t, event(33, TS, 79, 1079, 0, null)); // MySQL's GTID event
        var payload = payload(List.of(
                event(QUERY, TS, 60, 0, 0, query("BEGIN")),
                event(TABLE_MAP, TS, 60, 0, 0, null),
                event(WRITE_ROWS, TS, 57, 0, 0, rows(RowsEventParser.Change.INSERT, 2)),
                event(TABLE_MAP, TS, 60, 0, 0, null),
                event(DELETE_ROWS, TS, 44, 0, 0, rows(RowsEventParser.Change.DELETE, 1)),
                event(XID, TS, 27, 0, 0, new XidEventData())));
        feed(t, event(TRANSACTION_PAYLOAD, TS, 198, 1277, 0, payload));

        assertEquals(List.of(RowsInserted.class, RowsDeleted.class, TransactionCommitted.class),
                out.stream().map(Object::getClass).toList());
        assertEquals(new ResumablePosition(at(1082), at(1000)), out.get(0).position(), "the third inner event");
        assertEquals(new ResumablePosition(at(1084), at(1000)), out.get(1).position(), "the fifth");
        assertEquals(ResumablePosition.at(at(1277)), out.get(2).position(), "the payload's end");
        assertEquals(at(1079), t.lastStart());
        assertEquals(at(1277), t.resumeFrom());
    }

    @Test
    void aCompressedTransactionWithMoreEventsThanBytesIsRefused() throws IOException {
        var t = new EventTranslator(at(1000), false);
        List<Event> inner = new ArrayList<>();
        inner.add(event(QUERY, TS, 60, 0, 0, query("BEGIN")));
        for (int i = 0; i < 30; i++) {
            inner.add(event(TABLE_MAP, TS, 60, 0, 0, null));
        }
        inner.add(event(XID, TS, 27, 0, 0, new XidEventData()));
        var refused = assertThrows(RunFailed.class,
                () -> feed(t, event(TRANSACTION_PAYLOAD, TS, 30, 1030, 0, payload(inner))));
        assertTrue(refused.getMessage().contains("binlog_transaction_compression"), refused.getMessage());
    }

    @Test
    void theStatementLoggedBeforeRowsEventsIsHandedOnOnlyWhenAskedFor() throws IOException {
        var annotate = new com.github.shyiko.mysql.binlog.event.AnnotateRowsEventData();
        annotate.setRowsQuery("/*application:ferry*/ INSERT INTO t VALUES (1)");
        for (boolean asked : new boolean[] {true, false}) {
            out.clear();
            var t = new EventTranslator(at(1000), asked);
            feed(t, event(MARIADB_GTID, TS, 30, 1030, 0, gtid(0)));
            feed(t, event(MARIADB_ANNOTATE_ROWS, TS, 70, 1100, 0, annotate));
            feed(t, event(WRITE_ROWS, TS, 40, 1140, 0, rows(RowsEventParser.Change.INSERT, 1)));
            feed(t, event(XID, TS, 27, 1167, 0, new XidEventData()));
            if (asked) {
                var logged = assertInstanceOf(io.ferry.binlog.RowsQueryLogged.class, out.get(0));
                assertEquals("/*application:ferry*/ INSERT INTO t VALUES (1)", logged.query());
                assertEquals(new ResumablePosition(at(1100), at(1000)), logged.position());
                assertInstanceOf(RowsInserted.class, out.get(1));
            } else {
                assertInstanceOf(RowsInserted.class, out.get(0));
            }
            assertEquals(asked ? 3 : 2, out.size());
        }
    }

    private void feed(EventTranslator t, Event e) {
        out.addAll(t.translate(e));
    }

    private static BinlogPosition at(long offset) {
        return new BinlogPosition(FILE, offset);
    }

    /** An event whose header is decoded from its 19 bytes, as the stream has it. */
    private static Event event(int type, long timestamp, long length, long next, int flags, EventData data)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (timestamp / 1000)).put((byte) type).putInt(1).putInt((int) length).putInt((int) next)
                .putShort((short) flags);
        return new Event(new EventHeaderParser().deserialize(new ByteArrayInputStream(b.array())), data);
    }

    private static RotateEventData rotate(String file, long position) {
        var r = new RotateEventData();
        r.setBinlogFilename(file);
        r.setBinlogPosition(position);
        return r;
    }

    private static MariadbGtidEventData gtid(int flags) {
        var g = new MariadbGtidEventData();
        g.setFlags(flags);
        return g;
    }

    private static QueryEventData query(String sql) {
        var q = new QueryEventData();
        q.setSql(sql);
        q.setDatabase("db");
        return q;
    }

    private static RowsEventParser.DecodedRows rows(RowsEventParser.Change change, int images) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            rows.add(new Row(new byte[][] {String.valueOf(i).getBytes()}));
        }
        return new RowsEventParser.DecodedRows(change, SCHEMA.id(), SCHEMA, rows);
    }

    private static TransactionPayloadEventData payload(List<Event> events) {
        var p = new TransactionPayloadEventData();
        p.setUncompressedEvents(new ArrayList<>(events));
        return p;
    }
}

package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.Row;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.Sequence;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions, resume, stop, filtering and statements of the binlog streamer against a real source. */
@MySqlPair
class BinlogStreamerIT {
    private final TestPair pair;

    BinlogStreamerIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void resumePointsOnlyMoveAtCommitsAndResumingSkipsWhatWasEmitted() throws Exception {
        TableId t = pair.table("positions");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, v VARCHAR(10))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("BEGIN", "INSERT INTO " + t.sql() + " VALUES (1, 'a')",
                "INSERT INTO " + t.sql() + " VALUES (2, 'b')", "COMMIT",
                "UPDATE " + t.sql() + " SET v = 'c' WHERE id = 1");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        assertEquals(List.of("RowsInserted", "RowsInserted", "TransactionCommitted", "RowsUpdated", "TransactionCommitted"),
                kinds(events));
        var first = events.get(0).position();
        var second = events.get(1).position();
        var commit = events.get(2).position();
        assertTrue(first.resumeFrom().compareTo(start) >= 0 && first.resumeFrom().compareTo(first.event()) < 0,
                "inside the transaction the resume point stays before it: " + first);
        assertEquals(first.resumeFrom(), second.resumeFrom(), "never between a TABLE_MAP and its rows");
        assertTrue(start.compareTo(first.event()) < 0 && first.event().compareTo(second.event()) < 0
                && second.event().compareTo(commit.event()) < 0, "positions grow: " + events);
        assertEquals(ResumablePosition.at(commit.event()), commit, "a commit is a resume point");
        assertTrue(events.get(3).position().resumeFrom().compareTo(commit.event()) >= 0, "the update resumes after it");
        assertTrue(events.get(4).position().event().compareTo(end) <= 0, "nothing after where the source was");

        // A restart after the first rows event re-reads the transaction but emits only what came after it.
        List<BinlogEvent> resumed = own(BinlogCapture.read(pair.source().ferryConfig(), schemas, first, end));
        assertEquals(positions(events.subList(1, events.size())), positions(resumed));
        assertEquals(events.get(1), resumed.get(0));
    }

    /**
     * Every emitted position is the end of the very event the source logged for it, read back with
     * {@code SHOW BINLOG EVENTS}, whatever the event header says: MariaDB 11.4 (binlog_legacy_event_pos=OFF, its
     * default) writes 0 as the end position of every event inside a transaction.
     */
    @Test
    void eventPositionsAreTheEndsOfTheEventsTheSourceLogged() throws Exception {
        TableId t = pair.table("exact_positions");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, v VARCHAR(10))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("BEGIN", "INSERT INTO " + t.sql() + " VALUES (1, 'a')",
                "INSERT INTO " + t.sql() + " VALUES (2, 'b'), (3, 'c')",
                "UPDATE " + t.sql() + " SET v = 'z' WHERE id = 1", "DELETE FROM " + t.sql() + " WHERE id = 2", "COMMIT",
                "INSERT INTO " + t.sql() + " VALUES (4, 'd')");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        List<BinlogCapture.LoggedEvent> logged = BinlogCapture.loggedEvents(pair.source(), start, end);
        List<BinlogEvent> rows = events.stream().filter(e -> !(e instanceof TransactionCommitted)).toList();
        assertEquals(List.of("RowsInserted", "RowsInserted", "RowsUpdated", "RowsDeleted", "RowsInserted"), kinds(rows),
                "every row change of the table, in order");
        List<BinlogPosition> boundaries = new ArrayList<>(List.of(start));
        logged.forEach(e -> boundaries.add(e.end()));
        for (BinlogEvent e : events) {
            var at = logged.stream().filter(l -> l.end().equals(e.position().event())).findFirst().orElse(null);
            assertTrue(at != null, e.getClass().getSimpleName() + " at " + e.position() + " does not end an event the"
                    + " source logged: " + logged);
            if (e instanceof TransactionCommitted) {
                assertTrue(at.type().equals("Xid") || at.info().startsWith("COMMIT"), "a commit ends at " + at);
            } else {
                assertTrue(at.isRows(), e.getClass().getSimpleName() + " ends at " + at);
                var map = logged.subList(0, logged.indexOf(at)).reversed().stream()
                        .filter(l -> l.type().equals("Table_map")).findFirst().orElseThrow();
                assertTrue(map.info().contains(t.table()), "the rows event belongs to " + map);
            }
            assertTrue(boundaries.contains(e.position().resumeFrom()), "resume point " + e.position().resumeFrom()
                    + " is where an event of the source starts");
        }
        // The four changes of the transaction resume from before it; its commit and the last insert after it.
        assertEquals(1, rows.subList(0, 4).stream().map(r -> r.position().resumeFrom()).distinct().count());
        var commit = events.get(events.indexOf(rows.get(3)) + 1);
        assertInstanceOf(TransactionCommitted.class, commit);
        assertTrue(rows.get(4).position().resumeFrom().compareTo(commit.position().event()) >= 0,
                "the insert after the commit resumes after it");
    }

    /**
     * MySQL's binlog_transaction_compression=ON (settable per session) writes a whole transaction as one
     * TRANSACTION_PAYLOAD event: its row changes come out as usual, each at its own position inside the payload, the
     * commit at the payload's end, and a resume from inside it emits exactly the rest. MariaDB has no such setting.
     */
    @Test
    void aCompressedTransactionStreamsItsRowsAndResumesInsideIt() throws Exception {
        if (isMariaDb()) {
            assertTrue(pair.source().query("SHOW VARIABLES LIKE 'binlog_transaction_compression'").isEmpty(),
                    "MariaDB writes no compressed transactions of MySQL's kind");
            return;
        }
        TableId t = pair.table("compressed");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, v VARCHAR(200))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("SET SESSION binlog_transaction_compression = ON", "BEGIN",
                "INSERT INTO " + t.sql() + " VALUES (1, REPEAT('a', 200))",
                "INSERT INTO " + t.sql() + " VALUES (2, REPEAT('b', 200)), (3, REPEAT('c', 200))",
                "UPDATE " + t.sql() + " SET v = 'z' WHERE id = 1", "DELETE FROM " + t.sql() + " WHERE id = 2", "COMMIT",
                "SET SESSION binlog_transaction_compression = OFF", "INSERT INTO " + t.sql() + " VALUES (4, 'd')");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        assertEquals(List.of("RowsInserted", "RowsInserted", "RowsUpdated", "RowsDeleted", "TransactionCommitted",
                "RowsInserted", "TransactionCommitted"), kinds(events));
        assertEquals("a".repeat(200), text(((RowsInserted) events.get(0)).rows().getFirst(), 1));
        assertEquals(List.of("2", "3"), ((RowsInserted) events.get(1)).rows().stream().map(r -> text(r, 0)).toList());
        assertEquals("z", text(((RowsUpdated) events.get(2)).changes().getFirst().after(), 1));
        assertEquals("2", text(((RowsDeleted) events.get(3)).rows().getFirst(), 0));

        var payload = BinlogCapture.loggedEvents(pair.source(), start, end).stream()
                .filter(l -> l.type().equals("Transaction_payload")).toList();
        assertEquals(1, payload.size(), "one compressed transaction: " + payload);
        var p = payload.getFirst();
        assertEquals(ResumablePosition.at(p.end()), events.get(4).position(), "the commit is the payload's end");
        for (BinlogEvent rows : events.subList(0, 4)) {
            var at = rows.position();
            assertTrue(at.event().compareTo(p.start()) > 0 && at.event().compareTo(p.end()) < 0,
                    "a row change inside the payload " + p + " is at " + at);
            assertTrue(at.resumeFrom().compareTo(p.start()) < 0, "and resumes from before it: " + at);
        }
        assertTrue(events.get(5).position().resumeFrom().compareTo(p.end()) >= 0);

        // A consumer that applied the first two row changes resumes with the update.
        List<BinlogEvent> resumed = own(BinlogCapture.read(pair.source().ferryConfig(), schemas, events.get(1).position(), end));
        assertEquals(positions(events.subList(2, events.size())), positions(resumed));
        assertEquals(events.get(2), resumed.getFirst());
    }

    /**
     * A session with MySQL's binlog_row_value_options=PARTIAL_JSON logs a JSON_SET as a partial update, whose after
     * image is not the whole row (even with binlog_row_image=FULL): the stream stops, naming the setting. MariaDB has
     * no such setting.
     */
    @Test
    void aPartialJsonUpdateStopsTheStreamWithTheSettingToChange() throws Exception {
        if (isMariaDb()) {
            assertTrue(pair.source().query("SHOW VARIABLES LIKE 'binlog_row_value_options'").isEmpty(),
                    "MariaDB logs no partial JSON updates");
            return;
        }
        TableId t = pair.table("partial_json");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, doc JSON)",
                "INSERT INTO " + t.sql() + " VALUES (1, '{\"a\": 1, \"b\": \"" + "x".repeat(100) + "\"}')");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("SET SESSION binlog_row_value_options = 'PARTIAL_JSON'",
                "UPDATE " + t.sql() + " SET doc = JSON_SET(doc, '$.a', 2) WHERE id = 1");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());
        var stopped = assertThrows(RunFailed.class, () -> BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        assertTrue(stopped.getMessage().contains("binlog_row_value_options"), stopped.getMessage());
    }

    @Test
    void stopAtEmitsExactlyTheEventsThatStartBeforeThePosition() throws Exception {
        TableId t = pair.table("stops");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY)");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("BEGIN", "INSERT INTO " + t.sql() + " VALUES (1)", "INSERT INTO " + t.sql() + " VALUES (2)",
                "COMMIT", "INSERT INTO " + t.sql() + " VALUES (3)");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());
        List<BinlogEvent> all = own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        assertEquals(5, all.size(), kinds(all).toString());

        // The second rows event starts where the first ends: stopping there emits the first only.
        BinlogPosition endOfFirst = all.get(0).position().event();
        assertEquals(positions(all.subList(0, 1)), positions(own(
                BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), endOfFirst))));
        // Stopping at the end of the first transaction emits it whole, and nothing of the next one.
        BinlogPosition firstCommit = all.get(2).position().event();
        assertEquals(positions(all.subList(0, 3)), positions(own(
                BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), firstCommit))));
    }

    @Test
    void rowsOfUnselectedTablesAreSkippedAndStatementsComeOutAsText() throws Exception {
        TableId selected = pair.table("selected");
        TableId other = pair.table("other");
        pair.source().exec("CREATE TABLE " + selected.sql() + " (id INT PRIMARY KEY)",
                "CREATE TABLE " + other.sql() + " (id INT PRIMARY KEY, note VARCHAR(20))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), selected);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("INSERT INTO " + other.sql() + " VALUES (1, 'x')",
                "INSERT INTO " + selected.sql() + " VALUES (7)",
                "ALTER TABLE " + other.sql() + " ADD COLUMN extra INT",
                "SET SESSION binlog_format = 'STATEMENT'",
                "INSERT INTO " + other.sql() + " (id, note) VALUES (2, 'stmt')");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = BinlogCapture.read(pair.source().endpoint().rootConfig(), schemas,
                ResumablePosition.at(start), end);
        List<RowsInserted> inserts = events.stream().filter(RowsInserted.class::isInstance).map(RowsInserted.class::cast).toList();
        assertEquals(1, inserts.size(), "only the selected table's rows: " + kinds(events));
        assertEquals(selected, inserts.getFirst().table());
        assertEquals("7", text(inserts.getFirst().rows().getFirst(), 0));

        // Other databases' statements may be in the same stretch of a shared server's binlog.
        List<StatementExecuted> statements = events.stream().filter(StatementExecuted.class::isInstance)
                .map(StatementExecuted.class::cast).filter(st -> st.sql().contains(pair.database())).toList();
        assertEquals(2, statements.size(), "statements: " + statements);
        // The test's sessions mark their statements as ferry's do (a leading comment), which the binlog keeps.
        assertTrue(statements.get(0).sql().matches("(?s)(/\\*[^*]*\\*/ )?ALTER TABLE .*"), statements.get(0).sql());
        assertEquals(statements.get(0).position().event(), statements.get(0).position().resumeFrom(),
                "DDL stands alone, so it is a resume point");
        assertTrue(statements.get(1).sql().matches("(?s)(/\\*[^*]*\\*/ )?INSERT INTO .*"), statements.get(1).sql());
        assertTrue(statements.get(1).sql().contains("'stmt'"), statements.get(1).sql());
    }

    @Test
    void aLargeMultiRowInsertArrivesInSeveralRowsEventsWithEveryRow() throws Exception {
        TableId t = pair.table("big");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, payload VARCHAR(200))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("INSERT INTO " + t.sql() + " SELECT n, REPEAT(CHAR(65 + n % 26), 100) FROM " + Sequence.upTo(5000)
                + " ORDER BY n");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), end);
        List<RowsInserted> inserts = events.stream().filter(RowsInserted.class::isInstance).map(RowsInserted.class::cast).toList();
        assertTrue(inserts.size() > 1, "expected several rows events, got " + inserts.size());
        List<Row> rows = inserts.stream().flatMap(r -> r.rows().stream()).toList();
        assertEquals(5000, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(String.valueOf(i + 1), text(rows.get(i), 0));
            assertEquals(String.valueOf((char) ('A' + (i + 1) % 26)).repeat(100), text(rows.get(i), 1));
        }
        assertInstanceOf(TransactionCommitted.class, events.get(events.indexOf(inserts.getLast()) + 1));
        // Every rows event of the one transaction resumes from where that transaction began.
        assertEquals(1, inserts.stream().map(r -> r.position().resumeFrom()).distinct().count());
        assertTrue(inserts.getFirst().position().resumeFrom().compareTo(start) >= 0);
    }

    @Test
    void aBinlogFileMissingFromTheSourceFailsWithTheRetentionRequirement() throws Exception {
        BinlogPosition now = BinlogCapture.currentPosition(pair.source());
        String base = now.file().substring(0, now.file().lastIndexOf('.'));
        var gone = new BinlogPosition(base + ".000000", 4);
        var failure = assertThrows(PreconditionFailed.class, () -> BinlogCapture.read(pair.source().ferryConfig(),
                table -> null, ResumablePosition.at(gone), now));
        assertTrue(failure.getMessage().contains(gone.file()), failure.getMessage());
        assertTrue(failure.getMessage().contains("retention"), failure.getMessage());
    }

    private boolean isMariaDb() throws SQLException {
        try (Connection c = pair.source().connect()) {
            return ServerInfo.of(c).isMariaDb();
        }
    }

    private List<BinlogEvent> own(List<BinlogEvent> events) {
        return BinlogCapture.own(events, pair.database());
    }

    private static List<String> kinds(List<BinlogEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    private static List<ResumablePosition> positions(List<BinlogEvent> events) {
        return new ArrayList<>(events.stream().map(BinlogEvent::position).toList());
    }

    private static String text(Row row, int column) {
        return new String(row.get(column), StandardCharsets.UTF_8);
    }
}

package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.Sequence;
import java.nio.charset.StandardCharsets;
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

        List<BinlogEvent> events = BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), end);
        assertEquals(List.of("RowsInserted", "RowsInserted", "TransactionCommitted", "RowsUpdated", "TransactionCommitted"),
                kinds(events));
        var first = events.get(0).position();
        var second = events.get(1).position();
        var commit = events.get(2).position();
        assertEquals(start, first.resumeFrom(), "inside the transaction the resume point stays before it");
        assertEquals(start, second.resumeFrom(), "never between a TABLE_MAP and its rows");
        assertTrue(start.compareTo(first.event()) < 0 && first.event().compareTo(second.event()) < 0
                && second.event().compareTo(commit.event()) < 0, "positions grow: " + events);
        assertEquals(ResumablePosition.at(commit.event()), commit, "a commit is a resume point");
        assertEquals(commit.event(), events.get(3).position().resumeFrom());
        assertEquals(end, events.get(4).position().event(), "the last commit ends where the source is");

        // A restart after the first rows event re-reads the transaction but emits only what came after it.
        List<BinlogEvent> resumed = BinlogCapture.read(pair.source().ferryConfig(), schemas, first, end);
        assertEquals(positions(events.subList(1, events.size())), positions(resumed));
        assertEquals(events.get(1), resumed.get(0));
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
        List<BinlogEvent> all = BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), end);
        assertEquals(5, all.size(), kinds(all).toString());

        // The second rows event starts where the first ends: stopping there emits the first only.
        BinlogPosition endOfFirst = all.get(0).position().event();
        assertEquals(positions(all.subList(0, 1)), positions(
                BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), endOfFirst)));
        // Stopping at the end of the first transaction emits it whole, and nothing of the next one.
        BinlogPosition firstCommit = all.get(2).position().event();
        assertEquals(positions(all.subList(0, 3)), positions(
                BinlogCapture.read(pair.source().ferryConfig(), schemas, ResumablePosition.at(start), firstCommit)));
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
        assertTrue(statements.get(0).sql().startsWith("ALTER TABLE"), statements.get(0).sql());
        assertEquals(statements.get(0).position().event(), statements.get(0).position().resumeFrom(),
                "DDL stands alone, so it is a resume point");
        assertTrue(statements.get(1).sql().startsWith("INSERT INTO"), statements.get(1).sql());
        assertTrue(statements.get(1).sql().contains("'stmt'"), statements.get(1).sql());
    }

    @Test
    void aLargeMultiRowInsertArrivesInSeveralRowsEventsWithEveryRow() throws Exception {
        TableId t = pair.table("big");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, payload VARCHAR(200))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("INSERT INTO " + t.sql() + " SELECT n, REPEAT(CHAR(65 + n % 26), 100) FROM " + Sequence.upTo(5000));
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

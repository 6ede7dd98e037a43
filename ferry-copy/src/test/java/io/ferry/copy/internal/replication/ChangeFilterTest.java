package io.ferry.copy.internal.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.filter.ChangeOutcome;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.filter.RowChange;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The run's row filter applied to binlog batches: which row events reach the applier, and in what shape. */
class ChangeFilterTest {
    private static final TableId T = new TableId("db", "t");
    private static final TableId OTHER = new TableId("db", "other");
    private static final TableSchema SCHEMA = schema(T);
    private static final TableSchema OTHER_SCHEMA = schema(OTHER);
    private static final Instant WHEN = Instant.parse("2024-05-01T10:00:00Z");

    private static TableSchema schema(TableId id) {
        return new TableSchema(id, List.of(column("id", 1, "bigint"), column("shop", 2, "bigint"),
                column("name", 3, "varchar")), List.of("id"), List.of());
    }

    private static ColumnSchema column(String name, int ordinal, String type) {
        return new ColumnSchema(name, ordinal, type, type, false, true, type.equals("varchar") ? "utf8mb4" : null,
                type.equals("varchar") ? "utf8mb4_general_ci" : null, 16, -1, false, false, List.of());
    }

    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static Row row(String id, String shop, String name) {
        return new Row(new byte[][] {b(id), b(shop), b(name)});
    }

    private static ResumablePosition at(long offset) {
        return new ResumablePosition(new BinlogPosition("binlog.000003", offset), new BinlogPosition("binlog.000003", 4));
    }

    private static RowsInserted insert(long offset, Row... rows) {
        return new RowsInserted(T, SCHEMA, List.of(rows), at(offset), WHEN);
    }

    private static RowsDeleted delete(long offset, Row... rows) {
        return new RowsDeleted(T, SCHEMA, List.of(rows), at(offset), WHEN);
    }

    private static RowsUpdated update(long offset, RowsUpdated.Change... changes) {
        return new RowsUpdated(T, SCHEMA, List.of(changes), at(offset), WHEN);
    }

    private static RowsUpdated.Change change(Row before, Row after) {
        return new RowsUpdated.Change(before, after);
    }

    private static TransactionCommitted commit(long offset) {
        return new TransactionCommitted(ResumablePosition.at(new BinlogPosition("binlog.000003", offset)), WHEN);
    }

    /** A row filter answering {@code decide}, every table streamed unless {@code timing} says otherwise. */
    private static final class Recording implements RowFilter {
        final List<RowChange> seen = new ArrayList<>();
        private final Function<RowChange, ChangeOutcome> decide;
        private final Map<TableId, CopyTiming> timing;

        Recording(Function<RowChange, ChangeOutcome> decide) {
            this(decide, Map.of());
        }

        Recording(Function<RowChange, ChangeOutcome> decide, Map<TableId, CopyTiming> timing) {
            this.decide = decide;
            this.timing = timing;
        }

        @Override
        public RowSelection select(TableSchema table, TableId readFrom) {
            return RowSelection.ALL;
        }

        @Override
        public ChangeOutcome onChange(RowChange change) {
            seen.add(change);
            return decide.apply(change);
        }

        @Override
        public CopyTiming timing(TableSchema table) {
            return timing.getOrDefault(table.id(), CopyTiming.STREAMED);
        }

        @Override
        public String identity() {
            return "recording filter";
        }
    }

    /** Shop 5's rows: the before image decides a delete, the after image an insert. */
    private static ChangeOutcome shopFive(RowChange c) {
        String shop = c.isDelete() ? c.before("shop") : c.after("shop");
        return "5".equals(shop) ? ChangeOutcome.APPLY : ChangeOutcome.SKIP;
    }

    private static List<BinlogEvent> filtered(RowFilter rows, BinlogEvent... events) {
        List<BinlogEvent> batch = new ArrayList<>(List.of(events));
        new ChangeFilter(rows).filter(batch);
        return batch;
    }

    @Test
    void onlyTheWholeCopyFilterIsLeftOut() {
        assertFalse(new ChangeFilter(RowFilter.ALL).filters());
        assertTrue(new ChangeFilter(new Recording(c -> ChangeOutcome.APPLY)).filters());
    }

    @Test
    void aFilterThatAppliesEverythingKeepsTheSameEvents() {
        BinlogEvent[] events = {
                insert(100, row("1", "5", "a"), row("2", "6", "b")),
                update(200, change(row("1", "5", "a"), row("1", "5", "c"))),
                new StatementExecuted("db", "FLUSH TABLES", at(250), WHEN),
                delete(300, row("2", "6", "b")),
                commit(400)};
        for (RowFilter rows : List.of(RowFilter.ALL, new Recording(c -> ChangeOutcome.APPLY))) {
            List<BinlogEvent> batch = filtered(rows, events);
            assertEquals(events.length, batch.size());
            for (int i = 0; i < events.length; i++) {
                assertSame(events[i], batch.get(i), "event " + i + " under " + rows.identity());
            }
        }
    }

    @Test
    void insertsAndDeletesAreFilteredRowByRowAndAnEventWithoutRowsDisappears() {
        Row r1 = row("1", "5", "a");
        Row r2 = row("2", "6", "b");
        Row r3 = row("3", "5", "c");
        RowsInserted kept = insert(150, row("4", "5", "d"));
        TransactionCommitted c1 = commit(200);
        TransactionCommitted c2 = commit(400);
        List<BinlogEvent> batch = filtered(new Recording(ChangeFilterTest::shopFive),
                insert(100, r1, r2, r3), kept, c1, delete(300, r2, row("6", "7", "x")), insert(350, r2), c2,
                delete(500, r2, r3));

        assertEquals(5, batch.size(), batch.toString());
        RowsInserted inserted = assertInstanceOf(RowsInserted.class, batch.get(0));
        assertEquals(List.of(r1, r3), inserted.rows());
        assertEquals(T, inserted.table());
        assertSame(SCHEMA, inserted.schema());
        assertEquals(at(100), inserted.position());
        assertEquals(WHEN, inserted.timestamp());
        assertSame(kept, batch.get(1), "an event whose rows are all kept is left as it is");
        assertSame(c1, batch.get(2));
        assertSame(c2, batch.get(3), "the insert and the delete of other shops' rows are gone, the commits stay in order");
        RowsDeleted deleted = assertInstanceOf(RowsDeleted.class, batch.get(4));
        assertEquals(List.of(r3), deleted.rows());
        assertEquals(T, deleted.table());
        assertEquals(at(500), deleted.position());
        assertEquals(WHEN, deleted.timestamp());
    }

    @Test
    void anUpdateBecomesOneEventPerRunOfChangesOfOneKindInRowOrder() {
        Map<String, ChangeOutcome> byId = Map.of("1", ChangeOutcome.APPLY, "2", ChangeOutcome.APPLY,
                "3", ChangeOutcome.INSERT_AFTER, "4", ChangeOutcome.DELETE_BEFORE, "5", ChangeOutcome.DELETE_BEFORE,
                "6", ChangeOutcome.SKIP, "7", ChangeOutcome.INSERT_AFTER, "8", ChangeOutcome.APPLY);
        List<RowsUpdated.Change> changes = new ArrayList<>();
        for (int id = 1; id <= 8; id++) {
            changes.add(change(row(String.valueOf(id), "5", "old" + id), row(String.valueOf(id), "5", "new" + id)));
        }
        TransactionCommitted before = commit(50);
        TransactionCommitted after = commit(900);
        List<BinlogEvent> batch = filtered(new Recording(c -> byId.get(c.before("id"))), before,
                new RowsUpdated(T, SCHEMA, changes, at(700), WHEN), after);

        assertEquals(7, batch.size(), batch.toString());
        assertSame(before, batch.get(0));
        RowsUpdated applied = assertInstanceOf(RowsUpdated.class, batch.get(1));
        assertEquals(changes.subList(0, 2), applied.changes());
        RowsInserted moved = assertInstanceOf(RowsInserted.class, batch.get(2));
        assertEquals(List.of(changes.get(2).after()), moved.rows(), "the after image of a row moved in");
        RowsDeleted left = assertInstanceOf(RowsDeleted.class, batch.get(3));
        assertEquals(List.of(changes.get(3).before(), changes.get(4).before()), left.rows(),
                "the before images of the rows moved out");
        RowsInserted movedAgain = assertInstanceOf(RowsInserted.class, batch.get(4));
        assertEquals(List.of(changes.get(6).after()), movedAgain.rows(), "a skipped change in between ends a run");
        RowsUpdated last = assertInstanceOf(RowsUpdated.class, batch.get(5));
        assertEquals(List.of(changes.get(7)), last.changes());
        assertSame(after, batch.get(6));
        for (BinlogEvent e : batch.subList(1, 6)) {
            assertEquals(at(700), e.position(), e.toString());
            assertEquals(WHEN, e.timestamp(), e.toString());
        }
        assertEquals(List.of(T, T, T, T, T), List.of(applied.table(), moved.table(), left.table(),
                movedAgain.table(), last.table()));
        assertSame(SCHEMA, applied.schema());
        assertSame(SCHEMA, moved.schema());
        assertSame(SCHEMA, left.schema());
    }

    @Test
    void anUpdateWithOnlyMovesOrSkipsIsReplacedAndOneWithOnlySkipsDisappears() {
        var c1 = change(row("1", "6", "a"), row("1", "5", "a"));
        var c2 = change(row("2", "6", "b"), row("2", "5", "b"));
        List<BinlogEvent> batch = filtered(new Recording(c -> c.before("shop").equals("6") && c.after("shop").equals("5")
                        ? ChangeOutcome.INSERT_AFTER : ChangeOutcome.SKIP),
                update(100, c1, c2), update(200, change(row("3", "7", "x"), row("3", "7", "y"))), commit(300));

        assertEquals(2, batch.size(), batch.toString());
        RowsInserted inserted = assertInstanceOf(RowsInserted.class, batch.get(0));
        assertEquals(List.of(c1.after(), c2.after()), inserted.rows());
        assertEquals(at(100), inserted.position());
        assertInstanceOf(TransactionCommitted.class, batch.get(1));
    }

    @Test
    void aFailedChangeStopsTheRunNamingTheTableThePositionAndTheReason() {
        var filter = new Recording(c -> "2".equals(c.isDelete() ? c.before("id") : c.after("id"))
                ? ChangeOutcome.fail("row 2 moved between tenants") : ChangeOutcome.APPLY);
        List<BinlogEvent> failing = List.of(
                insert(120, row("1", "5", "a"), row("2", "5", "b")),
                delete(120, row("1", "5", "a"), row("2", "5", "b")),
                update(120, change(row("1", "5", "a"), row("1", "5", "z")), change(row("2", "5", "b"),
                        row("2", "6", "b"))));
        for (BinlogEvent e : failing) {
            RunFailed failed = assertThrows(RunFailed.class, () -> filtered(filter, commit(100), e, commit(130)),
                    e.toString());
            assertTrue(failed.getMessage().contains("db.t"), failed.getMessage());
            assertTrue(failed.getMessage().contains("binlog.000003:120"), failed.getMessage());
            assertTrue(failed.getMessage().contains("row 2 moved between tenants"), failed.getMessage());
        }
    }

    @Test
    void aMoveAnsweredToAnInsertOrADeleteIsAnError() {
        var deleteBefore = new Recording(c -> ChangeOutcome.DELETE_BEFORE);
        var misanswered = assertThrows(IllegalStateException.class,
                () -> filtered(deleteBefore, insert(120, row("1", "5", "a"))));
        assertTrue(misanswered.getMessage().contains("DELETE_BEFORE"), misanswered.getMessage());
        assertTrue(misanswered.getMessage().contains("db.t"), misanswered.getMessage());
        assertTrue(misanswered.getMessage().contains("binlog.000003:120"), misanswered.getMessage());

        var insertAfter = new Recording(c -> ChangeOutcome.INSERT_AFTER);
        misanswered = assertThrows(IllegalStateException.class,
                () -> filtered(insertAfter, delete(120, row("1", "5", "a"))));
        assertTrue(misanswered.getMessage().contains("INSERT_AFTER"), misanswered.getMessage());
        assertTrue(misanswered.getMessage().contains("db.t"), misanswered.getMessage());
    }

    @Test
    void aMoveAnsweredInTheDirectionOfTheChangeKeepsTheRow() {
        RowsInserted inserted = insert(100, row("1", "5", "a"));
        RowsDeleted deleted = delete(200, row("1", "5", "a"));
        assertSame(inserted, filtered(new Recording(c -> ChangeOutcome.INSERT_AFTER), inserted).getFirst());
        assertSame(deleted, filtered(new Recording(c -> ChangeOutcome.DELETE_BEFORE), deleted).getFirst());
    }

    @Test
    void aFilterWithoutAnAnswerIsAnError() {
        var e = assertThrows(IllegalStateException.class,
                () -> filtered(new Recording(c -> null), insert(120, row("1", "5", "a"))));
        assertTrue(e.getMessage().contains("recording filter"), e.getMessage());
        assertTrue(e.getMessage().contains("db.t"), e.getMessage());
    }

    @Test
    void theChangesOfTablesNotStreamedAreDroppedWithoutAskingTheFilter() {
        TableId cutover = new TableId("db", "shops");
        TableId recopied = new TableId("db", "assets");
        TableSchema cutoverSchema = schema(cutover);
        TableSchema recopiedSchema = schema(recopied);
        var filter = new Recording(c -> ChangeOutcome.APPLY,
                Map.of(cutover, CopyTiming.AT_CUTOVER, recopied, CopyTiming.RECOPIED_AT_CUTOVER));
        RowsInserted streamed = new RowsInserted(OTHER, OTHER_SCHEMA, List.of(row("9", "5", "s")), at(150), WHEN);
        TransactionCommitted c1 = commit(200);
        TransactionCommitted c2 = commit(500);
        List<BinlogEvent> batch = filtered(filter,
                new RowsInserted(cutover, cutoverSchema, List.of(row("1", "5", "a")), at(100), WHEN),
                streamed,
                c1,
                new RowsUpdated(recopied, recopiedSchema, List.of(change(row("2", "5", "b"), row("2", "5", "c"))),
                        at(300), WHEN),
                new RowsDeleted(cutover, cutoverSchema, List.of(row("1", "5", "a")), at(400), WHEN),
                new RowsDeleted(recopied, recopiedSchema, List.of(row("2", "5", "c")), at(450), WHEN),
                c2);

        assertEquals(List.of(streamed, c1, c2), batch);
        assertSame(streamed, batch.getFirst());
        assertEquals(1, filter.seen.size(), "only the streamed table's change reaches onChange");
        assertSame(OTHER_SCHEMA, filter.seen.getFirst().table());
    }

    @Test
    void theFilterSeesTheImagesOfEachChange() {
        var filter = new Recording(c -> ChangeOutcome.APPLY);
        filtered(filter,
                insert(100, row("1", "5", "a")),
                update(200, change(row("1", "5", "a"), row("1", "6", null))),
                delete(300, row("1", "6", null)));

        assertEquals(3, filter.seen.size());
        RowChange insert = filter.seen.get(0);
        assertTrue(insert.isInsert());
        assertSame(SCHEMA, insert.table());
        assertEquals("5", insert.after("shop"));
        assertThrows(IllegalStateException.class, () -> insert.before("shop"));

        RowChange update = filter.seen.get(1);
        assertTrue(update.isUpdate());
        assertEquals("5", update.before("shop"));
        assertEquals("6", update.after("shop"));
        assertEquals("a", update.before("name"));
        assertNull(update.after("name"));
        assertEquals("1", update.before("id"));

        RowChange delete = filter.seen.get(2);
        assertTrue(delete.isDelete());
        assertEquals("6", delete.before("shop"));
        assertThrows(IllegalStateException.class, () -> delete.after("shop"));
    }
}

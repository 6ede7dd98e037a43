package io.ferry.binlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WritesetLanesTest {
    private static final Instant WHEN = Instant.parse("2026-01-02T03:04:05Z");
    private static final TableId ITEMS = new TableId("shop", "items");
    /** id INT PRIMARY KEY, code INT UNIQUE (nullable), name VARCHAR UNIQUE (case-insensitive), blob VARBINARY UNIQUE */
    private static final TableSchema ITEMS_SCHEMA = new TableSchema(ITEMS,
            List.of(column("id", 1, "int", false, null, null), column("code", 2, "int", true, null, null),
                    column("name", 3, "varchar", true, "utf8mb4", "utf8mb4_general_ci"),
                    column("blob", 4, "varbinary", true, null, null)),
            List.of("id"), List.of(List.of("code")));
    private static final TableSchema NAMED_SCHEMA = new TableSchema(ITEMS, ITEMS_SCHEMA.columns(), List.of("id"),
            List.of(List.of("name")));
    private static final TableSchema BLOB_KEY_SCHEMA = new TableSchema(ITEMS, ITEMS_SCHEMA.columns(), List.of("blob"),
            List.of());
    private static final TableSchema KEYLESS_SCHEMA = new TableSchema(ITEMS, ITEMS_SCHEMA.columns(), List.of(),
            List.of(List.of("code")));

    private final WritesetLanes lanes = new WritesetLanes(Function.identity(), Set.of());
    private long offset;

    @Test
    void changesToDifferentRowsAreSpreadOverTheLanes() {
        List<BinlogEvent> events = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            events.add(insert(ITEMS_SCHEMA, row(i, i, "n" + i, "b")));
            events.add(commit());
        }
        List<List<BinlogEvent>> split = lanes.split(events, 4);

        assertEquals(4, split.size());
        for (List<BinlogEvent> lane : split) {
            assertEquals(2, BinlogEvent.rowChanges(lane), "two of eight rows per lane: " + lane);
        }
        assertEquals(8, split.stream().mapToInt(BinlogEvent::rowChanges).sum());
    }

    @Test
    void everyChangeOfOneRowStaysInOneLaneInSourceOrder() {
        List<BinlogEvent> events = new ArrayList<>();
        events.add(insert(ITEMS_SCHEMA, row(1, 10, "a", "x")));
        events.add(insert(ITEMS_SCHEMA, row(2, 20, "b", "y")));
        events.add(update(ITEMS_SCHEMA, row(1, 10, "a", "x"), row(1, 11, "a", "x")));
        events.add(update(ITEMS_SCHEMA, row(2, 20, "b", "y"), row(2, 21, "b", "y")));
        events.add(update(ITEMS_SCHEMA, row(1, 11, "a", "x"), row(1, 12, "a", "x")));
        events.add(delete(ITEMS_SCHEMA, row(1, 12, "a", "x")));
        List<List<BinlogEvent>> split = lanes.split(events, 4);

        assertEquals(2, split.size());
        assertEquals(List.of(events.get(0), events.get(2), events.get(4), events.get(5)), split.get(0));
        assertEquals(List.of(events.get(1), events.get(3)), split.get(1));
    }

    @Test
    void aValueMovingBetweenRowsOfAUniqueIndexTiesTheRowsTogether() {
        // Row 1 gives up code 5 and row 2 takes it: applied in the other order, row 2's insert would be ignored as a
        // duplicate and the row lost.
        List<BinlogEvent> events = List.of(
                delete(ITEMS_SCHEMA, row(1, 5, "a", "x")),
                insert(ITEMS_SCHEMA, row(2, 5, "b", "y")),
                insert(ITEMS_SCHEMA, row(3, 7, "c", "z")));
        List<List<BinlogEvent>> split = lanes.split(events, 4);

        assertEquals(List.of(List.of(events.get(0), events.get(1)), List.of(events.get(2))), split);
    }

    @Test
    void aKeyChangeTiesTheOldAndTheNewKey() {
        List<BinlogEvent> events = List.of(
                update(ITEMS_SCHEMA, row(1, 1, "a", "x"), row(9, 1, "a", "x")),
                insert(ITEMS_SCHEMA, row(1, 2, "b", "y")),
                update(ITEMS_SCHEMA, row(9, 1, "a", "x"), row(9, 3, "a", "x")),
                insert(ITEMS_SCHEMA, row(4, 4, "d", "w")));
        List<List<BinlogEvent>> split = lanes.split(events, 4);

        assertEquals(List.of(List.of(events.get(0), events.get(1), events.get(2)), List.of(events.get(3))), split);
    }

    @Test
    void nullsInAUniqueIndexTieNothing() {
        List<BinlogEvent> events = List.of(insert(ITEMS_SCHEMA, row(1, null, "a", "x")),
                insert(ITEMS_SCHEMA, row(2, null, "b", "y")));
        assertEquals(2, lanes.split(events, 4).size());
    }

    @Test
    void aCaseInsensitiveTextKeyTiesEveryRowOfTheTable() {
        // 'abc' and 'ABC' are one value to the index; the text is not hashed, so every row shares the token.
        List<BinlogEvent> events = List.of(delete(NAMED_SCHEMA, row(1, 1, "abc", "x")),
                insert(NAMED_SCHEMA, row(2, 2, "ABC", "y")), insert(NAMED_SCHEMA, row(3, 3, "zzz", "z")));
        assertEquals(List.of(events), lanes.split(events, 4));
    }

    @Test
    void binaryKeysAreToldApartByTheirFirstByteOnly() {
        // A unique index may cover a prefix of the column: values with the same first byte may collide.
        List<BinlogEvent> events = List.of(insert(BLOB_KEY_SCHEMA, row(1, 1, "a", "ab")),
                insert(BLOB_KEY_SCHEMA, row(2, 2, "b", "ac")), insert(BLOB_KEY_SCHEMA, row(3, 3, "c", "zz")));
        List<List<BinlogEvent>> split = lanes.split(events, 4);

        assertEquals(List.of(List.of(events.get(0), events.get(1)), List.of(events.get(2))), split);
    }

    @Test
    void oneRowsEventIsCutIntoPartsThatKeepItsPosition() {
        var many = new RowsInserted(ITEMS, ITEMS_SCHEMA, List.of(row(1, 1, "a", "x"), row(2, 2, "b", "y"),
                row(3, 3, "c", "z"), row(4, 4, "d", "w")), next(), WHEN);
        List<List<BinlogEvent>> split = lanes.split(List.of(many, commit()), 2);

        assertEquals(2, split.size());
        for (List<BinlogEvent> lane : split) {
            RowsInserted part = (RowsInserted) lane.getFirst();
            assertEquals(many.position(), part.position());
            assertEquals(2, part.rows().size());
        }
    }

    @Test
    void tablesWithoutAKeyAndCascadingParentsAreNotSpread() {
        List<BinlogEvent> keyless = List.of(insert(KEYLESS_SCHEMA, row(1, 1, "a", "x")),
                insert(KEYLESS_SCHEMA, row(1, 2, "a", "x")), insert(ITEMS_SCHEMA, row(3, 3, "c", "z")));
        List<List<BinlogEvent>> split = lanes.split(keyless, 4);
        assertEquals(1, split.size());
        assertSame(keyless, split.getFirst());

        List<BinlogEvent> parent = List.of(insert(ITEMS_SCHEMA, row(1, 1, "a", "x")),
                insert(ITEMS_SCHEMA, row(2, 2, "b", "y")));
        assertEquals(1, new WritesetLanes(Function.identity(), Set.of(ITEMS)).split(parent, 4).size());
    }

    private RowsInserted insert(TableSchema schema, Row row) {
        return new RowsInserted(ITEMS, schema, List.of(row), next(), WHEN);
    }

    private RowsUpdated update(TableSchema schema, Row before, Row after) {
        return new RowsUpdated(ITEMS, schema, List.of(new RowsUpdated.Change(before, after)), next(), WHEN);
    }

    private RowsDeleted delete(TableSchema schema, Row row) {
        return new RowsDeleted(ITEMS, schema, List.of(row), next(), WHEN);
    }

    private TransactionCommitted commit() {
        return new TransactionCommitted(next(), WHEN);
    }

    private ResumablePosition next() {
        offset += 100;
        return ResumablePosition.at(new BinlogPosition("bin.000001", offset));
    }

    private static Row row(int id, Integer code, String name, String blob) {
        return new Row(new byte[][] {bytes(id), code == null ? null : bytes(code), name.getBytes(UTF_8),
                blob.getBytes(UTF_8)});
    }

    private static byte[] bytes(int n) {
        return Integer.toString(n).getBytes(UTF_8);
    }

    private static ColumnSchema column(String name, int ordinal, String type, boolean nullable, String charset,
                                       String collation) {
        return new ColumnSchema(name, ordinal, type, type, false, nullable, charset, collation, -1, -1, false, false,
                List.of());
    }
}

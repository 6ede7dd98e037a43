package io.ferry.binlog.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmlStatementsTest {
    private static final TableId SOURCE = new TableId("shop", "items");
    private static final TableId TARGET = new TableId("shop_copy", "items_v2");

    private static ColumnSchema col(String name, int ordinal, String type, boolean nullable) {
        String charset = type.contains("char") || type.equals("text") ? "utf8mb4" : null;
        String collation = charset == null ? null : "utf8mb4_general_ci";
        return new ColumnSchema(name, ordinal, type, type, false, nullable, charset, collation, -1, -1, false, false,
                List.of());
    }

    private static ColumnSchema generated(String name, int ordinal) {
        return new ColumnSchema(name, ordinal, "int", "int", false, true, null, null, -1, -1, true, false, List.of());
    }

    private static final TableSchema KEYED = new TableSchema(SOURCE, List.of(
            col("id", 1, "bigint", false), col("name", 2, "varchar", true), generated("twice", 3),
            col("price", 4, "decimal", true), col("data", 5, "blob", true)), List.of("id"), List.of());

    private static Row row(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Row(bytes);
    }

    private final DmlStatements dml = new DmlStatements(ServerFlavor.MARIADB);

    @Test
    void insertWritesEveryWritableColumnOfEveryRowIntoTheRewrittenTable() {
        String sql = dml.insert(TARGET, KEYED, List.of(row("1", "a'b", "2", "9.50", "\u0000"), row("2", null, null, null, null)));
        assertEquals("INSERT IGNORE INTO `shop_copy`.`items_v2` (`id`, `name`, `price`, `data`) VALUES "
                + "(1, _utf8mb4 X'612762', 9.50, X'00'), (2, NULL, NULL, NULL)", sql);
    }

    @Test
    void updateSetsAllWritableColumnsWhereTheWholeOldImageMatches() {
        List<String> sql = dml.update(TARGET, KEYED, row("1", "a", "2", null, "x"), row("1", "B", "2", "1.5", "x"));
        assertEquals(List.of("UPDATE `shop_copy`.`items_v2` SET `id` = 1, `name` = _utf8mb4 X'42', `price` = 1.5,"
                + " `data` = X'78' WHERE `id` = 1 AND CAST(`name` AS BINARY) = X'61' AND `price` IS NULL"
                + " AND `data` = X'78'"), sql);
    }

    @Test
    void deleteMatchesTheWholeOldImageWithIsNullForNulls() {
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 7 AND `name` IS NULL AND `price` = -0.01"
                        + " AND `data` IS NULL",
                dml.delete(TARGET, KEYED, row("7", null, "14", "-0.01", null)));
    }

    @Test
    void keyChangingUpdateDeletesTheOldRowAndInsertsTheNewOne() {
        List<String> sql = dml.update(TARGET, KEYED, row("1", "a", "2", null, null), row("5", "a", "10", null, null));
        assertEquals(List.of(
                "DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 1 AND CAST(`name` AS BINARY) = X'61'"
                        + " AND `price` IS NULL AND `data` IS NULL",
                "INSERT IGNORE INTO `shop_copy`.`items_v2` (`id`, `name`, `price`, `data`) VALUES (5, _utf8mb4 X'61',"
                        + " NULL, NULL)"), sql);
    }

    @Test
    void tablesWithoutPrimaryOrUniqueNotNullKeyChangeOneRowPerChange() {
        var nullableUnique = new TableSchema(SOURCE, List.of(col("a", 1, "int", true), col("b", 2, "int", true)),
                List.of(), List.of(List.of("a")));
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `a` = 1 AND `b` IS NULL LIMIT 1",
                dml.delete(TARGET, nullableUnique, row("1", null)));
        assertEquals(List.of("UPDATE `shop_copy`.`items_v2` SET `a` = 1, `b` = 3 WHERE `a` = 1 AND `b` = 2 LIMIT 1"),
                dml.update(TARGET, nullableUnique, row("1", "2"), row("1", "3")));

        var notNullUnique = new TableSchema(SOURCE, List.of(col("a", 1, "int", false), col("b", 2, "int", true)),
                List.of(), List.of(List.of("a")));
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `a` = 1 AND `b` IS NULL",
                dml.delete(TARGET, notNullUnique, row("1", null)));
    }

    @Test
    void textKeyColumnsAreComparedThroughTheIndexAndByTheirBytes() {
        var textKey = new TableSchema(SOURCE, List.of(col("code", 1, "varchar", false), col("n", 2, "int", true)),
                List.of("code"), List.of());
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `code` = _utf8mb4 X'4142' AND CAST(`code` AS BINARY)"
                + " = X'4142' AND `n` = 1", dml.delete(TARGET, textKey, row("AB", "1")));
    }

    @Test
    void identifiersWithBackticksAndOddCharactersAreQuoted() {
        TableId odd = new TableId("we`ird db", "ta`ble;--");
        var schema = new TableSchema(SOURCE, List.of(col("c`1", 1, "int", false), col("select", 2, "int", true)),
                List.of("c`1"), List.of());
        assertEquals("INSERT IGNORE INTO `we``ird db`.`ta``ble;--` (`c``1`, `select`) VALUES (1, 2)",
                dml.insert(odd, schema, List.of(row("1", "2"))));
        assertEquals("DELETE FROM `we``ird db`.`ta``ble;--` WHERE `c``1` = 1 AND `select` = 2",
                dml.delete(odd, schema, row("1", "2")));
    }

    @Test
    void jsonIsComparedAsTextOnMariaDbAndAsJsonOnMySql() {
        ColumnSchema json = new ColumnSchema("doc", 2, "json", "json", false, true, null, null, -1, -1, false, false,
                List.of());
        var schema = new TableSchema(SOURCE, List.of(col("id", 1, "int", false), json), List.of("id"), List.of());
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 1 AND CAST(`doc` AS BINARY) = X'5B5D'",
                dml.delete(TARGET, schema, row("1", "[]")));
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 1 AND `doc` = CAST(_utf8mb4 X'5B5D' AS JSON)",
                new DmlStatements(ServerFlavor.MYSQL).delete(TARGET, schema, row("1", "[]")));
    }

    @Test
    void jsonFromAnotherEngineIsComparedAsJson() {
        ColumnSchema json = new ColumnSchema("doc", 2, "json", "json", false, true, null, null, -1, -1, false, false,
                List.of());
        var schema = new TableSchema(SOURCE, List.of(col("id", 1, "int", false), json), List.of("id"), List.of());
        // MySQL's text of a document need not match, byte for byte, the text the copy wrote for it.
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 1 AND JSON_EQUALS(`doc`, _utf8mb4 X'5B5D')",
                new DmlStatements(ServerFlavor.MARIADB, ServerFlavor.MYSQL).delete(TARGET, schema, row("1", "[]")));
        // MariaDB's JSON text on MySQL's JSON type: compared as JSON, as within MySQL.
        assertEquals("DELETE FROM `shop_copy`.`items_v2` WHERE `id` = 1 AND `doc` = CAST(_utf8mb4 X'5B5D' AS JSON)",
                new DmlStatements(ServerFlavor.MYSQL, ServerFlavor.MARIADB).delete(TARGET, schema, row("1", "[]")));
    }

    @Test
    void aRowWhoseColumnCountDiffersFromTheSchemaIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> dml.delete(TARGET, KEYED, row("1", "a")));
        assertEquals("table shop.items has 5 columns but the row change has 2 values", e.getMessage());
    }
}

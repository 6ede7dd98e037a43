package io.ferry.core.keyset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.sql.KeyOrder;
import io.ferry.core.sql.SqlLiterals;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetCursorTest {
    private static final SqlLiterals LITERALS = new SqlLiterals(ServerFlavor.MYSQL);

    private static ColumnSchema column(String name, String type, String charset, String collation) {
        return new ColumnSchema(name, 1, type, type, false, false, charset, collation, 16, -1, false, false, List.of());
    }

    private static final ColumnSchema ID = column("id", "bigint", null, null);
    private static final ColumnSchema NAME = column("name", "varchar", "utf8mb4", "utf8mb4_general_ci");
    private static final ColumnSchema UUID = column("uuid", "binary", null, null);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KeysetCursor cursor(ColumnSchema... key) {
        return new KeysetCursor(KeyOrder.of(List.of(key), LITERALS), "`db`.`t`");
    }

    @Test
    void aBatchAfterAKeyUpToABoundAscending() {
        assertEquals("SELECT * FROM `db`.`t` WHERE ((`id` > 10)) AND ((`id` <= 99)) ORDER BY `id` LIMIT 500",
                cursor(ID).select("*", new KeyRange(List.of(b("10")), List.of(b("99")), false), 500));
    }

    @Test
    void descendingTurnsTheComparisonsAndTheOrder() {
        assertEquals("SELECT * FROM `db`.`t` WHERE ((`id` < 99)) AND ((`id` >= 10)) ORDER BY `id` DESC LIMIT 5",
                cursor(ID).select("*", new KeyRange(List.of(b("99")), List.of(b("10")), true), 5));
    }

    @Test
    void openEndsLeaveOutTheirConditionAndWithoutALimitTheWholeRangeIsRead() {
        KeysetCursor c = cursor(ID);
        assertEquals("SELECT `id` FROM `db`.`t` ORDER BY `id` LIMIT 7", c.select("`id`", KeyRange.ALL, 7));
        assertEquals("SELECT `id` FROM `db`.`t` WHERE ((`id` > 3)) ORDER BY `id` LIMIT 7",
                c.select("`id`", KeyRange.after(List.of(b("3"))), 7));
        assertEquals("SELECT `id` FROM `db`.`t` ORDER BY `id`", c.select("`id`", KeyRange.after(null)));
        assertEquals("SELECT `id` FROM `db`.`t` WHERE ((`id` >= 9)) ORDER BY `id` DESC",
                c.select("`id`", new KeyRange(null, List.of(b("9")), true)));
        assertEquals("SELECT `id` FROM `db`.`t` WHERE ((`id` > 3)) AND ((`id` <= 9)) ORDER BY `id`",
                c.select("`id`", KeyRange.after(List.of(b("3"))).upTo(List.of(b("9")))));
    }

    @Test
    void aCompositeKeyComparesColumnByColumnEachInItsCollation() {
        var key = List.of(b("é"), b("7"));
        assertEquals("SELECT * FROM `db`.`t` WHERE ((`name` > _utf8mb4 X'C3A9' COLLATE utf8mb4_general_ci) OR "
                        + "(`name` = _utf8mb4 X'C3A9' COLLATE utf8mb4_general_ci AND `id` > 7)) "
                        + "ORDER BY `name`, `id` LIMIT 2",
                cursor(NAME, ID).select("*", KeyRange.after(key), 2));
        assertEquals("SELECT * FROM `db`.`t` WHERE ((`name` > _utf8mb4 X'C3A9' COLLATE utf8mb4_general_ci) OR "
                        + "(`name` = _utf8mb4 X'C3A9' COLLATE utf8mb4_general_ci AND `id` >= 7)) "
                        + "ORDER BY `name` DESC, `id` DESC",
                cursor(NAME, ID).select("*", new KeyRange(null, key, true)));
    }

    @Test
    void aSelectionLimitsEveryReadAndItsHintGoesToTheFromClause() {
        var rows = new io.ferry.core.filter.RowSelection("`shop_id` = 5 OR `shop_id` = 6", "USE INDEX (`shop`)");
        KeysetCursor c = KeysetCursor.of(KeyOrder.of(List.of(ID), LITERALS), new io.ferry.core.TableId("db", "t"), rows);
        assertEquals("SELECT * FROM `db`.`t` USE INDEX (`shop`) WHERE (`shop_id` = 5 OR `shop_id` = 6) ORDER BY `id` LIMIT 3",
                c.select("*", KeyRange.ALL, 3));
        assertEquals("SELECT * FROM `db`.`t` USE INDEX (`shop`) WHERE (`shop_id` = 5 OR `shop_id` = 6)"
                        + " AND ((`id` < 99)) AND ((`id` >= 10)) ORDER BY `id` DESC",
                c.select("*", new KeyRange(List.of(b("99")), List.of(b("10")), true)));
        assertEquals("SELECT * FROM `db`.`t` USE INDEX (`shop`) WHERE (`shop_id` = 5 OR `shop_id` = 6)"
                + " AND (`id` IN (1, 2))", c.selectKeys("*", List.of(List.of(b("1")), List.of(b("2")))));
    }

    @Test
    void binaryKeysAreHexLiterals() {
        assertEquals("SELECT * FROM `db`.`t` WHERE ((`uuid` > X'00FF')) ORDER BY `uuid` LIMIT 1",
                cursor(UUID).select("*", KeyRange.after(List.of(new byte[] {0, (byte) 0xff})), 1));
    }

    @Test
    void givenKeys() {
        assertEquals("SELECT `id` FROM `db`.`t` WHERE (`id` IN (1, 2))",
                cursor(ID).selectKeys("`id`", List.of(List.of(b("1")), List.of(b("2")))));
        assertEquals("SELECT `id` FROM `db`.`t` WHERE ((`id` = 1 AND `uuid` = X'00') OR (`id` = 2 AND `uuid` = X'01'))",
                cursor(ID, UUID).selectKeys("`id`", List.of(List.of(b("1"), new byte[] {0}),
                        List.of(b("2"), new byte[] {1}))));
    }

    @Test
    void keyValues() {
        Row row = new Row(new byte[][] {b("a"), b("1"), b("x")});
        List<byte[]> key = KeyValues.of(row, new int[] {1, 0});
        assertTrue(KeyValues.same(key, List.of(b("1"), b("a"))));
        assertFalse(KeyValues.same(key, List.of(b("1"), b("b"))));
        assertEquals("(1, é)", KeyValues.render(List.of(ID, NAME), List.of(b("1"), b("é"))));
        assertEquals("0x00FF", KeyValues.render(List.of(UUID), List.of(new byte[] {0, (byte) 0xff})));
        assertEquals("NULL", KeyValues.render(List.of(ID), java.util.Arrays.asList((byte[]) null)));
    }
}

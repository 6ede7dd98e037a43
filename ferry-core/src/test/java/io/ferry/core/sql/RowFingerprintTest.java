package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowFingerprintTest {
    private static ColumnSchema col(String name, String type, String charset) {
        return new ColumnSchema(name, 1, type, type, false, true, charset, charset == null ? null : charset + "_bin", -1,
                -1, false, false, List.of());
    }

    private static final TableSchema TABLE = new TableSchema(new TableId("shop", "t"), List.of(col("id", "int", null),
            col("doc", "json", null), col("f", "double", null), col("name", "varchar", "utf8mb4"),
            col("legacy", "json", "ucs2")), List.of("id"), List.of());

    private static Row row(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Row(bytes);
    }

    @Test
    void aSameEngineFingerprintIsOneServerExpression() {
        var fp = new RowFingerprint(TABLE, Set.of(), Set.of(), ServerFlavor.MYSQL);
        assertTrue(fp.serverOnly());
        assertEquals(fp.expression(), fp.selectList());
        assertEquals(1, fp.selectWidth());
        assertTrue(fp.expression().contains("`doc`") && fp.expression().contains("`f`"), fp.expression());
    }

    @Test
    void aPortableFingerprintLeavesJsonAndDoublesToJava() {
        var fp = new RowFingerprint(TABLE, Set.of("legacy"), Set.of(), ServerFlavor.MARIADB, Set.of(), true);
        assertFalse(fp.serverOnly());
        assertFalse(fp.expression().contains("`doc`") || fp.expression().contains("`f`"), fp.expression());
        assertTrue(fp.expression().contains("`id`") && fp.expression().contains("`name`"), fp.expression());
        assertEquals(fp.expression() + ", CAST(CONVERT(`doc` USING utf8mb4) AS BINARY), `f`", fp.selectList());
        assertEquals(3, fp.selectWidth());
        assertEquals("CAST(CONVERT(`doc` USING utf8mb4) AS BINARY)", fp.columnSelect(TABLE.columns().get(1)));
    }

    @Test
    void eachEnginesTextOfTheSameValuesFinishesToOneFingerprint() {
        var fp = new RowFingerprint(TABLE, Set.of("legacy"), Set.of(), ServerFlavor.MYSQL, Set.of(), true);
        String server = "0123456789abcdef0123456789abcdef";
        String mysql = fp.finish(server, TABLE, row("1", "{\"a\": 100.0, \"b\": [1]}", "1.500000053056283e-7", "x", null));
        String mariadb = fp.finish(server, TABLE, row("1", "{\"b\":[1],\"a\":1e2}", "0.0000001500000053056283", "x", null));
        assertEquals(mysql, mariadb);
        assertTrue(mysql.matches("[0-9a-f]{32}"), mysql);
        assertEquals(fp.finish(server, TABLE, row("1", null, "0", "x", null)), fp.finish(server, TABLE, row("1", null, "-0", "x", null)));
        assertNotEquals(mysql, fp.finish(server, TABLE, row("1", "{\"a\": 100.5, \"b\": [1]}", "1.500000053056283e-7", "x", null)));
        assertNotEquals(fp.finish(server, TABLE, row("1", null, "1", "x", null)), fp.finish(server, TABLE, row("1", "null", "1", "x", null)),
                "SQL NULL and JSON null differ");
    }

    @Test
    void jsonInACharacterSetJavaDoesNotDecodeIsLeftToSql() {
        var fp = new RowFingerprint(TABLE, Set.of(), Set.of(), ServerFlavor.MARIADB, Set.of(), true);
        assertNull(fp.finish("0123456789abcdef0123456789abcdef", TABLE, row("1", null, null, null, "[]")));
    }
}

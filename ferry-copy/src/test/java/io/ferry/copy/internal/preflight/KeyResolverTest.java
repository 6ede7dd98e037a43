package io.ferry.copy.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.config.CascadingPaginationColumnConfig;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyResolverTest {
    private static final TableId T = new TableId("shop", "orders");

    /** A column {@code name type}; {@code null} suffix means nullable. */
    private static ColumnSchema col(String name, String dataType, boolean nullable) {
        boolean text = dataType.equals("varchar") || dataType.equals("char") || dataType.equals("text");
        return new ColumnSchema(name, 1, dataType, dataType + (dataType.equals("bigint") ? "(20)" : ""), false, nullable,
                text ? "utf8mb4" : null, text ? "utf8mb4_unicode_ci" : null, -1, -1, false, false, List.of());
    }

    private static TableSchema table(List<ColumnSchema> columns, List<String> pk, List<List<String>> unique) {
        return new TableSchema(T, columns, pk, unique);
    }

    private static List<String> keyOf(KeyResolver.Resolution r) {
        return assertInstanceOf(KeyResolver.Key.class, r, r.toString()).columns().stream().map(ColumnSchema::name).toList();
    }

    private static String refusal(KeyResolver.Resolution r) {
        return assertInstanceOf(KeyResolver.Refused.class, r, r.toString()).reason();
    }

    private static KeyResolver resolver(Map<String, Map<String, String>> perTable, String fallback,
                                        Map<String, List<String>> full) {
        return new KeyResolver(new CascadingPaginationColumnConfig(perTable, fallback, full));
    }

    private static final KeyResolver DEFAULT = new KeyResolver(CascadingPaginationColumnConfig.NONE);

    @Test
    void thePrimaryKeyOfAnyWidthAndOrderableTypesIsUsedWhole() {
        var t = table(List.of(col("region", "varchar", false), col("day", "date", false), col("n", "int", false),
                col("uuid", "varbinary", false), col("amount", "decimal", false)), List.of("region", "day", "n", "uuid", "amount"), List.of());
        assertEquals(List.of("region", "day", "n", "uuid", "amount"), keyOf(DEFAULT.resolve(t)));
    }

    @Test
    void aPerTableColumnWinsOverThePrimaryKey() {
        var t = table(List.of(col("id", "bigint", false), col("code", "varchar", false)), List.of("id"), List.of(List.of("code")));
        var r = resolver(Map.of("shop", Map.of("orders", "CODE")), "", Map.of());
        assertEquals(List.of("code"), keyOf(r.resolve(t)), "a unique column is used alone; names match case-insensitively");
    }

    @Test
    void aNonUniqueColumnIsFollowedByThePrimaryKey() {
        var t = table(List.of(col("a", "int", false), col("b", "int", false), col("day", "date", false)),
                List.of("a", "b"), List.of());
        var r = resolver(Map.of("shop", Map.of("orders", "b")), "", Map.of());
        assertEquals(List.of("b", "a"), keyOf(r.resolve(t)), "the column is not repeated");
        var fallback = resolver(Map.of(), "day", Map.of());
        var pkless = table(List.of(col("day", "date", false), col("u1", "int", false), col("u2", "int", true),
                col("u3", "varchar", false)), List.of(), List.of(List.of("u1", "u2"), List.of("u3")));
        assertEquals(List.of("day", "u3"), keyOf(fallback.resolve(pkless)),
                "without a primary key, the first unique key of NOT NULL columns breaks ties");
    }

    @Test
    void aNonUniqueColumnWithoutAnyUniqueKeyIsRefused() {
        var t = table(List.of(col("day", "date", false), col("x", "int", true)), List.of(), List.of(List.of("x")));
        String why = refusal(resolver(Map.of(), "day", Map.of()).resolve(t));
        assertTrue(why.contains("column day, which is not unique") && why.contains("no primary key or unique key"), why);
    }

    @Test
    void theFallbackColumnServesTablesWhosePrimaryKeyCannotBeUsed() {
        var r = resolver(Map.of(), "uid", Map.of());
        var floatPk = table(List.of(col("f", "float", false), col("uid", "bigint", false)), List.of("f"), List.of(List.of("uid")));
        assertEquals(List.of("uid"), keyOf(r.resolve(floatPk)));
        var noPk = table(List.of(col("uid", "bigint", false)), List.of(), List.of());
        String why = refusal(r.resolve(noPk));
        assertTrue(why.contains("column uid, which is not unique"), why);
        var good = table(List.of(col("id", "int", false), col("uid", "bigint", false)), List.of("id"), List.of());
        assertEquals(List.of("id"), keyOf(r.resolve(good)), "a usable primary key wins over the fallback");
        var other = table(List.of(col("f", "double", false)), List.of("f"), List.of());
        assertTrue(refusal(r.resolve(other)).startsWith("its primary key column f is double, an approximate number"));
    }

    @Test
    void unorderableKeysAreRefusedNamingColumnTypeAndOptions() {
        for (String type : List.of("float", "double", "json", "blob", "text", "enum", "set", "bit", "geometry")) {
            var t = table(List.of(col("k", type, false)), List.of("k"), List.of());
            String why = refusal(DEFAULT.resolve(t));
            assertTrue(why.startsWith("its primary key column k is " + type), why);
            assertTrue(why.contains("PerTable") && why.contains("FallbackColumn") && why.contains("FullTableCopies"), why);
        }
        var noPk = table(List.of(col("a", "int", false)), List.of(), List.of());
        String why = refusal(DEFAULT.resolve(noPk));
        assertTrue(why.startsWith("it has no primary key; give it a key with CascadingPaginationColumnConfig.PerTable"), why);
    }

    @Test
    void configuredColumnsMustExistBeOrderableAndNotNull() {
        var t = table(List.of(col("id", "int", false), col("maybe", "int", true), col("f", "float", false)),
                List.of("id"), List.of());
        assertEquals("CascadingPaginationColumnConfig.PerTable names column nope, which the table does not have; name one "
                + "of its columns (id, maybe, f)", refusal(resolver(Map.of("shop", Map.of("orders", "nope")), "", Map.of()).resolve(t)));
        assertTrue(refusal(resolver(Map.of("shop", Map.of("orders", "maybe")), "", Map.of()).resolve(t))
                .contains("column maybe, which is nullable"));
        assertTrue(refusal(resolver(Map.of("shop", Map.of("orders", "f")), "", Map.of()).resolve(t))
                .contains("column f, which is float, an approximate number"));
    }

    @Test
    void tablesListedInFullTableCopiesAreCopiedWholeWhateverTheirKeys() {
        var full = resolver(Map.of(), "", Map.of("shop", new ArrayList<>(List.of("orders"))));
        var keyed = table(List.of(col("id", "int", false)), List.of("id"), List.of());
        var floatKey = table(List.of(col("f", "float", false)), List.of("f"), List.of());
        var noKey = table(List.of(col("a", "int", true)), List.of(), List.of());
        for (TableSchema t : List.of(keyed, floatKey, noKey)) {
            assertInstanceOf(KeyResolver.Whole.class, full.resolve(t), t.toString());
        }
        var other = new TableSchema(new TableId("shop", "items"), noKey.columns(), List.of(), List.of());
        String why = refusal(full.resolve(other));
        assertTrue(why.contains("copy it whole by listing it in CascadingPaginationColumnConfig.FullTableCopies "
                + "({\"<db>\": [\"<table>\"]}"), "a table not listed is never copied whole unasked: " + why);
    }
}

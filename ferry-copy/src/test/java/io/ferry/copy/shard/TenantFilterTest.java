package io.ferry.copy.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.config.ShardingConfig;
import io.ferry.core.config.ShardingConfig.IndexHint;
import io.ferry.core.config.ShardingConfig.JoinedTable;
import io.ferry.core.config.ShardingConfig.JoinedThroughTable;
import io.ferry.core.config.ShardingConfig.TableIndexHint;
import io.ferry.core.filter.ChangeOutcome;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.filter.RowChange;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One tenant's tables and rows: which tables move, the SQL that reads their rows, and the binlog changes kept. */
class TenantFilterTest {
    private static final String SRC = "shop";
    private static final String DST = "shop_copy";

    // ---- schemas

    private static ColumnSchema column(String name, String type) {
        boolean text = type.equals("varchar");
        return new ColumnSchema(name, 1, type, type, false, true, text ? "utf8mb4" : null,
                text ? "utf8mb4_general_ci" : null, 16, -1, false, false, List.of());
    }

    private static TableSchema table(String db, String name, List<String> primaryKey, ColumnSchema... columns) {
        return new TableSchema(new TableId(db, name), List.of(columns), primaryKey, List.of());
    }

    private static TableSchema table(String name, List<String> primaryKey, ColumnSchema... columns) {
        return table(SRC, name, primaryKey, columns);
    }

    private static final ColumnSchema ID = column("id", "bigint");
    private static final ColumnSchema SHOP_ID = column("shop_id", "bigint");

    private static final TableSchema ORDERS = table("orders", List.of("id"), ID, SHOP_ID, column("total", "bigint"));
    private static final TableSchema SHOPS = table("shops", List.of("id"), ID, column("name", "varchar"));
    private static final TableSchema ASSETS = table("assets", List.of("id"), ID, column("url", "varchar"));
    private static final TableSchema DETAILS = table("details", List.of("id"), ID, column("order_id", "bigint"),
            column("kind", "varchar"));
    private static final TableSchema NOTES = table("notes", List.of("id"), ID, column("body", "varchar"));
    private static final TableSchema MIGRATIONS = table("schema_migrations", List.of("version"),
            column("version", "varchar"), SHOP_ID);
    private static final TableSchema ELSEWHERE = table("other", "orders", List.of("id"), ID, SHOP_ID);

    // ---- configs

    /** ShardingConfig with every option but the tenant at its default; set the fields before {@link #build}. */
    private static final class Config {
        String value = "5";
        boolean integer = true;
        Map<String, List<JoinedTable>> joined = Map.of("assets",
                List.of(new JoinedTable("assets_shops", "asset_id"), new JoinedTable("asset_links", "asset_id")));
        Map<String, JoinedThroughTable> joinedThrough = Map.of("details",
                new JoinedThroughTable("orders", "joined.order_id = `orders`.`id` AND `joined`.`kind` = 'x'"));
        List<String> primaryKeyTables = List.of("shops");
        List<Pattern> ignored = List.of();
        List<Pattern> included = List.of();
        IndexHint hint = IndexHint.USE;
        Map<String, TableIndexHint> perTable = Map.of();

        ShardingConfig build() {
            return new ShardingConfig("shop_id", value, integer, SRC, DST, joined, joinedThrough, primaryKeyTables,
                    ignored, included, hint, perTable);
        }
    }

    private static final Map<String, Map<String, List<String>>> INDEXES = indexes(
            "orders", index("PRIMARY", "id"), index("by_total", "total", "shop_id"), index("shop_only", "shop_id"),
            index("shop_total", "shop_id", "total"), index("shop_id_id", "shop_id", "id"));

    @SafeVarargs
    private static Map<String, Map<String, List<String>>> indexes(String table, Map<String, List<String>>... list) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Map<String, List<String>> i : list) {
            byName.putAll(i);
        }
        return Map.of(table, byName);
    }

    private static Map<String, List<String>> index(String name, String... columns) {
        return Map.of(name, List.of(columns));
    }

    private static TenantFilter filter(Config c) {
        return new TenantFilter(c.build(), INDEXES);
    }

    private static TenantFilter filter() {
        return filter(new Config());
    }

    // ---- rows

    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static Row order(String id, String shop) {
        return new Row(new byte[][] {b(id), b(shop), b("100")});
    }

    // ---- which tables move, and how

    @Test
    void eachTableIsClassifiedByTheConfig() {
        TenantFilter f = filter();
        assertEquals(new TenantTable.Sharded("shop_id"), f.classify(ORDERS));
        assertEquals(new TenantTable.PrimaryKey("id"), f.classify(SHOPS));
        assertEquals(new TenantTable.Joined("id", List.of(new JoinedTable("assets_shops", "asset_id"),
                new JoinedTable("asset_links", "asset_id"))), f.classify(ASSETS));
        assertEquals(new TenantTable.JoinedThrough(new JoinedThroughTable("orders",
                "joined.order_id = `orders`.`id` AND `joined`.`kind` = 'x'")), f.classify(DETAILS));
        assertEquals(new TenantTable.Sharded("shop_id"), f.classify(MIGRATIONS));

        TenantTable notes = f.classify(NOTES);
        assertInstanceOf(TenantTable.LeftOut.class, notes);
        assertTrue(((TenantTable.LeftOut) notes).reason().contains("has no column shop_id"), notes.toString());
        TenantTable elsewhere = f.classify(ELSEWHERE);
        assertEquals(new TenantTable.LeftOut("not in SourceDB shop"), elsewhere);
    }

    @Test
    void theShardingColumnIsFoundInAnyCaseAndNamedAsTheTableSpellsIt() {
        TableSchema upper = table("carts", List.of("id"), ID, column("Shop_ID", "bigint"));
        assertEquals(new TenantTable.Sharded("Shop_ID"), filter().classify(upper));
    }

    @Test
    void ignoredAndIncludedTablesArePatternsOnTheName() {
        Config ignoring = new Config();
        ignoring.ignored = List.of(Pattern.compile("^schema_migrations$"), Pattern.compile("notes"));
        TenantFilter f = filter(ignoring);
        assertEquals(new TenantTable.LeftOut("matches IgnoredTables"), f.classify(MIGRATIONS));
        assertEquals(new TenantTable.LeftOut("matches IgnoredTables"), f.classify(NOTES));
        assertTrue(f.includes(ORDERS));
        assertFalse(f.includes(MIGRATIONS));

        Config including = new Config();
        including.included = List.of(Pattern.compile("^orders$"), Pattern.compile("^shops$"));
        f = filter(including);
        assertTrue(f.includes(ORDERS));
        assertTrue(f.includes(SHOPS));
        assertEquals(new TenantTable.LeftOut("matches no IncludedTables pattern"), f.classify(ASSETS));
        assertFalse(f.includes(ASSETS), "an included pattern is needed even for a joined table");
        assertFalse(f.includes(MIGRATIONS));
    }

    @Test
    void includesTakesEveryKindButTheLeftOut() {
        TenantFilter f = filter();
        for (TableSchema t : List.of(ORDERS, SHOPS, ASSETS, DETAILS, MIGRATIONS)) {
            assertTrue(f.includes(t), t.id().toString());
        }
        assertFalse(f.includes(NOTES));
        assertFalse(f.includes(ELSEWHERE));
    }

    @Test
    void describeSaysHowATableTakesPart() {
        TenantFilter f = filter();
        assertEquals("sharded by shop_id", f.describe(ORDERS));
        assertEquals("primary-key table: the row id = tenant (copied at cutover)", f.describe(SHOPS));
        assertEquals("joined through assets_shops.asset_id, asset_links.asset_id (copied again at cutover)",
                f.describe(ASSETS));
        assertEquals("joined through orders ON joined.order_id = `orders`.`id` AND `joined`.`kind` = 'x'"
                + " (copied again at cutover)", f.describe(DETAILS));
        assertEquals("left out: has no column shop_id and is neither a joined nor a primary-key table",
                f.describe(NOTES));
        assertEquals("left out: not in SourceDB shop", f.describe(ELSEWHERE));
    }

    @Test
    void aPrimaryKeyOrJoinedTableNeedsAOneColumnPrimaryKey() {
        TenantFilter f = filter();
        TableSchema compositeShops = table("shops", List.of("id", "region"), ID, column("region", "varchar"));
        var e = assertThrows(ConfigException.class, () -> f.includes(compositeShops));
        assertTrue(e.getMessage().contains("PrimaryKeyTables"), e.getMessage());
        assertTrue(e.getMessage().contains("shop.shops"), e.getMessage());
        assertTrue(e.getMessage().contains("a primary key of 2 columns"), e.getMessage());

        TableSchema keylessAssets = table("assets", List.of(), ID, column("url", "varchar"));
        e = assertThrows(ConfigException.class, () -> f.classify(keylessAssets));
        assertTrue(e.getMessage().contains("JoinedTables"), e.getMessage());
        assertTrue(e.getMessage().contains("shop.assets"), e.getMessage());
        assertTrue(e.getMessage().contains("no primary key"), e.getMessage());
    }

    @Test
    void aStringTenantOnAnIntegerColumnIsAConfigError() {
        Config c = new Config();
        c.value = "5";
        c.integer = false;
        var e = assertThrows(ConfigException.class, () -> filter(c).includes(ORDERS));
        assertTrue(e.getMessage().contains("ShardingValue"), e.getMessage());
        assertTrue(e.getMessage().contains("shop.orders.shop_id"), e.getMessage());

        TableSchema stringKeyed = table("carts", List.of("id"), ID, column("shop_id", "varchar"));
        assertEquals(new TenantTable.Sharded("shop_id"), filter(c).classify(stringKeyed));
    }

    // ---- the rows read

    @Test
    void aShardedTableIsReadByTheTenantsValueThroughItsShardingIndex() {
        RowSelection rows = filter().select(ORDERS, ORDERS.id());
        assertEquals("`shop_id` = 5", rows.condition());
        assertEquals("USE INDEX (`shop_id_id`)", rows.indexHint(),
                "an index on (sharding key, primary key) before one on the sharding key alone or with another column");
    }

    @Test
    void aStringTenantIsAlsoComparedByteForByte() {
        Config c = new Config();
        c.value = "acme's";
        c.integer = false;
        TableSchema carts = table("carts", List.of("id"), ID, column("shop_id", "varchar"));
        assertEquals("`shop_id` = 'acme''s' AND CAST(`shop_id` AS BINARY) = CAST('acme''s' AS BINARY)",
                filter(c).select(carts, carts.id()).condition());
        assertEquals("`id` = 'acme''s' AND CAST(`id` AS BINARY) = CAST('acme''s' AS BINARY)",
                filter(c).select(SHOPS, SHOPS.id()).condition());
    }

    @Test
    void anIntegerTenantOnAStringColumnIsComparedAsAString() {
        TableSchema carts = table("carts", List.of("id"), ID, column("shop_id", "varchar"));
        assertEquals("`shop_id` = '5' AND CAST(`shop_id` AS BINARY) = CAST('5' AS BINARY)",
                filter().select(carts, carts.id()).condition());
    }

    @Test
    void aPrimaryKeyTableIsReadByItsKey() {
        RowSelection rows = filter().select(SHOPS, SHOPS.id());
        assertEquals(RowSelection.where("`id` = 5"), rows);
    }

    @Test
    void aJoinedTableIsReadThroughTheUnionOfItsJoinTablesInTheReadDatabase() {
        TenantFilter f = filter();
        assertEquals(RowSelection.where("`id` IN (SELECT `asset_id` FROM `shop`.`assets_shops` WHERE `shop_id` = 5"
                + " UNION SELECT `asset_id` FROM `shop`.`asset_links` WHERE `shop_id` = 5)"), f.select(ASSETS, ASSETS.id()));
        assertEquals(RowSelection.where("`id` IN (SELECT `asset_id` FROM `shop_copy`.`assets_shops` WHERE `shop_id` = 5"
                        + " UNION SELECT `asset_id` FROM `shop_copy`.`asset_links` WHERE `shop_id` = 5)"),
                f.select(ASSETS, new TableId(DST, "assets")));

        Config c = new Config();
        c.value = "acme";
        c.integer = false;
        assertEquals("`id` IN (SELECT `asset_id` FROM `shop`.`assets_shops` WHERE `shop_id` = 'acme'"
                        + " AND CAST(`shop_id` AS BINARY) = CAST('acme' AS BINARY) UNION SELECT `asset_id` FROM"
                        + " `shop`.`asset_links` WHERE `shop_id` = 'acme' AND CAST(`shop_id` AS BINARY) ="
                        + " CAST('acme' AS BINARY))",
                filter(c).select(ASSETS, ASSETS.id()).condition());
    }

    @Test
    void aJoinedThroughTableIsReadByAnExistsOnItsJoinTableWithTheAliasReplaced() {
        TenantFilter f = filter();
        assertEquals(RowSelection.where("EXISTS (SELECT 1 FROM `shop`.`orders` WHERE `shop`.`orders`.`shop_id` = 5"
                        + " AND (`shop`.`details`.order_id = `orders`.`id` AND `shop`.`details`.`kind` = 'x'))"),
                f.select(DETAILS, DETAILS.id()));
        assertEquals(RowSelection.where("EXISTS (SELECT 1 FROM `shop_copy`.`orders` WHERE"
                        + " `shop_copy`.`orders`.`shop_id` = 5 AND (`shop_copy`.`details`.order_id = `orders`.`id`"
                        + " AND `shop_copy`.`details`.`kind` = 'x'))"),
                f.select(DETAILS, new TableId(DST, "details")));
    }

    @Test
    void theJoinedAliasIsReplacedInAnyCaseButNotInsideOtherNames() {
        Config c = new Config();
        c.joinedThrough = Map.of("details", new JoinedThroughTable("orders",
                "JOINED.order_id = orders.id AND notjoined.x = `was_joined`.y AND `Joined`.z = 1"));
        assertEquals("EXISTS (SELECT 1 FROM `shop`.`orders` WHERE `shop`.`orders`.`shop_id` = 5 AND"
                        + " (`shop`.`details`.order_id = orders.id AND notjoined.x = `was_joined`.y"
                        + " AND `shop`.`details`.z = 1))",
                filter(c).select(DETAILS, DETAILS.id()).condition());
    }

    @Test
    void aLeftOutTableSelectsNoRow() {
        // Only reached for a table created during the run that the move leaves out: none of its rows are the tenant's.
        assertEquals("FALSE", filter().select(NOTES, NOTES.id()).condition());
    }

    // ---- the index hint

    @Test
    void anIndexLedByTheShardingKeyAloneServesWhenThereIsNoneWithThePrimaryKey() {
        var indexes = indexes("orders", index("PRIMARY", "id"), index("by_total", "total", "shop_id"),
                index("shop_only", "shop_id"));
        assertEquals("USE INDEX (`shop_only`)", new TenantFilter(new Config().build(), indexes)
                .select(ORDERS, ORDERS.id()).indexHint());

        indexes = indexes("orders", index("PRIMARY", "id"), index("shop_id_id", "SHOP_ID", "ID"),
                index("shop_only", "shop_id"));
        assertEquals("USE INDEX (`shop_id_id`)", new TenantFilter(new Config().build(), indexes)
                .select(ORDERS, ORDERS.id()).indexHint(), "index columns compare in any case");
    }

    @Test
    void theHintIsUseForceOrNone() {
        Config force = new Config();
        force.hint = IndexHint.FORCE;
        assertEquals("FORCE INDEX (`shop_id_id`)", filter(force).select(ORDERS, ORDERS.id()).indexHint());

        Config none = new Config();
        none.hint = IndexHint.NONE;
        RowSelection rows = filter(none).select(ORDERS, ORDERS.id());
        assertEquals("", rows.indexHint());
        assertEquals("`shop_id` = 5", rows.condition());
    }

    @Test
    void aTableCanHaveItsOwnHintAndIndex() {
        Config c = new Config();
        c.hint = IndexHint.FORCE;
        c.perTable = Map.of(
                "orders", new TableIndexHint(IndexHint.USE, "my_index"),
                "carts", new TableIndexHint(IndexHint.NONE, null),
                "lines", new TableIndexHint(IndexHint.USE, null));
        var indexes = new LinkedHashMap<>(INDEXES);
        indexes.putAll(indexes("carts", index("shop_only", "shop_id")));
        indexes.putAll(indexes("lines", index("lines_shop", "shop_id", "id")));
        indexes.putAll(indexes("refunds", index("refunds_shop", "shop_id")));
        TenantFilter f = new TenantFilter(c.build(), indexes);

        assertEquals("USE INDEX (`my_index`)", f.select(ORDERS, ORDERS.id()).indexHint());
        TableSchema carts = table("carts", List.of("id"), ID, SHOP_ID);
        assertEquals("", f.select(carts, carts.id()).indexHint());
        TableSchema lines = table("lines", List.of("id"), ID, SHOP_ID);
        assertEquals("USE INDEX (`lines_shop`)", f.select(lines, lines.id()).indexHint(),
                "its own hint with the index found");
        TableSchema refunds = table("refunds", List.of("id"), ID, SHOP_ID);
        assertEquals("FORCE INDEX (`refunds_shop`)", f.select(refunds, refunds.id()).indexHint(),
                "the run's hint for the others");
    }

    @Test
    void theTargetIsReadWithoutAHint() {
        RowSelection rows = filter().select(ORDERS, new TableId(DST, "orders"));
        assertEquals(RowSelection.where("`shop_id` = 5"), rows);
    }

    @Test
    void withoutAnIndexLedByTheShardingKeyThereIsNoHint() {
        TableSchema carts = table("carts", List.of("id"), ID, SHOP_ID);
        var indexes = indexes("carts", index("PRIMARY", "id"), index("by_id_shop", "id", "shop_id"));
        RowSelection rows = new TenantFilter(new Config().build(), indexes).select(carts, carts.id());
        assertEquals(RowSelection.where("`shop_id` = 5"), rows);
        RowSelection again = new TenantFilter(new Config().build(), indexes).select(carts, carts.id());
        assertEquals(rows, again);
        assertEquals(RowSelection.where("`shop_id` = 5"),
                new TenantFilter(new Config().build(), Map.of()).select(carts, carts.id()), "no index read at all");
    }

    // ---- binlog changes

    private static RowChange insert(String id, String shop) {
        return new RowChange(ORDERS, null, order(id, shop));
    }

    private static RowChange delete(String id, String shop) {
        return new RowChange(ORDERS, order(id, shop), null);
    }

    private static RowChange update(String id, String from, String to) {
        return new RowChange(ORDERS, order(id, from), order(id, to));
    }

    @Test
    void theTenantsInsertsAndDeletesApplyAndOtherTenantsAreSkipped() {
        TenantFilter f = filter();
        assertSame(ChangeOutcome.APPLY, f.onChange(insert("7", "5")));
        assertSame(ChangeOutcome.SKIP, f.onChange(insert("8", "6")));
        assertSame(ChangeOutcome.SKIP, f.onChange(insert("9", null)));
        assertSame(ChangeOutcome.APPLY, f.onChange(delete("7", "5")));
        assertSame(ChangeOutcome.SKIP, f.onChange(delete("8", "6")));
        assertSame(ChangeOutcome.SKIP, f.onChange(delete("8", "55")));
    }

    @Test
    void anUpdateWithinTheTenantAppliesAndOneOfAnotherTenantIsSkipped() {
        TenantFilter f = filter();
        var within = new RowChange(ORDERS, order("7", "5"), new Row(new byte[][] {b("7"), b("5"), b("250")}));
        assertSame(ChangeOutcome.APPLY, f.onChange(within));
        assertSame(ChangeOutcome.SKIP, f.onChange(update("8", "6", "6")));
        assertSame(ChangeOutcome.SKIP, f.onChange(update("8", "6", "7")), "a move between two other tenants");
    }

    @Test
    void anUpdateMovingARowOutOfOrIntoTheTenantFails() {
        TenantFilter f = filter();
        var out = assertInstanceOf(ChangeOutcome.Fail.class, f.onChange(update("7", "5", "6")));
        assertTrue(out.reason().contains("shop_id"), out.reason());
        assertTrue(out.reason().contains("(id=7)"), out.reason());
        assertTrue(out.reason().contains("from 5 to 6"), out.reason());

        var in = assertInstanceOf(ChangeOutcome.Fail.class, f.onChange(update("8", "6", "5")));
        assertTrue(in.reason().contains("shop_id"), in.reason());
        assertTrue(in.reason().contains("(id=8)"), in.reason());
        assertTrue(in.reason().contains("from 6 to 5"), in.reason());

        var fromNull = assertInstanceOf(ChangeOutcome.Fail.class, f.onChange(update("9", null, "5")));
        assertTrue(fromNull.reason().contains("from null to 5"), fromNull.reason());
    }

    @Test
    void aStringTenantsChangesAreRecognisedByteForByte() {
        Config c = new Config();
        c.value = "acme";
        c.integer = false;
        TableSchema carts = table("carts", List.of("id"), ID, column("shop_id", "varchar"));
        TenantFilter f = filter(c);
        assertSame(ChangeOutcome.APPLY, f.onChange(new RowChange(carts, null, new Row(new byte[][] {b("1"), b("acme")}))));
        assertSame(ChangeOutcome.SKIP, f.onChange(new RowChange(carts, null, new Row(new byte[][] {b("2"), b("ACME")}))),
                "the SQL compares the bytes as well, so another spelling is another tenant");
    }

    @Test
    void theChangesOfTablesThatAreNotShardedAreSkipped() {
        TenantFilter f = filter();
        var asset = new RowChange(ASSETS, null, new Row(new byte[][] {b("1"), b("https://x")}));
        assertSame(ChangeOutcome.SKIP, f.onChange(asset));
        var shop = new RowChange(SHOPS, new Row(new byte[][] {b("5"), b("a")}), new Row(new byte[][] {b("5"), b("b")}));
        assertSame(ChangeOutcome.SKIP, f.onChange(shop));
        var note = new RowChange(NOTES, null, new Row(new byte[][] {b("1"), b("hi")}));
        assertSame(ChangeOutcome.SKIP, f.onChange(note));
    }

    @Test
    void joinedTablesAreCopiedAgainAtCutoverAndPrimaryKeyTablesOnlyThen() {
        TenantFilter f = filter();
        assertEquals(CopyTiming.RECOPIED_AT_CUTOVER, f.timing(ASSETS));
        assertEquals(CopyTiming.RECOPIED_AT_CUTOVER, f.timing(DETAILS));
        assertEquals(CopyTiming.AT_CUTOVER, f.timing(SHOPS));
        assertEquals(CopyTiming.STREAMED, f.timing(ORDERS));
    }

    @Test
    void theIdentityNamesTheTenant() {
        assertTrue(filter().identity().contains("shop_id = 5"), filter().identity());
        Config c = new Config();
        c.value = "acme";
        c.integer = false;
        assertTrue(filter(c).identity().contains("shop_id = 'acme'"), filter(c).identity());
        Config other = new Config();
        other.value = "6";
        assertFalse(filter().identity().equals(filter(other).identity()), "another tenant, another identity");
        assertEquals(filter().identity(), filter().toString());
    }
}

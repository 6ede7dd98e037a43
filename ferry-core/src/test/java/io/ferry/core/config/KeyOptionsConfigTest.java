package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code CascadingPaginationColumnConfig}, {@code IterateInDescendingOrder} and {@code AllowReplicationFromReplica}. */
class KeyOptionsConfigTest {

    private static CopydbConfig parse(String extra) {
        String json = ("{'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}").replace('\'', '"');
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static List<String> problems(String extra) {
        return assertThrows(ConfigException.class, () -> parse(extra)).problems();
    }

    @Test
    void defaultsPaginateByThePrimaryKeyAscendingAndRefuseReadOnlySources() {
        CopydbConfig c = parse("");
        assertEquals(CascadingPaginationColumnConfig.NONE, c.paginationColumns());
        assertFalse(c.iterateInDescendingOrder());
        assertFalse(c.allowReplicationFromReplica());
        assertEquals(Optional.empty(), c.paginationColumns().fallback());
    }

    @Test
    void readsEveryOption() {
        CopydbConfig c = parse("""
                'CascadingPaginationColumnConfig': {
                   'PerTable': {'shop': {'orders': 'created_id', 'Items': 'sku'}},
                   'FallbackColumn': 'uid',
                   'FullTableCopies': {'shop': ['settings']}},
                'IterateInDescendingOrder': true, 'AllowReplicationFromReplica': true""");
        var p = c.paginationColumns();
        assertEquals(Optional.of("created_id"), p.columnFor(new TableId("shop", "orders")));
        assertEquals(Optional.of("sku"), p.columnFor(new TableId("shop", "Items")));
        assertEquals(Optional.empty(), p.columnFor(new TableId("shop", "items")), "table names match exactly");
        assertEquals(Optional.empty(), p.columnFor(new TableId("blog", "orders")));
        assertEquals(Optional.of("uid"), p.fallback());
        assertTrue(p.isFullTableCopy(new TableId("shop", "settings")));
        assertFalse(p.isFullTableCopy(new TableId("shop", "orders")));
        assertTrue(c.iterateInDescendingOrder());
        assertTrue(c.allowReplicationFromReplica());
        assertTrue(c.describe().contains("pagination per table: shop.Items->sku, shop.orders->created_id; "
                + "fallback column: uid; full-table copies: shop.settings"), c.describe());
        assertTrue(c.describe().contains("descending key order") && c.describe().contains("read-only source allowed"));
    }

    @Test
    void wrongShapesAreReportedWithTheirPath() {
        assertEquals(List.of(
                        "CascadingPaginationColumnConfig.PerTable.shop.orders = 7: must be a column name (a string), not a number",
                        "CascadingPaginationColumnConfig.PerTable.blog = \"posts\": must be an object {\"table\": \"column\"}, not a string",
                        "CascadingPaginationColumnConfig.FallbackColumn = []: must be a string, not an array",
                        "CascadingPaginationColumnConfig.FullTableCopies.shop = \"settings\": must be an array of table names, not a string",
                        "CascadingPaginationColumnConfig.Fallback: unknown key; did you mean FallbackColumn?",
                        "IterateInDescendingOrder = \"yes\": must be true or false, not a string",
                        "AllowReplicationFromReplica = 1: must be true or false, not a number"),
                problems("""
                        'CascadingPaginationColumnConfig': {'PerTable': {'shop': {'orders': 7}, 'blog': 'posts'},
                           'FallbackColumn': [], 'FullTableCopies': {'shop': 'settings'}, 'Fallback': 'x'},
                        'IterateInDescendingOrder': 'yes', 'AllowReplicationFromReplica': 1"""));
    }

    @Test
    void aTableIsEitherPaginatedByAColumnOrCopiedWhole() {
        assertEquals(List.of("CascadingPaginationColumnConfig.FullTableCopies.shop[0] = \"orders\": also has a PerTable "
                        + "column; a table is either paginated or copied whole, keep one"),
                problems("""
                        'CascadingPaginationColumnConfig': {'PerTable': {'shop': {'orders': 'id2'}},
                           'FullTableCopies': {'shop': ['orders']}}"""));
        assertEquals(List.of("CascadingPaginationColumnConfig.PerTable.shop.orders = \"\": must name a column; remove the entry",
                        "CascadingPaginationColumnConfig.FullTableCopies.shop[0] = \"\": must be a table name (a non-empty string)"),
                problems("""
                        'CascadingPaginationColumnConfig': {'PerTable': {'shop': {'orders': ''}},
                           'FullTableCopies': {'shop': ['']}}"""));
    }
}

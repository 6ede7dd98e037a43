package io.ferry.core.keyset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.KeyOrder;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The points that split a table into key ranges for parallel copying are every n-th key in the server's order, in
 * both directions and for composite keys, and a row estimate that is off never yields an empty range.
 */
@MySqlPair
class KeysetSplitIT {
    private static ColumnSchema column(String name) {
        return new ColumnSchema(name, 1, "int", "int", false, false, null, null, 10, 0, false, false, List.of());
    }

    private static List<Long> firsts(List<List<byte[]>> points) {
        return points.stream().map(k -> Long.parseLong(new String(k.getFirst(), StandardCharsets.US_ASCII))).toList();
    }

    private static List<byte[]> key(long... values) {
        return Arrays.stream(values).mapToObj(v -> Long.toString(v).getBytes(StandardCharsets.US_ASCII))
                .toList();
    }

    @Test
    void pointsAreEveryNthKeyInTheWalksOrder(TestPair pair) throws Exception {
        String db = pair.newDatabase("split");
        // 1000 rows with keys 3, 6, ..., 3000: the n-th row in key order has key 3n.
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY)");
        pair.source().insertRows("`" + db + "`.t", "id", 1000, i -> "(" + 3 * i + ")");
        var literals = new SqlLiterals(pair.source().info().flavor());
        var cursor = new KeysetCursor(KeyOrder.of(List.of(column("id")), literals), "`" + db + "`.t");
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            // Rows 251, 501 and 751 start the second, third and fourth parts.
            assertEquals(List.of(753L, 1503L, 2253L), firsts(cursor.splitPoints(st, key(3000), false, 1000, 4)));
            assertEquals(List.of(2250L, 1500L, 750L), firsts(cursor.splitPoints(st, key(3), true, 1000, 4)));
            // Up to a bound inside the table, the parts split the rows up to it.
            assertEquals(List.of(303L), firsts(cursor.splitPoints(st, key(600), false, 200, 2)));
            // An estimate twice too high: the rows run out before the last points, no part is empty.
            assertEquals(List.of(1503L), firsts(cursor.splitPoints(st, key(3000), false, 2000, 4)));
            // Far too low: the points stay in order and end before the bound.
            assertEquals(List.of(6L, 9L, 12L), firsts(cursor.splitPoints(st, key(3000), false, 4, 4)));
            // Fewer rows than parts: a point would be the bound itself, so the split stops there.
            assertEquals(List.of(6L), firsts(cursor.splitPoints(st, key(9), false, 3, 4)));
        }
    }

    @Test
    void compositeKeysSplitInTheirOwnOrder(TestPair pair) throws Exception {
        String db = pair.newDatabase("split2");
        pair.source().exec("CREATE TABLE `" + db + "`.t (a INT, b INT, PRIMARY KEY (a, b))");
        // 10 values of a, 10 of b each: the n-th row (from 0) is (n / 10, n % 10).
        pair.source().insertRows("`" + db + "`.t", "a, b", 100, i -> "(" + (i - 1) / 10 + ", " + (i - 1) % 10 + ")");
        var literals = new SqlLiterals(pair.source().info().flavor());
        var cursor = new KeysetCursor(KeyOrder.of(List.of(column("a"), column("b")), literals), "`" + db + "`.t");
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            List<List<byte[]>> points = cursor.splitPoints(st, key(9, 9), false, 100, 4);
            assertEquals(List.of("2,5", "5,0", "7,5"), points.stream()
                    .map(k -> new String(k.get(0), StandardCharsets.US_ASCII) + ","
                            + new String(k.get(1), StandardCharsets.US_ASCII)).toList());
        }
    }
}

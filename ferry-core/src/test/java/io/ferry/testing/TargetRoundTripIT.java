package io.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Proves the harness: each side is reachable, writable, compared exactly, and isolated per test class. */
@MySqlPair
class TargetRoundTripIT {
    private final TestPair pair;

    TargetRoundTripIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void writesAndReadsOnTheTarget() {
        String db = pair.database();
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4",
                "CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO `" + db + "`.t VALUES (1, 'one'), (2, 'two')");
        assertEquals(2L, pair.target().count("`" + db + "`.t"));
        assertEquals("two", pair.target().scalar("SELECT v FROM `" + db + "`.t WHERE id = ?", 2));
    }

    @Test
    void sessionsRunInUtcWhateverTheServerZone() {
        assertEquals("+00:00", pair.source().scalar("SELECT @@session.time_zone"));
        assertEquals("+00:00", pair.target().scalar("SELECT @@session.time_zone"));
    }

    @Test
    void comparisonSeesEveryDifferenceAndNothingElse() {
        String db = pair.newDatabase("cmp");
        String ddl = "CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, f FLOAT, s VARCHAR(10) CHARACTER SET latin1, b VARBINARY(4))";
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
        pair.source().exec(ddl, "INSERT INTO `" + db + "`.t VALUES (1, 0.1, 'é', X'00'), (2, NULL, 'a', NULL)");
        pair.target().exec(ddl, "INSERT INTO `" + db + "`.t VALUES (1, 0.1, 'é', X'00'), (2, NULL, 'a', NULL)");
        var table = new io.ferry.core.TableId(db, "t");
        assertTrue(TableComparison.differences(pair.source(), table, pair.target(), table, 10).isEmpty());

        pair.target().exec("UPDATE `" + db + "`.t SET f = 0.10000001 WHERE id = 1",
                "UPDATE `" + db + "`.t SET b = X'0000' WHERE id = 2",
                "INSERT INTO `" + db + "`.t VALUES (3, 1, 'x', NULL)");
        var diff = TableComparison.differences(pair.source(), table, pair.target(), table, 10);
        assertEquals(3, diff.size(), diff.toString());
        assertTrue(diff.get(0).contains("column f"), diff.toString());
        assertTrue(diff.get(1).contains("column b"), diff.toString());
        assertTrue(diff.get(2).contains("only on the target"), diff.toString());
        assertThrows(AssertionError.class,
                () -> TableComparison.assertIdentical(pair.source(), table, pair.target(), table));
    }

    @Test
    void eachClassGetsItsOwnDatabaseName() {
        assertTrue(pair.database().startsWith("ft_targetroundtripit_"), pair.database());
        assertFalse(pair.database().equals(pair.newDatabase("TargetRoundTripIT")));
    }
}

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Table features beyond plain columns survive the row copy and the binlog: expression defaults (which MySQL marks
 * {@code DEFAULT_GENERATED}, though the columns are ordinary ones), invisible columns, MySQL's generated invisible
 * primary keys, functional indexes and CHECK constraints. Each table is changed through the binlog after its first
 * batch was copied, so every value reaches the target both ways.
 */
@MySqlPair
class TableFeaturesIT {
    private final TestPair pair;

    TableFeaturesIT(TestPair pair) {
        this.pair = pair;
    }

    /** Runs a copy of {@code db} in batches of one row; {@code changes} run on the source after the first batch. */
    private void copyChangingAfterFirstBatch(String db, String... changes) throws Exception {
        copyWithConfigChangingAfterFirstBatch(db, "", changes);
    }

    /** Like {@link #copyChangingAfterFirstBatch(String, String...)} with {@code extra} config. */
    private void copyWithConfigChangingAfterFirstBatch(String db, String extra, String... changes) throws Exception {
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec(changes);
                }
            }
        };
        String config = "\"DataIterationBatchSize\": 1" + (extra.isEmpty() ? "" : ", " + extra);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertEquals(true, changed.get(), "the binlog changes ran");
    }

    @Test
    void columnsWithExpressionDefaultsKeepTheSourceValues() throws Exception {
        String db = pair.newDatabase("exprdefaults");
        String t = "`" + db + "`.d";
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, u VARCHAR(40) DEFAULT (UUID()), "
                        + "n INT DEFAULT (1 + 1), ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
                        + "dt DATETIME DEFAULT CURRENT_TIMESTAMP)",
                "INSERT INTO " + t + " VALUES (1, 'keep-me', 100, '2001-01-01 00:00:00', '2002-02-02 00:00:00'), "
                        + "(2, 'me too', 200, '2003-03-03 00:00:00', '2004-04-04 00:00:00'), "
                        + "(3, 'and me', 300, '2005-05-05 00:00:00', '2006-06-06 00:00:00')");
        copyChangingAfterFirstBatch(db,
                "INSERT INTO " + t + " VALUES (4, 'via binlog', 400, '2007-07-07 00:00:00', '2008-08-08 00:00:00')",
                "UPDATE " + t + " SET n = 101, ts = '2009-09-09 00:00:00' WHERE id = 1",
                "UPDATE " + t + " SET u = 'changed' WHERE id = 3");
        assertEquals("keep-me", pair.target().scalar("SELECT u FROM " + t + " WHERE id = 1"));
        pair.assertIdentical(db, "d");
    }

    private ServerInfo source() throws SQLException {
        try (Connection c = pair.source().connect()) {
            return ServerInfo.of(c);
        }
    }

    /** The columns of {@code table} on {@code server} with their EXTRA (e.g. INVISIBLE), in order. */
    private static List<List<Object>> columns(TestServer server, String db, String table) {
        return server.query("SELECT COLUMN_NAME, COLUMN_TYPE, EXTRA, COLUMN_KEY FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", db, table);
    }

    @Test
    void invisibleColumnsAreCopiedAndReplicated() throws Exception {
        String db = pair.newDatabase("invisible");
        String t = "`" + db + "`.inv";
        // MySQL 8.0.23+ and MariaDB 10.3+: SELECT * leaves these columns out, so every read must name them.
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, a INT, secret VARCHAR(20) INVISIBLE,"
                        + " n INT NOT NULL DEFAULT 7 INVISIBLE)",
                "INSERT INTO " + t + " (id, a, secret, n) VALUES (1, 10, 'one', 1), (2, 20, 'two', 2), (3, 30, NULL, 3)");
        copyChangingAfterFirstBatch(db,
                "INSERT INTO " + t + " (id, a, secret, n) VALUES (4, 40, 'four', 4)",
                "UPDATE " + t + " SET secret = 'changed', n = 11 WHERE id = 1",
                "UPDATE " + t + " SET a = 33 WHERE id = 3 AND secret IS NULL",
                "DELETE FROM " + t + " WHERE id = 2 AND n = 2");
        assertEquals(columns(pair.source(), db, "inv"), columns(pair.target(), db, "inv"));
        assertEquals("changed", pair.target().scalar("SELECT secret FROM " + t + " WHERE id = 1"));
        pair.assertIdentical(db, "inv");
    }

    @Test
    void generatedInvisiblePrimaryKeysAreCopiedWithTheirValues() throws Exception {
        String db = pair.newDatabase("gipk");
        String t = "`" + db + "`.g";
        ServerInfo server = source();
        if (server.isMariaDb()) {
            // MariaDB has no generated invisible primary keys: the setting does not exist there.
            var e = assertThrows(IllegalStateException.class,
                    () -> pair.source().exec("SET SESSION sql_generate_invisible_primary_key = ON"));
            assertTrue(e.getMessage().contains("sql_generate_invisible_primary_key"), e.getMessage());
            return;
        }
        // MySQL 8.0.30+ adds `my_row_id` BIGINT UNSIGNED AUTO_INCREMENT INVISIBLE PRIMARY KEY to a table without one.
        pair.source().exec("SET SESSION sql_generate_invisible_primary_key = ON; CREATE TABLE " + t
                        + " (a INT, b VARCHAR(10))",
                "INSERT INTO " + t + " (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')",
                "DELETE FROM " + t + " WHERE a = 1",
                "INSERT INTO " + t + " (a, b) VALUES (4, 'w')");
        assertEquals(List.of("my_row_id", "bigint unsigned", "auto_increment INVISIBLE", "PRI"),
                columns(pair.source(), db, "g").getFirst());
        // A session that hides them would read the table without its key: refused up front, naming the fix.
        var e = pair.source().endpoint();
        String hiding = "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\", \"Params\": "
                .formatted(e.host(), e.port(), e.user(), e.password())
                + "{\"show_gipk_in_create_table_and_information_schema\": \"OFF\"}}";
        try (var ferry = new Ferry(TestConfigs.copydb(hiding, TestConfigs.server(pair.target().endpoint()), "", db),
                RunHooks.NONE)) {
            var refused = assertThrows(PreconditionFailed.class, ferry::plan);
            assertTrue(refused.getMessage().contains("show_gipk_in_create_table_and_information_schema is OFF")
                    && refused.getMessage().contains("Params"), refused.getMessage());
        }
        copyChangingAfterFirstBatch(db,
                "INSERT INTO " + t + " (a, b) VALUES (5, 'v')",
                "UPDATE " + t + " SET b = 'changed' WHERE a = 2",
                "UPDATE " + t + " SET b = 'later' WHERE a = 4");
        assertEquals(columns(pair.source(), db, "g"), columns(pair.target(), db, "g"));
        // The source's key values, not new ones: 1 was deleted before the copy.
        assertEquals(List.of("2:2", "3:3", "4:4", "5:5"), pair.target().query("SELECT CONCAT(my_row_id, ':', a) FROM "
                + t + " ORDER BY my_row_id").stream().map(r -> String.valueOf(r.getFirst())).toList());
        pair.assertIdentical(db, "g");
    }

    @Test
    void expressionIndexesAndCheckConstraintsReachTheTarget() throws Exception {
        String db = pair.newDatabase("exprindex");
        String f = "`" + db + "`.f";
        String u = "`" + db + "`.u";
        boolean mysql = !source().isMariaDb();
        // MySQL indexes expressions through hidden generated columns (functional indexes, 8.0.13+); MariaDB through
        // a visible virtual column. Both with CHECK constraints, which the target enforces on every write.
        String index = mysql ? "INDEX ix_double ((a * 2)), INDEX ix_upper ((UPPER(s))), UNIQUE KEY ux_shift ((a + 1000))"
                : "a2 INT AS (a * 2) VIRTUAL, INDEX ix_double (a2), UNIQUE KEY ux_a (a)";
        pair.source().exec("CREATE TABLE " + f + " (id INT PRIMARY KEY, a INT NOT NULL, s VARCHAR(20),"
                        + " CONSTRAINT positive CHECK (a > 0), CHECK (s <> 'forbidden'), " + index + ")",
                // no primary key: rows are identified by the unique key (MySQL: over an expression)
                "CREATE TABLE " + u + " (a INT NOT NULL, s VARCHAR(20), "
                        + (mysql ? "UNIQUE KEY ux_expr ((a * 10))" : "UNIQUE KEY ux_a (a)") + ")",
                "INSERT INTO " + f + " (id, a, s) VALUES (1, 1, 'one'), (2, 2, 'two'), (3, 3, NULL)",
                "INSERT INTO " + u + " (a, s) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        String fullCopy = "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"u\"]}}";
        copyWithConfigChangingAfterFirstBatch(db, fullCopy,
                "INSERT INTO " + f + " (id, a, s) VALUES (4, 4, 'four')",
                "UPDATE " + f + " SET a = 10, s = 'ten' WHERE id = 1",
                "DELETE FROM " + f + " WHERE id = 2",
                "INSERT INTO " + u + " (a, s) VALUES (4, 'four')",
                "UPDATE " + u + " SET s = 'changed' WHERE a = 3",
                "DELETE FROM " + u + " WHERE a = 2");
        String indexes = "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, " + (mysql ? "EXPRESSION" : "NULL")
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY INDEX_NAME, SEQ_IN_INDEX";
        assertEquals(pair.source().query(indexes, db, "f"), pair.target().query(indexes, db, "f"));
        String checks = "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? ORDER BY CONSTRAINT_NAME";
        assertEquals(2, pair.source().query(checks, db).size());
        assertEquals(pair.source().query(checks, db), pair.target().query(checks, db));
        var refused = assertThrows(IllegalStateException.class,
                () -> pair.target().exec("INSERT INTO " + f + " (id, a) VALUES (99, -1)"));
        assertTrue(refused.getMessage().toLowerCase(Locale.ROOT).contains("positive"), refused.getMessage());
        pair.assertIdentical(db, "f");
        pair.assertIdentical(db, "u");
    }
}

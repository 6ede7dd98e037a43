package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.ColumnDefinitions;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Schema changes on the source during a run with {@code ReplicateSchemaChanges}: applied to the target in binlog
 * order, with rewrites, and the row changes after each one replayed under the new schema; tables changed while
 * being copied are copied again. Each test ends with the target identical to the source, columns included.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class SchemaChangesIT {
    private static final String REPLICATE = "\"ReplicateSchemaChanges\": true";

    private final TestPair pair;

    SchemaChangesIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT, "
                + "n INT, d DATETIME(6))");
        if (rows > 0) {
            pair.source().insertRows("`" + db + "`.t1", "id, data, n, d", rows,
                    i -> "(" + i + ", 'row " + i + "', " + (i % 7) + ", TIMESTAMP'2020-01-01 00:00:00' + INTERVAL " + i + " SECOND)");
        }
        return db;
    }

    /** Runs {@code statements} on the source once the row copy is complete (Ghostferry's "cutover phase"). */
    private RunHooks afterCopy(String... statements) {
        return new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec(statements);
            }
        };
    }

    private void run(String extra, RunHooks hooks, String db) throws InterruptedException {
        try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), hooks)) {
            ferry.run();
        }
    }

    private void assertSameTable(String db, String table) {
        assertSameTable(new TableId(db, table), new TableId(db, table));
    }

    /** Same columns (names, types, nullability, defaults, collations, order) and the same rows. */
    private void assertSameTable(TableId source, TableId target) {
        ColumnDefinitions.assertSame(pair.source(), source, pair.target(), target);
        TableComparison.assertIdentical(pair.source(), source, pair.target(), target);
    }

    private boolean existsOnTarget(String db, String table) {
        return ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ?", db, table)).intValue() == 1;
    }

    @Test
    void addColumnWithADefaultThenRowChangesUsingIt() throws Exception {
        String db = seeded("addcol", 120);
        String t = "`" + db + "`.t1";
        run(REPLICATE, afterCopy(
                "ALTER TABLE " + t + " ADD COLUMN extra VARCHAR(20) NOT NULL DEFAULT 'dflt' AFTER data",
                "UPDATE " + t + " SET extra = 'set' WHERE id <= 10",
                "UPDATE " + t + " SET n = 99 WHERE id = 20",
                "INSERT INTO " + t + " (id, data, extra) VALUES (500, 'new', 'inserted')",
                "DELETE FROM " + t + " WHERE id = 30"), db);
        assertSameTable(db, "t1");
        assertEquals("set", pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 3"));
        assertEquals("dflt", pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 20"));
    }

    @Test
    void dropColumnAndWidenATypeThenRowChanges() throws Exception {
        String db = seeded("dropwiden", 80);
        String t = "`" + db + "`.t1";
        run(REPLICATE, afterCopy(
                "UPDATE " + t + " SET n = 1 WHERE id = 1",
                "ALTER TABLE " + t + " DROP COLUMN d",
                "UPDATE " + t + " SET data = 'after drop' WHERE id = 2",
                "ALTER TABLE " + t + " MODIFY n BIGINT UNSIGNED",
                "UPDATE " + t + " SET n = 18446744073709551615 WHERE id = 3",
                "INSERT INTO " + t + " (id, data, n) VALUES (1000, 'wide', 5000000000)",
                "ALTER TABLE " + t + " ADD INDEX by_n (n), RENAME COLUMN data TO body",
                "UPDATE " + t + " SET body = 'renamed column' WHERE id = 4",
                "CREATE UNIQUE INDEX uniq_body ON " + t + " (body(40))",
                "DROP INDEX by_n ON " + t,
                "DELETE FROM " + t + " WHERE id = 5"), db);
        assertSameTable(db, "t1");
        assertEquals(1L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = 't1' AND INDEX_NAME = 'uniq_body'", db));
    }

    @Test
    void aTableCreatedDuringTheRunIsReplicatedNotCopied() throws Exception {
        String db = seeded("create", 60);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, REPLICATE, db), afterCopy(
                "CREATE TABLE `" + db + "`.t2 (id INT PRIMARY KEY, v VARCHAR(10), j JSON)",
                "INSERT INTO `" + db + "`.t2 VALUES (1, 'a', '{\"k\": 1}'), (2, 'b', NULL)",
                "UPDATE `" + db + "`.t2 SET v = 'changed' WHERE id = 1",
                "USE `" + db + "`",
                "CREATE TABLE t3 LIKE t2",
                "INSERT INTO t3 SELECT * FROM t2"))) {
            ferry.run();
            assertEquals(60, ferry.status().rowsCopied(), "only the rows of t1 are bulk-copied");
        }
        assertSameTable(db, "t2");
        assertSameTable(db, "t3");
    }

    @Test
    void renameTruncateAndDropAfterTheCopy() throws Exception {
        String db = seeded("rentrdrop", 50);
        String q = "`" + db + "`.";
        pair.source().exec("CREATE TABLE " + q + "t2 (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "INSERT INTO " + q + "t2 (v) VALUES (1), (2), (3)",
                "CREATE TABLE " + q + "gone (id INT PRIMARY KEY)", "INSERT INTO " + q + "gone VALUES (1)");
        run(REPLICATE, afterCopy(
                "RENAME TABLE " + q + "t1 TO " + q + "t1_renamed",
                "INSERT INTO " + q + "t1_renamed (id, data) VALUES (900, 'after rename')",
                "UPDATE " + q + "t1_renamed SET data = 'updated' WHERE id = 7",
                "TRUNCATE TABLE " + q + "t2",
                "INSERT INTO " + q + "t2 (id, v) VALUES (1, 100), (2, 200)", // keys reused after the truncate
                "DROP TABLE " + q + "gone"), db);
        assertFalse(existsOnTarget(db, "t1"));
        assertSameTable(db, "t1_renamed");
        assertSameTable(db, "t2");
        assertFalse(existsOnTarget(db, "gone"));
    }

    @Test
    void schemaChangesFollowDatabaseAndTableRewrites() throws Exception {
        String db = seeded("ddlrewrite", 40);
        String renamedDb = db + "_new";
        pair.dropAfterwards(renamedDb);
        String extra = REPLICATE + """
                , "Databases": {"Whitelist": ["%s"], "Rewrites": {"%s": "%s"}},
                "Tables": {"Rewrites": {"t1": "t1_target", "t2": "t2_target"}}""".formatted(db, db, renamedDb);
        run(extra, afterCopy(
                "USE `" + db + "`",
                "ALTER TABLE t1 ADD COLUMN extra INT NOT NULL DEFAULT 1",
                "UPDATE t1 SET extra = 2 WHERE id = 1",
                "CREATE TABLE t2 (id INT PRIMARY KEY, t1_id BIGINT, FOREIGN KEY (t1_id) REFERENCES t1 (id))",
                "INSERT INTO t2 VALUES (1, 1)",
                "ALTER TABLE `" + db + "`.t2 ADD COLUMN note TEXT",
                "UPDATE t2 SET note = 'noted'",
                "RENAME TABLE t2 TO t3",
                "INSERT INTO t3 VALUES (2, 2, 'renamed')"), db);
        assertSameTable(new TableId(db, "t1"), new TableId(renamedDb, "t1_target"));
        assertSameTable(new TableId(db, "t3"), new TableId(renamedDb, "t3"));
        assertFalse(existsOnTarget(renamedDb, "t2_target"));
        assertFalse(existsOnTarget(db, "t1"), "nothing may reach the source database's name on the target");
    }

    @Test
    void aColumnAddedMidCopyMakesTheTableBeCopiedAgain() throws Exception {
        String db = seeded("midcopyadd", 400);
        String t = "`" + db + "`.t1";
        var changed = new AtomicBoolean();
        var rowsRead = new AtomicInteger();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                rowsRead.addAndGet(rows);
            }

            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec("ALTER TABLE " + t + " ADD COLUMN extra INT NOT NULL DEFAULT 7",
                            "UPDATE " + t + " SET extra = id, data = 'changed' WHERE id IN (10, 200, 390)");
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, REPLICATE, db), hooks)) {
            ferry.run();
            assertEquals(400, ferry.status().rowsCopied(), "the counts start over with the second copy");
        }
        assertTrue(rowsRead.get() > 400, "the table was not copied again: " + rowsRead.get() + " rows read");
        assertSameTable(db, "t1");
    }

    @Test
    void aSchemaChangeMidCopyWithTheInProcessLockDoesNotDeadlock() throws Exception {
        // The applier holds the table's in-process lock around row changes; the DDL must not wait for the copier
        // while that lock is held, or the copier (waiting for the lock) and the applier would wait for each other.
        String db = seeded("midcopylock", 300);
        String t = "`" + db + "`.t1";
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec("UPDATE " + t + " SET n = 1 WHERE id = 1",
                            "ALTER TABLE " + t + " MODIFY data VARCHAR(100)",
                            "UPDATE " + t + " SET data = 'after' WHERE id IN (2, 280)");
                }
            }
        };
        run(REPLICATE + ", \"LockStrategy\": \"LockInGhostferry\"", hooks, db);
        assertSameTable(db, "t1");
    }

    @Test
    void aSchemaChangeDuringAWholeTableCopyIsAppliedAfterIt() throws Exception {
        String db = pair.newDatabase("midcopyfull");
        String t = "`" + db + "`.nokey";
        pair.source().exec("CREATE TABLE " + t + " (a INT, b VARCHAR(10))");
        pair.source().insertRows(t, "a, b", 200, i -> "(" + (i % 10) + ", 'v" + (i % 3) + "')");
        var changed = new AtomicReference<Thread>();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                // The whole-table snapshot keeps the table's metadata lock while it is written: the ALTER waits for it.
                changed.compareAndSet(null, Thread.ofVirtual().start(() -> pair.source().exec(
                        "ALTER TABLE " + t + " ADD COLUMN c INT NOT NULL DEFAULT 3",
                        "INSERT INTO " + t + " VALUES (1, 'new', 9)", "UPDATE " + t + " SET c = 4 WHERE a = 2 LIMIT 1")));
            }

            @Override
            public void rowCopyCompleted() throws InterruptedException {
                changed.get().join();
            }
        };
        run(REPLICATE + ", \"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"nokey\"]}}",
                hooks, db);
        assertSameTable(db, "nokey");
    }

    @Test
    void aColumnDroppedMidCopyMakesTheTableBeCopiedAgain() throws Exception {
        String db = seeded("midcopydrop", 300);
        String t = "`" + db + "`.t1";
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec("ALTER TABLE " + t + " DROP COLUMN n", "UPDATE " + t + " SET data = 'x' WHERE id = 250");
                }
            }
        };
        run(REPLICATE, hooks, db);
        assertSameTable(db, "t1");
    }

    @Test
    void aTableRenamedMidCopyIsCopiedUnderItsNewName() throws Exception {
        String db = seeded("midcopyrename", 300);
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec("RENAME TABLE `" + db + "`.t1 TO `" + db + "`.t1_new",
                            "UPDATE `" + db + "`.t1_new SET data = 'after rename' WHERE id IN (1, 299)");
                }
            }
        };
        run(REPLICATE, hooks, db);
        assertFalse(existsOnTarget(db, "t1"));
        assertSameTable(db, "t1_new");
    }

    @Test
    void statementsThatAreNeverReplicatedAreSkipped() throws Exception {
        String db = seeded("ignored", 20);
        String q = "`" + db + "`.";
        run(REPLICATE, afterCopy(
                "CREATE PROCEDURE " + q + "p() BEGIN SELECT 1; END",
                "CREATE FUNCTION " + q + "f() RETURNS INT DETERMINISTIC RETURN 1",
                "CREATE VIEW " + q + "v AS SELECT id FROM " + q + "t1",
                "CREATE TRIGGER " + q + "tr BEFORE INSERT ON " + q + "t1 FOR EACH ROW SET NEW.n = 42",
                "INSERT INTO " + q + "t1 (id, data) VALUES (100, 'trigger set n')",
                "DROP TRIGGER " + q + "tr",
                "DROP VIEW " + q + "v",
                "DROP FUNCTION " + q + "f",
                "DROP PROCEDURE " + q + "p",
                "UPDATE " + q + "t1 SET data = 'still replicating' WHERE id = 1"), db);
        assertSameTable(db, "t1");
        assertEquals(42L, ((Number) pair.target().scalar("SELECT n FROM " + q + "t1 WHERE id = 100")).longValue());
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?", db));
        assertFalse(existsOnTarget(db, "v"));
    }

    /**
     * A schema change the SQL parser cannot read but the source accepts: MariaDB's {@code WAIT} clause, or MySQL's
     * {@code NOT ENFORCED} check constraint.
     */
    private String unparseableChange(String db) throws SQLException {
        try (Connection c = pair.source().connect()) {
            return ServerInfo.of(c).isMariaDb() ? "TRUNCATE TABLE `" + db + "`.t1 WAIT 1"
                    : "CREATE TABLE `" + db + "`.t2 (id INT CHECK (id > 0) NOT ENFORCED)";
        }
    }

    @Test
    void anUnparseableStatementStopsTheRunNamingItUnlessSkipped() throws Exception {
        String db = seeded("unparseable", 20);
        String statement = unparseableChange(db);
        var hooks = afterCopy(statement);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, REPLICATE + ", \"AutomaticCutover\": false", db), hooks)) {
            var failure = new AtomicReference<Throwable>();
            var run = Thread.ofVirtual().start(() -> {
                try {
                    ferry.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            run.join(60_000);
            assertFalse(run.isAlive(), "the run did not stop on the unparseable statement");
            assertTrue(failure.get() instanceof RunFailed, String.valueOf(failure.get()));
            String message = failure.get().getMessage();
            assertTrue(message.contains(statement) && message.contains("binlog position")
                    && message.contains("SkipUnparseableSchemaChanges"), message);
        }
        String db2 = seeded("skipunparse", 20);
        String skipped = unparseableChange(db2);
        run(REPLICATE + ", \"SkipUnparseableSchemaChanges\": true",
                afterCopy(skipped, "INSERT INTO `" + db2 + "`.t1 (id) VALUES (1000)"), db2);
        assertEquals(1L, pair.target().scalar("SELECT COUNT(*) FROM `" + db2 + "`.t1 WHERE id = 1000"),
                "the run went on after the skipped statement");
        if (skipped.startsWith("TRUNCATE")) {
            assertEquals(1L, pair.source().count("`" + db2 + "`.t1"));
            assertEquals(21L, pair.target().count("`" + db2 + "`.t1"), "the skipped truncate is not applied");
        } else {
            assertFalse(existsOnTarget(db2, "t2"), "the skipped CREATE TABLE is not applied");
        }
    }


    @Test
    void schemaChangesOfTablesOutsideTheRunAreIgnored() throws Exception {
        for (String extra : List.of("", REPLICATE)) {
            String db = seeded("unselected", 20);
            pair.source().exec("CREATE TABLE `" + db + "`.skipme (id INT PRIMARY KEY)");
            String config = (extra.isEmpty() ? "" : extra + ", ") + "\"Tables\": {\"Blacklist\": [\"skipme\"]}";
            run(config, afterCopy("ALTER TABLE `" + db + "`.skipme ADD COLUMN c INT",
                    "INSERT INTO `" + db + "`.skipme VALUES (1, 1)",
                    "CREATE TABLE `" + db + "`.skipme2 (id INT)",
                    "DROP TABLE `" + db + "`.skipme",
                    "UPDATE `" + db + "`.t1 SET data = 'x' WHERE id = 1"), db);
            assertSameTable(db, "t1");
            assertFalse(existsOnTarget(db, "skipme"));
        }
    }

    @Test
    void delayingTheCopyReplicatesSchemaChangesUntilStopped() throws Exception {
        String db = seeded("delay", 30);
        String t = "`" + db + "`.t1";
        String extra = REPLICATE + ", \"DelayDataIterationUntilBinlogWriterShutdown\": true";
        var streaming = new java.util.concurrent.CountDownLatch(1);
        var hooks = new RunHooks() {
            @Override
            public void binlogStreamingStarted() {
                streaming.countDown();
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), hooks)) {
            var failure = new AtomicReference<Throwable>();
            var run = Thread.ofVirtual().start(() -> {
                try {
                    ferry.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            assertTrue(streaming.await(30, java.util.concurrent.TimeUnit.SECONDS));
            pair.source().exec("ALTER TABLE " + t + " ADD COLUMN extra INT", "INSERT INTO " + t + " (id, extra) VALUES (100, 5)");
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && pair.target().query("SELECT 1 FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 't1' AND COLUMN_NAME = 'extra'", db).isEmpty()) {
                Thread.sleep(50);
            }
            while (System.currentTimeMillis() < deadline && pair.target().count(t) < 1) {
                Thread.sleep(50);
            }
            ferry.requestStop();
            run.join(30_000);
            assertNotNull(failure.get());
            assertTrue(failure.get().getMessage().contains("DelayDataIterationUntilBinlogWriterShutdown"),
                    failure.get().getMessage());
        }
        assertEquals(1L, pair.target().count(t), "only the replicated row, no copied rows");
        assertEquals(5L, ((Number) pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 100")).longValue());
    }

    @Test
    void aFailingTableDoesNotStopTheOthersUnlessFailOnFirstTableCopyError() throws Exception {
        String db = seeded("failfirst", 10);
        pair.source().exec("CREATE TABLE `" + db + "`.t2 (id INT PRIMARY KEY)");
        pair.source().insertRows("`" + db + "`.t2", "id", 300, i -> "(" + i + ")");
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                if (table.table().equals("t1")) {
                    throw new IllegalStateException("t1 cannot be copied");
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"DataIterationConcurrency\": 1", db), hooks)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, ferry::run);
            assertEquals("t1 cannot be copied", e.getMessage());
        }
        assertEquals(300L, pair.target().count("`" + db + "`.t2"), "t2 is copied although t1 failed first");
    }
}

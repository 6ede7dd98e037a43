package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.CutoverFailed;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Whole copydb runs against the real pair: copy, binlog replay, cutover; afterwards the target equals the source. */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class CopydbIT {
    private final TestPair pair;

    CopydbIT(TestPair pair) {
        this.pair = pair;
    }

    /** A database with table {@code t1} of {@code rows} rows (ids 1..rows) in the shape the data writer expects. */
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

    @Test
    void copiesWithoutWritesToSource() throws Exception {
        String db = seeded("nowrites", 1111);
        pair.source().exec("CREATE TABLE `" + db + "`.empty (id INT PRIMARY KEY)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
            assertEquals(1111, ferry.status().rowsCopied());
            assertEquals(2, ferry.status().completedTables());
            assertNotNull(ferry.status().counters().cutoverWindow(), "the cutover's window is measured");
        }
        assertEquals(1111L, pair.target().count("`" + db + "`.t1"));
        pair.assertIdentical(db, "t1");
        pair.assertIdentical(db, "empty");
    }

    @Test
    void copiesWhileAWriterInsertsUpdatesAndDeletesUntilTheCutoverLock() throws Exception {
        String db = seeded("writer", 3000);
        try (var callbacks = new CallbackServer();
             var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 3)) {
            callbacks.respondWith(request -> {
                if (request.path().equals("/lock")) {
                    try {
                        writer.stop(); // the application stops writing when the lock is taken
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 500;
                    }
                }
                return 200;
            });
            String extra = """
                    "CutoverLock": {"URI": "%s", "Payload": "lock-payload"},
                    "CutoverUnlock": {"URI": "%s", "Payload": "unlock-payload"}"""
                    .formatted(callbacks.url("/lock"), callbacks.url("/unlock"));
            try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), RunHooks.NONE)) {
                ferry.run();
                assertTrue(ferry.status().eventsApplied() > 0, "no binlog change was applied");
            }
            assertTrue(writer.writes() > 100, "the writer barely ran: " + writer.writes());
            assertEquals(List.of(new CallbackServer.Request("/lock", "{\"Payload\":\"lock-payload\"}")), callbacks.requests("/lock"));
            assertEquals(List.of(new CallbackServer.Request("/unlock", "{\"Payload\":\"unlock-payload\"}")), callbacks.requests("/unlock"));
            assertEquals("/lock", callbacks.requests().getFirst().path());
        }
        pair.assertIdentical(db, "t1");
    }

    /**
     * A writer whose sessions compress their transactions (MySQL's binlog_transaction_compression=ON, one
     * TRANSACTION_PAYLOAD event per transaction) during the copy: every change reaches the target. MariaDB has no
     * such setting.
     */
    @Test
    void copiesWhileAWriterCommitsCompressedTransactions() throws Exception {
        if (!pair.source().query("SELECT VERSION() WHERE VERSION() LIKE '%MariaDB%'").isEmpty()) {
            assertTrue(pair.source().query("SHOW VARIABLES LIKE 'binlog_transaction_compression'").isEmpty(),
                    "MariaDB writes no compressed transactions of MySQL's kind");
            return;
        }
        String db = seeded("compressed", 3000);
        try (var callbacks = new CallbackServer();
             var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 3,
                     List.of("SET SESSION binlog_transaction_compression = ON"))) {
            callbacks.respondWith(request -> {
                try {
                    writer.stop(); // the application stops writing when the cutover lock is taken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 500;
                }
                return 200;
            });
            String extra = "\"CutoverLock\": {\"URI\": \"%s\", \"Payload\": \"x\"}".formatted(callbacks.url("/lock"));
            try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), RunHooks.NONE)) {
                ferry.run();
                assertTrue(ferry.status().eventsApplied() > 0, "no binlog change was applied");
            }
            assertTrue(writer.writes() > 100, "the writer barely ran: " + writer.writes());
        }
        pair.assertIdentical(db, "t1");
    }

    @Test
    void rowsInsertedAfterTheBoundsWereReadArriveThroughTheBinlog() throws Exception {
        String db = seeded("late", 200);
        var inserted = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                if (inserted.compareAndSet(false, true)) {
                    pair.source().exec("INSERT INTO `" + db + "`.t1 (id, data) VALUES (1000, 'late'), (1001, 'later')",
                            "UPDATE `" + db + "`.t1 SET data = 'late, changed' WHERE id = 1000");
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
            assertEquals(200, ferry.status().rowsCopied(), "rows beyond the bounds must not be bulk-copied");
        }
        assertEquals("late, changed", pair.target().scalar("SELECT data FROM `" + db + "`.t1 WHERE id = 1000"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void deletingTheMaxKeyRowMidCopyEndsTheCopyCleanly() throws Exception {
        String db = seeded("maxdel", 120);
        var deleted = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (deleted.compareAndSet(false, true)) {
                    pair.source().exec("DELETE FROM `" + db + "`.t1 WHERE id = 120");
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"DataIterationBatchSize\": 1", db), hooks)) {
            ferry.run();
        }
        assertEquals(119L, pair.target().count("`" + db + "`.t1"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void renamesDatabasesAndTables() throws Exception {
        String db = seeded("rewrite", 300);
        String renamedDb = db + "_new";
        pair.dropAfterwards(renamedDb);
        String extra = """
                "Databases": {"Whitelist": ["%s"], "Rewrites": {"%s": "%s"}},
                "Tables": {"Rewrites": {"t1": "renamed"}}""".formatted(db, db, renamedDb);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, extra), hooksUpdating(db, 5))) {
            ferry.run();
        }
        assertEquals(0L, pair.target().scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db));
        TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(renamedDb, "renamed"));
        assertEquals("changed", pair.target().scalar("SELECT data FROM `" + renamedDb + "`.renamed WHERE id = 5"));
    }

    @Test
    void tableFiltersSelectWhatIsCopied() throws Exception {
        String db = seeded("filters", 10);
        pair.source().exec("CREATE TABLE `" + db + "`.skipme (id INT PRIMARY KEY)", "INSERT INTO `" + db + "`.skipme VALUES (1)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"Tables\": {\"Blacklist\": [\"skipme\"]}", db), RunHooks.NONE)) {
            ferry.run();
        }
        pair.assertIdentical(db, "t1");
        assertEquals(0L, pair.target().scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'skipme'", db));

        String other = seeded("whitelist", 10);
        pair.source().exec("CREATE TABLE `" + other + "`.only (id INT PRIMARY KEY)", "INSERT INTO `" + other + "`.only VALUES (7)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"Tables\": {\"Whitelist\": [\"only\"]}", other), RunHooks.NONE)) {
            ferry.run();
        }
        pair.assertIdentical(other, "only");
        assertEquals(List.of(List.of("only")), pair.target().query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", other));
    }

    @Test
    void createsTablesInForeignKeyOrder() throws Exception {
        String db = pair.newDatabase("fk");
        pair.source().exec(
                "CREATE TABLE `" + db + "`.z_parent (id INT PRIMARY KEY)",
                "CREATE TABLE `" + db + "`.m_middle (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES z_parent(id))",
                "CREATE TABLE `" + db + "`.a_child (id INT PRIMARY KEY, m INT, FOREIGN KEY (m) REFERENCES m_middle(id))",
                "INSERT INTO `" + db + "`.z_parent VALUES (1), (2)",
                "INSERT INTO `" + db + "`.m_middle VALUES (10, 1), (20, 2)",
                "INSERT INTO `" + db + "`.a_child VALUES (100, 10), (200, 20)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            List<String> order = ferry.plan().tables().stream().map(t -> t.source().table()).toList();
            assertEquals(List.of("z_parent", "m_middle", "a_child"), order);
            ferry.run();
        }
        for (String t : List.of("z_parent", "m_middle", "a_child")) {
            pair.assertIdentical(db, t);
        }
        assertEquals(1L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = 'a_child'", db), "foreign keys are created on the target");
    }

    @Test
    void aForeignKeyCycleIsBrokenDeterministicallyOrInTheNamedOrder() throws Exception {
        String db = pair.newDatabase("fkcycle");
        pair.source().exec("SET SESSION foreign_key_checks = 0",
                "CREATE TABLE `" + db + "`.a (id INT PRIMARY KEY, b INT, FOREIGN KEY (b) REFERENCES `" + db + "`.b(id))",
                "CREATE TABLE `" + db + "`.b (id INT PRIMARY KEY, a INT, FOREIGN KEY (a) REFERENCES `" + db + "`.a(id))");
        pair.source().exec("SET SESSION foreign_key_checks = 0", "INSERT INTO `" + db + "`.a VALUES (1, 2)",
                "INSERT INTO `" + db + "`.b VALUES (2, 1)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            assertEquals(List.of("a", "b"), ferry.plan().tables().stream().map(t -> t.source().table()).toList());
            ferry.run();
        }
        pair.assertIdentical(db, "a");
        pair.assertIdentical(db, "b");
        pair.target().exec("DROP DATABASE `" + db + "`");
        String first = "\"TablesToBeCreatedFirst\": [\"" + db + ".b\"]";
        try (var ferry = new Ferry(TestConfigs.copydb(pair, first, db), RunHooks.NONE)) {
            assertEquals(List.of("b", "a"), ferry.plan().tables().stream().map(t -> t.source().table()).toList());
        }
    }

    @Test
    void anExistingTargetTableIsRefusedUnlessAllowed() throws Exception {
        String db = seeded("existing", 20);
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4",
                "CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT, n INT, d DATETIME(6))",
                "INSERT INTO `" + db + "`.t1 (id, data) VALUES (999, 'already there')");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            var e = assertThrows(PreconditionFailed.class, ferry::run);
            assertTrue(e.getMessage().contains(db + ".t1") && e.getMessage().contains("AllowExistingTargetTable"), e.getMessage());
        }
        assertEquals(1L, pair.target().count("`" + db + "`.t1"), "the refused run wrote nothing");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"AllowExistingTargetTable\": true", db), RunHooks.NONE)) {
            ferry.run();
        }
        assertEquals(21L, pair.target().count("`" + db + "`.t1"));
    }

    @Test
    void aFailingCutoverLockIsRetriedThenFailsTheRun() throws Exception {
        String db = seeded("lockfail", 10);
        try (var callbacks = new CallbackServer()) {
            callbacks.respondWith(r -> 503);
            String extra = """
                    "CutoverLock": {"URI": "%s", "Payload": "p"}, "MaxCutoverRetries": 3, "CutoverRetryWaitSeconds": 0"""
                    .formatted(callbacks.url("/lock"));
            try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), RunHooks.NONE)) {
                var e = assertThrows(CutoverFailed.class, ferry::run);
                assertTrue(e.getMessage().contains("CutoverLock") && e.getMessage().contains("HTTP 503"), e.getMessage());
            }
            assertEquals(3, callbacks.requests("/lock").size());
        }
    }

    @Test
    void anUpdateBlockedByTheBatchLockIsAppliedAfterTheBatch() throws Exception {
        // select -> update (waits for the batch's shared lock) -> binlog -> copy
        String db = seeded("selupd", 30);
        var updater = new AtomicReference<Thread>();
        var blocked = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) throws InterruptedException {
                if (updater.get() == null) {
                    updater.set(Thread.ofVirtual().start(
                            () -> pair.source().exec("UPDATE `" + db + "`.t1 SET data = 'changed' WHERE id = 1")));
                    updater.get().join(500);
                    blocked.set(updater.get().isAlive());
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
        }
        updater.get().join();
        assertTrue(blocked.get(), "the source UPDATE was not held back by the batch's shared row lock");
        assertEquals("changed", pair.target().scalar("SELECT data FROM `" + db + "`.t1 WHERE id = 1"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void anUpdateBeforeTheSelectIsCopiedAndReplayedHarmlessly() throws Exception {
        // update -> binlog -> select -> copy
        String db = seeded("updsel", 30);
        var hooks = new RunHooks() {
            @Override
            public void binlogStreamingStarted() {
                pair.source().exec("UPDATE `" + db + "`.t1 SET data = 'changed' WHERE id = 2",
                        "DELETE FROM `" + db + "`.t1 WHERE id = 3");
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
        }
        assertEquals("changed", pair.target().scalar("SELECT data FROM `" + db + "`.t1 WHERE id = 2"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void anUpdateAfterTheCopyIsReplayedFromTheBinlog() throws Exception {
        // select -> copy -> update -> binlog
        String db = seeded("selcopyupd", 30);
        var hooks = hooksUpdating(db, 1);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
        }
        assertEquals("changed", pair.target().scalar("SELECT data FROM `" + db + "`.t1 WHERE id = 1"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void aSchemaChangeOnACopiedTableStopsTheRun() throws Exception {
        String db = seeded("ddlstop", 100);
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec("ALTER TABLE `" + db + "`.t1 ADD COLUMN extra INT");
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"AutomaticCutover\": false", db), hooks)) {
            var run = Thread.ofVirtual().start(() -> {
                var e = assertThrows(RunFailed.class, ferry::run);
                assertTrue(e.getMessage().contains("schema change on copied table " + db + ".t1"), e.getMessage());
            });
            run.join(30_000);
            assertFalse(run.isAlive(), "the run did not stop on the schema change");
        }
    }

    @Test
    void statementFormatChangesStopTheRun() throws Exception {
        String db = seeded("sbr", 100);
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec("SET SESSION binlog_format = 'STATEMENT'",
                        "UPDATE `" + db + "`.t1 SET data = 'sbr' WHERE id = 1");
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"AutomaticCutover\": false", db), hooks)) {
            var failure = new AtomicReference<Throwable>();
            var run = Thread.ofVirtual().start(() -> {
                try {
                    ferry.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            run.join(30_000);
            assertFalse(run.isAlive(), "the run did not stop on the statement-based event");
            assertTrue(failure.get() instanceof RunFailed && failure.get().getMessage().contains("ROW"),
                    String.valueOf(failure.get()));
        }
    }

    @Test
    void cascadingForeignKeyActionsReachTheTargetThoughTheBinlogOmitsThem() throws Exception {
        String db = pair.newDatabase("cascade");
        pair.source().exec(
                "CREATE TABLE `" + db + "`.parent (id INT PRIMARY KEY, name VARCHAR(20))",
                "CREATE TABLE `" + db + "`.child (id INT PRIMARY KEY, parent_id INT, "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE ON UPDATE CASCADE)",
                "CREATE TABLE `" + db + "`.grandchild (id INT PRIMARY KEY, child_id INT, "
                        + "FOREIGN KEY (child_id) REFERENCES child(id) ON DELETE CASCADE)",
                "CREATE TABLE `" + db + "`.orphanable (id INT PRIMARY KEY, parent_id INT, "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE SET NULL ON UPDATE SET NULL)");
        pair.source().insertRows("`" + db + "`.parent", "id, name", 200, i -> "(" + i + ", 'p" + i + "')");
        pair.source().insertRows("`" + db + "`.child", "id, parent_id", 600, i -> "(" + i + ", " + (1 + i % 200) + ")");
        pair.source().insertRows("`" + db + "`.grandchild", "id, child_id", 900, i -> "(" + i + ", " + (1 + i % 600) + ")");
        pair.source().insertRows("`" + db + "`.orphanable", "id, parent_id", 300, i -> "(" + i + ", " + (1 + i % 200) + ")");
        var changes = new java.util.concurrent.atomic.AtomicInteger();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                // Early batches of every table: parents go away or change their key while their rows are copied.
                int n = changes.incrementAndGet();
                if (n <= 12) {
                    pair.source().exec("DELETE FROM `" + db + "`.parent WHERE id = " + (n * 13),
                            "UPDATE `" + db + "`.parent SET id = id + 1000 WHERE id = " + (n * 13 + 1));
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
        }
        assertTrue(changes.get() > 12, "the hook did not run often enough: " + changes.get());
        for (String t : List.of("parent", "child", "grandchild", "orphanable")) {
            pair.assertIdentical(db, t);
        }
    }

    @Test
    void statementFormatChangesToOtherTablesDoNotStopTheRun() throws Exception {
        String db = seeded("sbrelse", 50);
        String other = pair.newDatabase("sbrother");
        pair.source().exec("CREATE TABLE `" + other + "`.t (id INT PRIMARY KEY)");
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec("SET SESSION binlog_format = 'STATEMENT'", "USE `" + other + "`",
                        "INSERT INTO t VALUES (1)", "UPDATE `" + other + "`.t SET id = 2");
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
            ferry.run();
        }
        pair.assertIdentical(db, "t1");
    }

    /** Hooks that update row {@code id} of {@code db.t1} to 'changed' after the first batch was copied. */
    private RunHooks hooksUpdating(String db, int id) {
        var done = new AtomicBoolean();
        return new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (done.compareAndSet(false, true)) {
                    pair.source().exec("UPDATE `" + db + "`.t1 SET data = 'changed' WHERE id = " + id);
                }
            }
        };
    }
}

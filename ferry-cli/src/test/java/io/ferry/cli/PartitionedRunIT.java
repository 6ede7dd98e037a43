package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One move split across three {@code ferry copydb --partition I/3} processes on tables under a writer: each worker
 * copies its own part, the move cuts over once (one {@code CutoverLock}, one {@code CutoverUnlock}), a worker
 * SIGKILLed in the middle of its copy and started again resumes from its own state, and a schema change of one
 * part's table is applied by its worker alone.
 */
@MySqlPair
class PartitionedRunIT {
    private static final int WORKERS = 3;
    private static final long MOVE = 7171;
    private static final List<String> WRITTEN = List.of("w1", "w2", "w3");

    private final TestPair pair;
    @TempDir
    Path dir;

    PartitionedRunIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void threeWorkersWithOneKilledAndRestartedEndIdenticalWithOneLockAndOneUnlock() throws Exception {
        String db = pair.newDatabase("partitioned");
        String stateDb = pair.newDatabase("partstate");
        List<String> tables = new ArrayList<>(WRITTEN);
        int rows = 6000;
        for (String t : WRITTEN) {
            pair.source().exec("CREATE TABLE `" + db + "`.`" + t + "` (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT,"
                    + " v INT NOT NULL DEFAULT 0)");
            pair.source().insertRows("`" + db + "`.`" + t + "`", "id, data", rows, i -> "(" + i + ", REPEAT('x', 100))");
            rows -= 1500;
        }
        // A foreign key between tables that may land in different parts: each worker creates its own tables.
        pair.source().exec("CREATE TABLE `" + db + "`.parent (id INT PRIMARY KEY)",
                "CREATE TABLE `" + db + "`.child (id INT PRIMARY KEY, parent_id INT NOT NULL,"
                        + " FOREIGN KEY (parent_id) REFERENCES parent (id))");
        pair.source().insertRows("`" + db + "`.parent", "id", 300, i -> "(" + i + ")");
        pair.source().insertRows("`" + db + "`.child", "id, parent_id", 600, i -> "(" + i + ", " + (i % 300 + 1) + ")");
        tables.addAll(List.of("parent", "child"));
        pair.source().exec("ANALYZE TABLE `" + db + "`.w1, `" + db + "`.w2, `" + db + "`.w3, `" + db + "`.parent, `"
                + db + "`.child");

        List<DataWriter> writers = new ArrayList<>();
        try (var callbacks = new CallbackServer()) {
            run(db, stateDb, callbacks, writers);
        } finally {
            for (DataWriter w : writers) {
                w.close();
            }
        }
        for (String t : tables) {
            pair.assertIdentical(db, t);
        }
        assertEquals(1L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND COLUMN_NAME = 'extra'", db)).longValue(), "the ALTER reached the target");
        for (int i = 0; i < WORKERS; i++) {
            assertEquals(1L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", stateDb, "_ferry_" + MOVE + "_part" + i
                    + "_run_state")).longValue(), "worker " + i + " keeps its own state");
        }
        List<List<Object>> done = pair.target().query("SELECT worker, phase FROM `" + stateDb + "`.`_ferry_" + MOVE
                + "_workers` ORDER BY worker");
        assertEquals(List.of(List.of(0, "DONE"), List.of(1, "DONE"), List.of(2, "DONE")), done);
    }

    private void run(String db, String stateDb, CallbackServer callbacks, List<DataWriter> writers) throws Exception {
        {
            for (String t : WRITTEN) {
                writers.add(new DataWriter(pair.source(), "`" + db + "`.`" + t + "`", 1));
            }
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    try {
                        for (DataWriter w : writers) {
                            w.stop();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 500;
                    }
                }
                return 200;
            });
            Path config = config(db, stateDb, callbacks);
            List<FerryProcess> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                workers.add(FerryProcess.start(dir, "worker-" + i, null, "copydb", "--partition", i + "/" + WORKERS,
                        config.toString()));
            }
            FerryProcess victim = workers.get(1);
            waitUntil("worker 1's part split and being copied", () -> copied(db, stateDb, 1) >= 300, victim);
            victim.process().destroyForcibly(); // SIGKILL, in the middle of its copy
            assertEquals(137, victim.await());
            long copiedBefore = copied(db, stateDb, 1);
            assertTrue(copiedBefore < total(db, stateDb, 1), "worker 1 was killed before its copy ended");
            workers.set(1, FerryProcess.start(dir, "worker-1-restarted", null, "copydb", "--partition", "1/" + WORKERS,
                    config.toString()));
            // A schema change of one part's table: its worker applies it, the others leave it alone (applying it twice
            // would fail on the second worker with a duplicate column).
            String altered = partTables(stateDb, 2).getFirst();
            pair.source().exec("ALTER TABLE `" + db + "`.`" + altered + "` ADD COLUMN extra INT NOT NULL DEFAULT 7");

            for (int i = 0; i < WORKERS; i++) {
                FerryProcess w = workers.get(i);
                assertEquals(0, w.await(), "worker " + i + ":\n" + w.err());
            }
            assertTrue(workers.get(1).err().contains("resuming the run saved at"), workers.get(1).err());
            assertEquals(1, callbacks.requests("/lock").size(), "CutoverLock calls");
            assertEquals(1, callbacks.requests("/unlock").size(), "CutoverUnlock calls");
            for (DataWriter w : writers) {
                assertTrue(w.writes() > 0, "the writer wrote during the move");
            }
        }
    }

    /** Rows on the target of the tables the move gave part {@code part} (0 before the split is stored). */
    private long copied(String db, String stateDb, int part) {
        long sum = 0;
        for (String t : partTables(stateDb, part)) {
            try {
                sum += pair.target().count("`" + db + "`.`" + t + "`");
            } catch (IllegalStateException notYet) {
                // not created yet
            }
        }
        return sum;
    }

    private long total(String db, String stateDb, int part) {
        long sum = 0;
        for (String t : partTables(stateDb, part)) {
            sum += pair.source().count("`" + db + "`.`" + t + "`");
        }
        return sum;
    }

    private List<String> partTables(String stateDb, int part) {
        try {
            return pair.target().query("SELECT CONVERT(table_name USING utf8mb4) FROM `" + stateDb + "`.`_ferry_" + MOVE
                    + "_parts` WHERE part = ?", part).stream()
                    .map(r -> r.getFirst().toString().substring(r.getFirst().toString().indexOf('.') + 1)).toList();
        } catch (IllegalStateException notYet) {
            return List.of();
        }
    }

    private Path config(String db, String stateDb, CallbackServer callbacks) throws IOException {
        String json = """
                {
                  "Source": %s,
                  "Target": %s,
                  "Databases": {"Whitelist": ["%s"]},
                  "DataIterationBatchSize": 20,
                  "DataIterationConcurrency": 1,
                  "DataIterationRangeConcurrency": 1,
                  "DBReadRetries": 10,
                  "AutomaticCutover": true,
                  "ReplicateSchemaChanges": true,
                  "ResumeStateFromDB": "%s",
                  "ForceResumeStateUpdatesToDB": true,
                  "MyServerId": %d,
                  "CutoverLock": {"URI": "%s"},
                  "CutoverUnlock": {"URI": "%s"}
                }""".formatted(server(pair.source().endpoint()), server(pair.target().endpoint()), db, stateDb, MOVE,
                callbacks.url("/lock"), callbacks.url("/unlock"));
        Path file = dir.resolve("partitioned.json");
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private static void waitUntil(String what, BooleanSupplier condition, FerryProcess child) throws Exception {
        long deadline = System.nanoTime() + FerryProcess.RUN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!child.process().isAlive()) {
                throw new AssertionError("ferry ended (" + child.process().exitValue() + ") before " + what + ":\n"
                        + child.err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}

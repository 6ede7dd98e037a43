package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.FerryControl.ThrottleScope;
import io.ferry.core.control.TableStatus;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables copied whole ({@code FullTableCopies}): tables without any key holding identical rows, while one of the
 * identical rows is updated or deleted ({@code LIMIT 1}) on the source before, during and after the copy, under
 * every lock strategy; a keyed table listed there; a copy that loses its source connection and starts over; and the
 * refusal of engines without consistent snapshots.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class FullTableCopyIT {
    private static final int GROUPS = 6;
    private final TestPair pair;

    FullTableCopyIT(TestPair pair) {
        this.pair = pair;
    }

    /** A table without any key: groups of identical rows (even groups have a NULL {@code s}). */
    private void createDuplicates(String db, String table, int perGroup) {
        pair.source().exec("CREATE TABLE `" + db + "`." + table + " (g INT NOT NULL, s VARCHAR(20), v INT NOT NULL, "
                + "pad VARCHAR(2000) NOT NULL DEFAULT '')");
        pair.source().insertRows("`" + db + "`." + table, "g, s, v", GROUPS * perGroup,
                i -> "(" + (i % GROUPS) + ", " + group(i % GROUPS) + ", 0)");
    }

    private static String group(int g) {
        return g % 2 == 0 ? "NULL" : "'s" + g + "'";
    }

    /** One change to a single row of a group of identical rows, as an application would make it. */
    private static String oneRowChange(String table, int op, int g) {
        return switch (op) {
            case 0 -> "INSERT INTO " + table + " (g, s, v) VALUES (" + g + ", " + group(g) + ", 0)";
            case 1 -> "UPDATE " + table + " SET v = v + 1 WHERE g = " + g + " LIMIT 1";
            default -> "DELETE FROM " + table + " WHERE g = " + g + " LIMIT 1";
        };
    }

    /** Changes one row at a time in random groups until stopped. */
    private static final class DuplicateWriter implements AutoCloseable {
        private final AtomicLong writes = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private final Thread thread;

        DuplicateWriter(TestServer server, List<String> tables) {
            thread = Thread.ofVirtual().start(() -> {
                try (Connection c = server.connect(); Statement st = c.createStatement()) {
                    var random = ThreadLocalRandom.current();
                    while (running) {
                        String table = tables.get(random.nextInt(tables.size()));
                        st.executeUpdate(oneRowChange(table, random.nextInt(3), random.nextInt(GROUPS)));
                        writes.incrementAndGet();
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            });
        }

        void halt() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void close() throws InterruptedException {
            halt();
            if (failure.get() != null) {
                throw new AssertionError("the writer failed: " + failure.get(), failure.get());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LockOnSourceDB", "LockInGhostferry", "None"})
    void tablesWithoutKeysAndWithIdenticalRowsAreCopiedExactlyWhileSingleRowsChange(String lock) throws Exception {
        String db = pair.newDatabase("dups_" + lock);
        createDuplicates(db, "dup_a", 20);
        createDuplicates(db, "dup_b", 12);
        pair.source().exec("CREATE TABLE `" + db + "`.plain (id INT NOT NULL PRIMARY KEY, v INT)");
        pair.source().insertRows("`" + db + "`.plain", "id, v", 200, i -> "(" + i + ", 0)");
        List<String> dupTables = List.of("`" + db + "`.dup_a", "`" + db + "`.dup_b");
        Set<TableId> changedDuringCopy = ConcurrentHashMap.newKeySet();
        var writer = new DuplicateWriter(pair.source(), dupTables);
        var plainWriter = new KeyedWriter(pair.source(), new TableId(db, "plain"), "id, v", n -> "(" + n + ", 0)",
                n -> "id = " + n, 1000, lock.equals("None") ? KeyedWriter.Mix.INSERTS_ONLY : KeyedWriter.Mix.ALL);
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                // The table's snapshot is taken and the applier holds at its position: these changes come after
                // the snapshot and must be applied on top of the copied rows, each to exactly one row.
                if (table.table().startsWith("dup_") && changedDuringCopy.add(table)) {
                    String t = table.sql();
                    pair.source().exec(oneRowChange(t, 1, 1), oneRowChange(t, 1, 2), oneRowChange(t, 2, 3),
                            oneRowChange(t, 2, 4), oneRowChange(t, 0, 5), oneRowChange(t, 1, 5));
                }
            }

            @Override
            public void rowCopyCompleted() throws InterruptedException {
                writer.halt();
                plainWriter.halt();
                for (String t : dupTables) { // through the binlog, after the copy
                    pair.source().exec(oneRowChange(t, 1, 0), oneRowChange(t, 2, 1), oneRowChange(t, 1, 3));
                }
            }
        };
        String config = "\"LockStrategy\": \"" + lock + "\", \"DataIterationBatchSize\": 7, "
                + "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"dup_a\", \"dup_b\"]}}";
        try (writer; plainWriter; var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            ferry.run();
        }
        assertEquals(Set.of(new TableId(db, "dup_a"), new TableId(db, "dup_b")), changedDuringCopy);
        assertTrue(writer.writes.get() > 20, "the writer barely ran: " + writer.writes.get());
        pair.assertIdentical(db, "dup_a");
        pair.assertIdentical(db, "dup_b");
        pair.assertIdentical(db, "plain");
    }

    @Test
    void aKeyedTableListedInFullTableCopiesIsCopiedWholeAndShownSo() throws Exception {
        String db = pair.newDatabase("keyed_whole");
        pair.source().exec("CREATE TABLE `" + db + "`.settings (id INT NOT NULL PRIMARY KEY, v INT)");
        pair.source().insertRows("`" + db + "`.settings", "id, v", 150, i -> "(" + i + ", 0)");
        TableId table = new TableId(db, "settings");
        var writer = new KeyedWriter(pair.source(), table, "id, v", n -> "(" + n + ", 0)", n -> "id = " + n, 1000,
                KeyedWriter.Mix.ALL);
        AtomicReference<Ferry> running = new AtomicReference<>();
        AtomicReference<TableStatus> duringCopy = new AtomicReference<>();
        AtomicInteger batches = new AtomicInteger();
        var hooks = new RunHooks() {
            @Override
            public void binlogStreamingStarted() {
                // The applier is paused when the copy starts: the copy waits for it to reach the snapshot.
                running.get().pause(ThrottleScope.REPLICATION);
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.get().unpause(ThrottleScope.REPLICATION);
                });
            }

            @Override
            public void beforeRowCopy(TableId t, int rows) {
                batches.incrementAndGet();
                duringCopy.compareAndSet(null, running.get().status().tables().getFirst());
            }

            @Override
            public void rowCopyCompleted() {
                writer.halt();
            }
        };
        String config = "\"LockStrategy\": \"LockInGhostferry\", \"DataIterationBatchSize\": 10, "
                + "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"settings\"]}}";
        try (writer; var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            running.set(ferry);
            PlannedTable planned = ferry.plan().tables().getFirst();
            assertTrue(planned.copiedWhole(), planned.toString());
            assertTrue(ferry.plan().describe().contains("(whole table)"), ferry.plan().describe());
            ferry.run();
            TableStatus done = ferry.status().tables().getFirst();
            assertTrue(done.isCompleted(), done.toString());
            assertTrue(done.rowsWritten() > 100, done.toString());
            assertEquals((done.rowsWritten() + 9) / 10, batches.get(), "one pass in batches of 10: " + done);
        }
        TableStatus status = duringCopy.get();
        assertEquals("", status.paginationKey(), "a full-table copy has no pagination key: " + status);
        assertEquals("copying", status.action(), status.toString());
        assertTrue(status.targetKey().startsWith("whole table as of binlog "), status.toString());
        pair.assertIdentical(db, "settings");
    }

    @Test
    void aCopyThatLosesItsSourceConnectionStartsOverFromAFreshSnapshot() throws Exception {
        int rows = 6000;
        String db = pair.newDatabase("restart");
        createDuplicates(db, "big", 0);
        pair.source().insertRows("`" + db + "`.big", "g, s, v, pad", rows,
                i -> "(" + (i % GROUPS) + ", " + group(i % GROUPS) + ", 0, REPEAT('x', 2000))");
        String t = "`" + db + "`.big";
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger killed = new AtomicInteger();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                int n = batches.incrementAndGet();
                if (n == 3) {
                    pair.source().exec(oneRowChange(t, 1, 1), oneRowChange(t, 2, 2));
                    // The snapshot connection is still streaming the table (12 MB, more than socket buffers hold): end it.
                    // A DBA finds it the same way: its statement names ferry and the run.
                    for (List<Object> row : pair.source().query("SELECT ID FROM information_schema.PROCESSLIST "
                            + "WHERE INFO LIKE '/*application:ferry,run:%*/ SELECT%' AND INFO LIKE ? AND ID <> CONNECTION_ID()",
                            "%" + db + "%big%")) {
                        pair.source().exec("KILL CONNECTION " + row.getFirst());
                        killed.incrementAndGet();
                    }
                    pair.source().exec(oneRowChange(t, 0, 3), oneRowChange(t, 1, 4));
                }
            }

            @Override
            public void rowCopyCompleted() {
                pair.source().exec(oneRowChange(t, 2, 5), oneRowChange(t, 1, 0));
            }
        };
        String config = "\"DataIterationBatchSize\": 50, "
                + "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"big\"]}}";
        try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            ferry.run();
            assertEquals(1, killed.get(), "the snapshot's streaming read was found and ended");
            assertTrue(batches.get() >= 3 + rows / 50, "at least 3 batches, then the whole table again: " + batches.get());
            assertEquals(rows, ferry.status().tables().getFirst().rowsWritten(),
                    "the second attempt's count only (one row deleted, one inserted before it)");
        }
        pair.assertIdentical(db, "big");
    }

    /**
     * On MySQL the snapshot of a full copy takes {@code LOCK TABLES t READ} for a moment, which waits for every open
     * transaction that wrote the table; an application writing the table meanwhile must not wait behind it (MariaDB
     * takes no lock at all). The copy starts after the open transaction commits and includes its change.
     */
    @Test
    void aLongOpenTransactionDelaysTheCopyButDoesNotHoldUpWriters() throws Exception {
        String db = pair.newDatabase("longtx");
        createDuplicates(db, "busy", 5);
        String t = "`" + db + "`.busy";
        var maxWriteMillis = new AtomicLong();
        var writes = new AtomicLong();
        var stop = new AtomicBoolean();
        var committed = new CompletableFuture<Void>();
        var hooks = new RunHooks() {
            @Override
            public void binlogStreamingStarted() throws InterruptedException {
                Thread.sleep(300); // the copy starts while the transaction below is open
            }

            @Override
            public void rowCopyCompleted() throws InterruptedException {
                stop.set(true);
                try {
                    committed.get(30, TimeUnit.SECONDS); // the application's writes end before the cutover
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (Connection open = pair.source().connect(); Statement tx = open.createStatement()) {
            tx.execute("START TRANSACTION");
            tx.execute("UPDATE " + t + " SET v = v + 1 WHERE g = 1 LIMIT 1"); // holds the table's metadata lock
            Thread writer = Thread.ofVirtual().start(() -> {
                try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        st.executeUpdate("INSERT INTO " + t + " (g, s, v) VALUES (2, 's2', 0)");
                        maxWriteMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                        writes.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread committer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(3000);
                    tx.execute("COMMIT");
                    committed.complete(null);
                } catch (Exception e) {
                    committed.completeExceptionally(e);
                }
            });
            String config = "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"busy\"]}}";
            try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
                ferry.run();
            } finally {
                stop.set(true);
                committer.join();
                writer.join();
            }
        }
        assertTrue(writes.get() > 0, "the writer wrote during the copy");
        assertTrue(maxWriteMillis.get() < 2000, "a writer waited " + maxWriteMillis.get() + " ms behind the copy's lock");
        pair.assertIdentical(db, "busy");
    }

    @Test
    void tablesWithoutAConsistentSnapshotAreRefused() {
        String db = pair.newDatabase("myisam");
        pair.source().exec("CREATE TABLE `" + db + "`.m (a INT) ENGINE=MyISAM",
                "CREATE TABLE `" + db + "`.fine (a INT) ENGINE=InnoDB");
        String config = "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"m\", \"fine\"]}}";
        try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), RunHooks.NONE)) {
            var e = assertThrows(PreconditionFailed.class, ferry::plan);
            String m = e.getMessage();
            assertTrue(m.startsWith("ferry cannot copy 1 selected table(s):"), m);
            assertTrue(m.contains(db + ".m: it is listed in CascadingPaginationColumnConfig.FullTableCopies but is a "
                    + "MyISAM table; a full-table copy reads it in a consistent snapshot, which only InnoDB provides"), m);
            assertFalse(m.contains(db + ".fine"), m);
        }
    }
}

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.RangeState;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.Sequence;
import io.ferry.testing.TestPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interrupt and resume (Ghostferry's interrupt_resume_test.rb and the fork's state-in-DB test): a run stopped at an
 * exact hook point saves its state, and a run resumed from that state ends with the target identical to the source.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a stop that never comes must fail the test, not hang the build
class InterruptResumeIT {
    private final TestPair pair;
    @TempDir
    Path dir;

    InterruptResumeIT(TestPair pair) {
        this.pair = pair;
    }

    /** Where a test stops the first run. */
    enum Point { BEFORE_ROW_COPY, AFTER_ROW_COPY, BEFORE_BINLOG_APPLY, AFTER_BINLOG_APPLY }

    /** A database with Ghostferry's test table {@code t1 (id, data)} of {@code rows} rows. */
    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.t1", "id, data", rows, i -> "(" + i + ", 'row " + i + "')");
        return db;
    }

    /**
     * Hooks that stop the run the {@code nth} time {@code point} is reached once armed; armed after the second row
     * batch, when {@code changes} (if any) are made on the source so binlog points are reached without a writer.
     */
    private static final class StopAt implements RunHooks {
        final AtomicReference<Ferry> ferry = new AtomicReference<>();
        final Point point;
        final int nth;
        final Runnable changes;
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger reached = new AtomicInteger();
        final AtomicBoolean armed = new AtomicBoolean();

        StopAt(Point point, int nth, Runnable changes) {
            this.point = point;
            this.nth = nth;
            this.changes = changes;
        }

        private void at(Point p) {
            if (p == point && armed.get() && reached.incrementAndGet() == nth) {
                ferry.get().requestStop();
            }
        }

        @Override
        public void beforeRowCopy(TableId table, int rows) {
            at(Point.BEFORE_ROW_COPY);
        }

        @Override
        public void afterRowCopy(TableId table, int rows) {
            at(Point.AFTER_ROW_COPY);
            if (batches.incrementAndGet() == 2 && armed.compareAndSet(false, true)) {
                changes.run();
            }
        }

        @Override
        public void rowCopyCompleted() {
            // A resumed copy, or one a writer thinned out, may end before its second batch: binlog points count
            // from here then.
            if (armed.compareAndSet(false, true)) {
                changes.run();
            }
        }

        @Override
        public void beforeBinlogApply(int rowChanges) {
            at(Point.BEFORE_BINLOG_APPLY);
        }

        @Override
        public void afterBinlogApply(int rowChanges) {
            at(Point.AFTER_BINLOG_APPLY);
        }
    }

    /**
     * Runs {@code config} with {@code hooks} and expects the run to stop on request; returns the saved state file.
     * Cutover waits for a request, so a stop after the copy (while the binlog is applied) is accepted too.
     */
    private RunState interrupted(CopydbConfig config, StopAt hooks) throws Exception {
        try (var ferry = new Ferry(config, hooks)) {
            ferry.setAutomaticCutover(false);
            hooks.ferry.set(ferry);
            RunFailed stopped = assertThrows(RunFailed.class, ferry::run, "the run was not interrupted");
            assertTrue(stopped.getMessage().startsWith("run interrupted on request before cutover; the state is saved to"),
                    stopped.getMessage());
        }
        return StateCodec.fromJson(Files.readString(config.state().stateFilename()));
    }

    private static CopydbConfig resuming(CopydbConfig config, RunState state) {
        return config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(state)));
    }

    /** Runs {@code config} to a completed cutover (automatic, whatever the config says). */
    private static void complete(CopydbConfig config) throws InterruptedException {
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            ferry.setAutomaticCutover(true);
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
    }

    /** Some source changes in separate transactions, over copied and uncopied rows. */
    private Runnable someChanges(String db) {
        String t = "`" + db + "`.t1";
        return () -> pair.source().exec("UPDATE " + t + " SET data = 'changed' WHERE id IN (1, 2, 900)",
                "DELETE FROM " + t + " WHERE id IN (3, 901)", "INSERT INTO " + t + " (data) VALUES ('new 1'), ('new 2')",
                "UPDATE " + t + " SET data = 'changed again' WHERE id = 1");
    }

    /** StateFilename plus cutover callbacks that stop {@code writer} when the lock is taken. */
    private String stateAndLock(String file, CallbackServer callbacks) {
        return """
                "StateFilename": "%s", "DumpStateOnSignal": true,
                "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}"""
                .formatted(dir.resolve(file), callbacks.url("/lock"), callbacks.url("/unlock"));
    }

    private static void stopWriterOnLock(CallbackServer callbacks, DataWriter writer) {
        callbacks.respondWith(r -> {
            if (r.path().equals("/lock") && writer != null) {
                try {
                    writer.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 500;
                }
            }
            return 200;
        });
    }

    @ParameterizedTest(name = "{0}, writer: {1}")
    @CsvSource({"BEFORE_ROW_COPY, false", "AFTER_ROW_COPY, false", "BEFORE_BINLOG_APPLY, false",
            "AFTER_BINLOG_APPLY, false", "BEFORE_ROW_COPY, true", "AFTER_ROW_COPY, true", "BEFORE_BINLOG_APPLY, true",
            "AFTER_BINLOG_APPLY, true"})
    void interruptedAtAHookPointResumesToAnIdenticalTarget(Point point, boolean withWriter) throws Exception {
        String db = seeded("at_" + point.name().toLowerCase() + (withWriter ? "_w" : ""), 1111);
        TableId t1 = new TableId(db, "t1");
        try (var callbacks = new CallbackServer()) {
            DataWriter writer = withWriter ? new DataWriter(pair.source(), "`" + db + "`.t1", 3) : null;
            try {
                stopWriterOnLock(callbacks, writer);
                CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db);
                int nth = point == Point.BEFORE_ROW_COPY || point == Point.AFTER_ROW_COPY ? 2 : 1;
                RunState state = interrupted(config, new StopAt(point, nth, someChanges(db)));

                assertEquals(RunState.FORMAT_VERSION, state.formatVersion());
                assertEquals(List.of(t1), List.copyOf(state.tables()));
                assertTrue(state.schemaCache().containsKey(t1));
                assertTrue(!state.applierPosition().event().isNone(), "no binlog position saved");
                List<RangeState> ranges = state.copyProgress().get(t1);
                long targetMax = ((Number) pair.target().scalar("SELECT MAX(id) FROM `" + db + "`.t1 WHERE id <= 1111"))
                        .longValue();
                if (!withWriter && nth == 2) {
                    assertTrue(state.completedTables().isEmpty(), "the copy of 1111 rows was not complete");
                    assertEquals(1, ranges.size());
                    // The saved key is the last committed key: exactly the highest copied id (new rows come by binlog).
                    assertEquals(Long.toString(targetMax), ranges.getFirst().lastCopied().parts().getFirst().value());
                    assertEquals("int", ranges.getFirst().lastCopied().parts().getFirst().type());
                }
                assertTrue(pair.target().count("`" + db + "`.t1") >= 50, "at least one batch is on the target");

                complete(resuming(config, state));
            } finally {
                if (writer != null) {
                    writer.stop();
                }
            }
        }
        pair.assertIdentical(db, "t1");
    }

    @Test
    void resumingTwiceFromTheSameStateWithAWriterEndsIdenticalBothTimes() throws Exception {
        String db = seeded("twice", 1111);
        try (var callbacks = new CallbackServer(); var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 3)) {
            stopWriterOnLock(callbacks, writer);
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 3, () -> { }));
            complete(resuming(config, state));
            pair.assertIdentical(db, "t1");
            complete(resuming(config, state));
            pair.assertIdentical(db, "t1");
        }
    }

    @Test
    void interruptResumeInterruptThenResumeFromTheFirstStateEndsIdentical() throws Exception {
        String db = seeded("multi", 1111);
        try (var callbacks = new CallbackServer(); var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 3)) {
            stopWriterOnLock(callbacks, writer);
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db);
            RunState first = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 2, () -> { }));
            RunState second = interrupted(resuming(config, first), new StopAt(Point.AFTER_BINLOG_APPLY, 3, () -> { }));
            assertTrue(second.applierPosition().event().compareTo(first.applierPosition().event()) >= 0,
                    "the binlog position never moves back");
            complete(resuming(config, first));
        }
        pair.assertIdentical(db, "t1");
    }

    @Test
    void resumesWithoutASchemaCacheByReloadingTheSchema() throws Exception {
        String db = seeded("noschema", 1111);
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks)
                    + ", \"DoNotIncludeSchemaCacheInStateDump\": true", db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 2, someChanges(db)));
            assertNull(state.schemaCache());
            assertTrue(Files.readString(config.state().stateFilename()).contains("\"LastKnownTableSchemaCache\": null"));
            complete(resuming(config, state));
        }
        pair.assertIdentical(db, "t1");
    }

    /** The state in a state callback's body {@code {"Payload": ..., "State": {...}}}. */
    private static RunState posted(CallbackServer.Request request) {
        String body = request.body();
        return StateCodec.fromJson(body.substring(body.indexOf("\"State\":") + 8, body.length() - 1));
    }

    @Test
    void theStateCallbackReceivesStatesThatResume() throws Exception {
        String db = seeded("callback", 1111);
        try (var callbacks = new CallbackServer()) {
            String extra = "\"StateCallback\": {\"URI\": \"" + callbacks.url("/state") + "\", \"Payload\": \"run-7\"},"
                    + " \"StateReportFrequency\": 50";
            CopydbConfig config = TestConfigs.copydb(pair, extra, db);
            var stopAt = new StopAt(Point.AFTER_ROW_COPY, 8, () -> { });
            try (var ferry = new Ferry(config, new RunHooks() {
                @Override
                public void afterRowCopy(TableId table, int rows) throws InterruptedException {
                    Thread.sleep(15); // a slow copy, so periodic callbacks arrive during it
                    stopAt.afterRowCopy(table, rows);
                }
            })) {
                ferry.setAutomaticCutover(false);
                stopAt.ferry.set(ferry);
                RunFailed stopped = assertThrows(RunFailed.class, ferry::run);
                assertTrue(stopped.getMessage().contains("the state is saved to"), stopped.getMessage());
            }
            List<CallbackServer.Request> posts = callbacks.requests("/state");
            assertTrue(posts.size() >= 3, "periodic state callbacks: " + posts.size());
            assertTrue(posts.getLast().body().startsWith("{\"Payload\":\"run-7\",\"State\":{"));
            assertTrue(posted(posts.getLast()).copyProgress().containsKey(new TableId(db, "t1")));
            // Resume from a state posted during the run, not the final one.
            complete(resuming(config, posted(posts.get(1))));
        }
        pair.assertIdentical(db, "t1");
    }

    @Test
    void aStopRequestOnceTheCopyIsCompleteIsRefusedAndTheRunCompletes() throws Exception {
        String db = seeded("refused", 300);
        var ferryRef = new AtomicReference<Ferry>();
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                ferryRef.get().requestStop();
            }
        };
        try (var callbacks = new CallbackServer();
             var ferry = new Ferry(TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db), hooks)) {
            ferryRef.set(ferry);
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
            assertTrue(!ferry.status().stopRequested(), "the stop request was refused");
        }
        pair.assertIdentical(db, "t1");
    }

    @Test
    void compositeAndBinaryKeysCopiedInParallelRangesResumePerRange() throws Exception {
        String db = pair.newDatabase("keys");
        pair.source().exec("CREATE TABLE `" + db + "`.comp (name VARCHAR(20) COLLATE utf8mb4_bin, n INT, v INT,"
                        + " PRIMARY KEY (name, n))",
                "CREATE TABLE `" + db + "`.bin (uuid VARBINARY(16) PRIMARY KEY, v INT)");
        pair.source().insertRows("`" + db + "`.comp", "name, n, v", 1500,
                i -> "('k" + (i % 37) + "é', " + (i - 700) + ", " + i + ")");
        pair.source().insertRows("`" + db + "`.bin", "uuid, v", 1500, i -> "(UNHEX(MD5(" + i + ")), " + i + ")");
        Runnable changes = () -> pair.source().exec(
                "UPDATE `" + db + "`.comp SET v = -1 WHERE n IN (-700, 0, 799)",
                "DELETE FROM `" + db + "`.bin WHERE uuid = UNHEX(MD5(7))",
                "INSERT INTO `" + db + "`.bin VALUES (X'00', 0), (X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 1)");
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks)
                    + ", \"DataIterationRangeConcurrency\": 3, \"DataIterationConcurrency\": 2", db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 6, changes));
            List<RangeState> comp = state.copyProgress().get(new TableId(db, "comp"));
            List<RangeState> bin = state.copyProgress().get(new TableId(db, "bin"));
            assertTrue(comp != null && comp.size() == 3, "comp is saved as 3 ranges: " + comp);
            assertEquals(List.of("name", "n"), comp.getLast().upTo().columns(), "composite keys are ordered tuples");
            assertTrue(bin != null && bin.size() == 3, "bin is saved as 3 ranges: " + bin);
            assertEquals("binary", bin.getFirst().upTo().parts().getFirst().type());
            assertNull(comp.getFirst().after(), "the first range starts at the table's start");
            assertEquals(comp.getFirst().upTo(), comp.get(1).after(), "ranges follow each other");
            complete(resuming(config, state));
        }
        pair.assertIdentical(db, "comp");
        pair.assertIdentical(db, "bin");
    }

    @Test
    void aRunStoppedBeforeItsFirstBatchResumesAndCreatesTargetTablesItHadNotCreated() throws Exception {
        String db = seeded("early", 500);
        pair.source().exec("CREATE TABLE `" + db + "`.t2 (id INT PRIMARY KEY, v VARCHAR(5))",
                "INSERT INTO `" + db + "`.t2 VALUES (1, 'a'), (2, 'b')");
        var ferryRef = new AtomicReference<Ferry>();
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db);
            try (var ferry = new Ferry(config, new RunHooks() {
                @Override
                public void binlogStreamingStarted() {
                    ferryRef.get().requestStop();
                }
            })) {
                ferryRef.set(ferry);
                assertThrows(RunFailed.class, ferry::run);
            }
            RunState state = StateCodec.fromJson(Files.readString(config.state().stateFilename()));
            assertTrue(state.copyProgress().isEmpty() && state.completedTables().isEmpty(), "nothing was copied");
            // As if the first run had been killed while it created the target schema.
            pair.target().exec("DROP TABLE `" + db + "`.t2");
            complete(resuming(config, state));
        }
        pair.assertIdentical(db, "t1");
        pair.assertIdentical(db, "t2");
    }

    @Test
    void aTableCopiedWholeIsSavedAsCompleteOrCopiedAgainFromScratch() throws Exception {
        String db = seeded("fulltable", 1111);
        pair.source().exec("CREATE TABLE `" + db + "`.nokey (a INT, b VARCHAR(10))");
        pair.source().insertRows("`" + db + "`.nokey", "a, b", 600, i -> "(" + (i % 50) + ", 'v" + (i % 7) + "')");
        Runnable changes = () -> {
            someChanges(db).run();
            pair.source().exec("INSERT INTO `" + db + "`.nokey VALUES (1, 'v1'), (1, 'v1')",
                    "DELETE FROM `" + db + "`.nokey WHERE a = 2 LIMIT 1", "UPDATE `" + db + "`.nokey SET b = 'w' WHERE a = 3");
        };
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks)
                    + ", \"DataIterationConcurrency\": 1, \"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\""
                    + db + "\": [\"nokey\"]}}", db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 4, changes));
            TableId nokey = new TableId(db, "nokey");
            assertTrue(!state.copyProgress().containsKey(nokey), "a whole-table copy saves no key ranges");
            complete(resuming(config, state));
        }
        pair.assertIdentical(db, "t1");
        pair.assertIdentical(db, "nokey");
    }

    /**
     * A state file can trail the target: saved periodically, it misses what was applied after its last save when
     * ferry is killed. Changes applied again are harmless for keyed tables, but they duplicate rows of a table without
     * a key, so such a table is copied again on resume.
     */
    @Test
    void aTableWithoutAKeyIsCopiedAgainWhenTheResumedStateTrailsTheTarget() throws Exception {
        String db = seeded("trailing", 500);
        String nokey = "`" + db + "`.nokey";
        pair.source().exec("CREATE TABLE " + nokey + " (a INT, b VARCHAR(10))");
        pair.source().insertRows(nokey, "a, b", 300, i -> "(" + (i % 20) + ", 'v" + (i % 3) + "')");
        CopydbConfig config = TestConfigs.copydb(pair, "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\""
                + db + "\": [\"nokey\"]}}", db);
        var trailing = new AtomicReference<RunState>();
        var ferry = new AtomicReference<Ferry>();
        RunHooks hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                trailing.set(ferry.get().currentState().orElseThrow());
                // Applied by this run before its cutover, after the state above.
                pair.source().exec("INSERT INTO " + nokey + " VALUES (1, 'v1'), (1, 'v1')",
                        "UPDATE " + nokey + " SET b = 'w' WHERE a = 3 LIMIT 1", "DELETE FROM " + nokey + " WHERE a = 2 LIMIT 1",
                        "UPDATE `" + db + "`.t1 SET data = 'changed' WHERE id = 7");
            }
        };
        try (var run = new Ferry(config, hooks)) {
            ferry.set(run);
            run.setAutomaticCutover(true);
            run.run();
        }
        pair.assertIdentical(db, "nokey");
        assertTrue(trailing.get().completedTables().contains(new TableId(db, "nokey")), "saved as complete");

        complete(resuming(config, trailing.get()));
        pair.assertIdentical(db, "t1");
        pair.assertIdentical(db, "nokey");
    }

    @Test
    void interruptedBetweenConsecutiveRowsEventsOfOneInsertResumesInsideTheTransaction() throws Exception {
        String db = seeded("rowsevents", 1111);
        // One INSERT of 3000 rows of 200 bytes: several rows events after one table map, applied 20 changes at a time.
        Runnable bigInsert = () -> pair.source().exec("INSERT INTO `" + db + "`.t1 (id, data)"
                + " SELECT n + 5000, REPEAT('x', 200) FROM " + Sequence.upTo(3000));
        try (var callbacks = new CallbackServer()) {
            // Without automatic cutover a stop is accepted after the copy too, while the insert is still applied.
            // One binlog writer: positions inside a transaction are the ordered writer's (a stop inside a run spread
            // over several writers keeps the position before the run; BinlogApplierIT covers that).
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks)
                    + ", \"BinlogEventBatchSize\": 20, \"BinlogApplyConcurrency\": 1, \"AutomaticCutover\": false", db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_BINLOG_APPLY, 5, bigInsert));
            ResumablePosition p = state.applierPosition();
            assertNotEquals(p.event(), p.resumeFrom(), "the position is inside the insert's transaction");
            assertTrue(p.resumeFrom().compareTo(p.event()) < 0);
            complete(resuming(config, state));
        }
        assertEquals(4111L, pair.target().count("`" + db + "`.t1"));
        pair.assertIdentical(db, "t1");
    }

    @Test
    void resumeRefusesAPurgedBinlogNamingTheFileAndTheRetentionNeeded() throws Exception {
        String db = seeded("purged", 300);
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks), db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 1, () -> { }));
            // A file older than any the source still has: what a purge during the interruption leaves behind.
            String base = state.applierPosition().event().file();
            String gone = base.substring(0, base.lastIndexOf('.') + 1) + "000000";
            var old = ResumablePosition.at(new BinlogPosition(gone, 4));
            var purged = new RunState(state.formatVersion(), state.ferryVersion(),
                    // just under 30 hours before now, which the message rounds up to 30 hours
                    state.savedAt().minus(java.time.Duration.ofHours(30).minusMinutes(1)), state.source(), state.tables(),
                    state.descending(), state.schemaCache(), state.copyProgress(), state.completedTables(), old,
                    state.inlineVerifierPosition(), null);
            var error = assertThrows(PreconditionFailed.class, () -> complete(resuming(config, purged)));
            assertTrue(error.getMessage().startsWith("cannot resume: the binlog file " + gone + " (position " + gone
                    + ":4) is no longer on the source; the oldest binlog there is "), error.getMessage());
            assertTrue(error.getMessage().contains("had to keep its binlogs for at least 30 hours"), error.getMessage());
            assertTrue(error.getMessage().contains("Raise binlog_expire_logs_seconds"), error.getMessage());
        }
    }

    @Test
    void resumeRefusesAStateForAnotherTableSetSayingWhich() throws Exception {
        String db = seeded("tableset", 300);
        pair.source().exec("CREATE TABLE `" + db + "`.t2 (id INT PRIMARY KEY)", "INSERT INTO `" + db + "`.t2 VALUES (1)");
        try (var callbacks = new CallbackServer()) {
            CopydbConfig config = TestConfigs.copydb(pair, stateAndLock("state.json", callbacks)
                    + ", \"Tables\": {\"Whitelist\": [\"t1\"]}", db);
            RunState state = interrupted(config, new StopAt(Point.AFTER_ROW_COPY, 1, () -> { }));
            CopydbConfig both = TestConfigs.copydb(pair, stateAndLock("other.json", callbacks), db);
            var error = assertThrows(PreconditionFailed.class, () -> complete(resuming(both, state)));
            assertEquals("the resume state is for another set of tables: selected now but not in the state: ["
                    + db + ".t2]; select the same tables as the interrupted run (Databases/Tables filters), or start"
                    + " from scratch", error.getMessage());
        }
    }

    @Test
    void stateInTheTargetDatabaseResumesByRunningTheSameConfigAgain() throws Exception {
        String db = seeded("statedb", 1111);
        String stateDb = pair.newDatabase("ferrystate");
        try (var callbacks = new CallbackServer(); var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 2)) {
            stopWriterOnLock(callbacks, writer);
            String extra = """
                    "ResumeStateFromDB": "%s", "ForceResumeStateUpdatesToDB": true, "MyServerId": 4242,
                    "AutomaticCutover": false,
                    "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}"""
                    .formatted(stateDb, callbacks.url("/lock"), callbacks.url("/unlock"));
            CopydbConfig config = TestConfigs.copydb(pair, extra, db);
            var hooks = new StopAt(Point.AFTER_ROW_COPY, 3, someChanges(db));
            try (var ferry = new Ferry(config, hooks)) {
                hooks.ferry.set(ferry);
                RunFailed stopped = assertThrows(RunFailed.class, ferry::run);
                assertTrue(stopped.getMessage().contains("the state is saved to target database " + stateDb
                        + "; run ferry copydb again with the same config to continue"), stopped.getMessage());
            }
            String p = "`" + stateDb + "`.`_ferry_4242_";
            Object lastKey = pair.target().scalar("SELECT range_state FROM " + p + "row_copy_state` WHERE range_no = 0");
            assertTrue(lastKey != null, "the table's range is saved in the target");
            var saved = pair.target().query("SELECT event_filename, event_pos FROM " + p + "binlog_state` WHERE consumer = 'applier'");
            long savedPos = ((Number) saved.getFirst().get(1)).longValue();
            assertTrue(savedPos > 0, "the applier position is saved in the target");
            complete(config); // no state given: it is read from the target
            var after = pair.target().query("SELECT event_filename, event_pos FROM " + p + "binlog_state` WHERE consumer = 'applier'");
            BinlogPosition before = new BinlogPosition(new String((byte[]) saved.getFirst().get(0)), savedPos);
            BinlogPosition now = new BinlogPosition(new String((byte[]) after.getFirst().get(0)),
                    ((Number) after.getFirst().get(1)).longValue());
            assertTrue(now.compareTo(before) > 0, "the applier position moved on with the resumed run: " + before + " -> " + now);
            assertEquals(1L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM " + p + "row_copy_state`"
                    + " WHERE range_no = -1 AND copy_complete = 1")).longValue(), "the table is saved as complete");
        }
        pair.assertIdentical(db, "t1");
    }
}

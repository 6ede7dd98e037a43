package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.core.CutoverFailed;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Progress and error callbacks received by a real HTTP server, the lag throttler reading a real lag table, and
 * throttlers added by a library user, each against a running copy on the pair.
 */
@MySqlPair
class OperationsIT {
    private static final Set<String> PROGRESS_FIELDS = Set.of("CurrentState", "CustomPayload", "Tables",
            "LastSuccessfulBinlogPos", "BinlogStreamerLag", "Throttled", "ActiveDataIterators", "VerifierType",
            "VerifierMessage", "FinalBinlogPos", "PaginationKeysPerSecond", "ETA", "TimeTaken");
    private final TestPair pair;

    OperationsIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(40))");
        pair.source().insertRows("`" + db + "`.t", "id, v", rows, i -> "(" + i + ", 'row " + i + "')");
        pair.source().exec("ANALYZE TABLE `" + db + "`.t");
        return db;
    }

    /** The Progress object inside a callback request: Ghostferry posts it as the JSON text of {@code Payload}. */
    private static JsonObject progress(CallbackServer.Request r) {
        String payload = JsonParser.parseString(r.body()).getAsJsonObject().get("Payload").getAsString();
        return JsonParser.parseString(payload).getAsJsonObject();
    }

    @Test
    void progressIsPostedWithTheDocumentedPayloadWhileCopyingAndOnceDone() throws Exception {
        String db = seeded("progress", 3000);
        try (var callbacks = new CallbackServer()) {
            var config = TestConfigs.copydb(pair, """
                    "ProgressCallback": {"URI": "%s", "Payload": "run-7"}, "ProgressReportFrequency": 50,
                    "ErrorCallback": {"URI": "%s"}, "DataIterationBatchSize": 20"""
                    .formatted(callbacks.url("/progress"), callbacks.url("/error")), db);
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                ferry.run();
            }
            List<CallbackServer.Request> posts = callbacks.requests("/progress");
            assertTrue(posts.size() >= 3, "progress posted " + posts.size() + " time(s)");
            for (var post : posts) {
                JsonObject p = progress(post);
                assertEquals(PROGRESS_FIELDS, p.keySet());
                assertEquals("run-7", p.get("CustomPayload").getAsString());
            }
            assertTrue(posts.stream().map(OperationsIT::progress).anyMatch(p -> p.get("CurrentState").getAsString().equals("copying")
                            && p.getAsJsonObject("Tables").getAsJsonObject(db + ".t").get("CurrentAction").getAsString().equals("copying")),
                    "no report was posted during the copy");
            JsonObject last = progress(posts.getLast());
            assertEquals("done", last.get("CurrentState").getAsString());
            JsonObject table = last.getAsJsonObject("Tables").getAsJsonObject(db + ".t");
            assertEquals("completed", table.get("CurrentAction").getAsString());
            assertEquals(3000, table.get("RowsWritten").getAsLong());
            assertEquals("3000", table.get("TargetPaginationKey").getAsString());
            assertFalse(last.getAsJsonObject("FinalBinlogPos").get("Name").getAsString().isEmpty());
            assertTrue(last.get("TimeTaken").getAsDouble() > 0);
            assertEquals(List.of(), callbacks.requests("/error"), "a successful run posts no error");
        }
        pair.assertIdentical(db, "t");
    }

    @Test
    void aFatalErrorIsPostedOnceWithItsTextAndNoPassword() throws Exception {
        String db = seeded("error", 50);
        try (var callbacks = new CallbackServer()) {
            callbacks.respondWith(r -> r.path().equals("/lock") ? 503 : 200);
            var config = TestConfigs.copydb(pair, """
                    "CutoverLock": {"URI": "%s"}, "ErrorCallback": {"URI": "%s", "Payload": "ignored"}"""
                    .formatted(callbacks.url("/lock"), callbacks.url("/error")), db);
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                var failure = assertThrows(CutoverFailed.class, ferry::run);
                List<CallbackServer.Request> errors = callbacks.requests("/error");
                assertEquals(1, errors.size());
                JsonObject error = progress(errors.getFirst());
                assertEquals(Set.of("ErrFrom", "ErrMessage", "StateDump"), error.keySet());
                assertEquals("cutover", error.get("ErrFrom").getAsString());
                assertEquals(failure.getMessage(), error.get("ErrMessage").getAsString());
                assertTrue(error.get("ErrMessage").getAsString().contains("CutoverLock callback"));
                assertFalse(errors.getFirst().body().contains(pair.source().endpoint().password()));
            }
        }
    }

    @Test
    void theLagThrottlerHoldsTheCopyWhileReplicationGoesOn() throws Exception {
        String db = seeded("lag", 400);
        String meta = pair.newDatabase("lagmeta");
        pair.source().exec("CREATE TABLE `" + meta + "`.heartbeat (lag_seconds INT)", "INSERT INTO `" + meta + "`.heartbeat VALUES (100)");
        var config = TestConfigs.copydb(pair, """
                "AutomaticCutover": false,
                "LagThrottlerConfig": {"Connection": %s, "MaxLag": 5, "Query": "SELECT lag_seconds FROM `%s`.heartbeat",
                  "UpdateInterval": "50ms"}""".formatted(TestConfigs.server(pair.source().endpoint()), meta), db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runQuietly(ferry));
            await(() -> ferry.phase() == RunPhase.COPYING, "copying", run);
            // Replication still applies while the copy waits.
            pair.source().exec("INSERT INTO `" + db + "`.t VALUES (1000, 'through the binlog')");
            await(() -> pair.target().count("`" + db + "`.t") == 1, "the binlog insert on the target", run);
            Thread.sleep(500);
            assertEquals(0, ferry.status().rowsCopied(), "the copy went on while the lag was above MaxLag");
            assertTrue(ferry.status().copyPaused());
            assertFalse(ferry.status().replicationPaused());

            pair.source().exec("UPDATE `" + meta + "`.heartbeat SET lag_seconds = NULL"); // ignored: still throttled
            Thread.sleep(300);
            assertEquals(0, ferry.status().rowsCopied());
            pair.source().exec("UPDATE `" + meta + "`.heartbeat SET lag_seconds = 2");
            await(() -> ferry.phase() == RunPhase.WAIT_FOR_CUTOVER, "wait-for-cutover", run);
            ferry.setAutomaticCutover(true);
            run.get(60, TimeUnit.SECONDS);
        }
        assertEquals(401L, pair.target().count("`" + db + "`.t"));
        pair.assertIdentical(db, "t");
    }

    @Test
    void aFailingLagQueryStopsTheRunBeforeItCopies() {
        String db = seeded("lagbad", 10);
        var config = TestConfigs.copydb(pair, """
                "LagThrottlerConfig": {"Connection": %s, "MaxLag": 5, "Query": "SELECT lag_s FROM no_such_db.heartbeat"}"""
                .formatted(TestConfigs.server(pair.source().endpoint())), db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            var e = assertThrows(PreconditionFailed.class, ferry::run);
            assertTrue(e.getMessage().contains("LagThrottlerConfig.Query"), e.getMessage());
        }
    }

    @Test
    void aLibraryUsersReplicationThrottlerHoldsTheApplyAndItsMigrationThrottlerTheCopy() throws Exception {
        String db = seeded("libthrottle", 300);
        var holdCopy = new AtomicBoolean(true);
        var holdApply = new AtomicBoolean(true);
        var config = TestConfigs.copydb(pair, "\"AutomaticCutover\": false", db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            ferry.addMigrationThrottler(holdCopy::get);
            ferry.addReplicationThrottler(holdApply::get);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runQuietly(ferry));
            await(() -> ferry.phase() == RunPhase.COPYING, "copying", run);
            Thread.sleep(400);
            assertEquals(0, ferry.status().rowsCopied(), "the copy went on while its throttler said no");
            holdCopy.set(false);
            await(() -> ferry.phase() == RunPhase.WAIT_FOR_CUTOVER, "wait-for-cutover", run);

            pair.source().exec("UPDATE `" + db + "`.t SET v = 'changed' WHERE id = 7");
            Thread.sleep(800);
            assertEquals("row 7", pair.target().scalar("SELECT v FROM `" + db + "`.t WHERE id = 7"),
                    "a binlog change was applied while the replication throttler said no");
            assertTrue(ferry.status().replicationPaused());
            holdApply.set(false);
            await(() -> "changed".equals(pair.target().scalar("SELECT v FROM `" + db + "`.t WHERE id = 7")),
                    "the held change on the target", run);
            ferry.setAutomaticCutover(true);
            run.get(60, TimeUnit.SECONDS);
        }
        pair.assertIdentical(db, "t");
    }

    private static void runQuietly(Ferry ferry) {
        try {
            ferry.run();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what, CompletableFuture<Void> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (run.isDone()) {
                run.get();
                throw new AssertionError("the run ended before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached " + what);
            }
            Thread.sleep(20);
        }
    }
}

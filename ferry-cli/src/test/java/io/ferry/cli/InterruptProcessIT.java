package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ferry copydb} as a child process, stopped by real signals: SIGTERM saves the state and exits with one line,
 * SIGKILL loses nothing when the state lives in the target, and a randomized soak kills and resumes a run with a
 * writer until it completes. The soak's iterations come from {@code -Dferry.soak.iterations} (2 by default).
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class InterruptProcessIT {
    private static final Duration RUN_TIMEOUT = FerryProcess.RUN_TIMEOUT;

    private final TestPair pair;
    @TempDir
    Path dir;

    InterruptProcessIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT, v INT NOT NULL DEFAULT 0)");
        pair.source().insertRows("`" + db + "`.t1", "id, data", rows, i -> "(" + i + ", 'row " + i + "')");
        return db;
    }

    private Path config(String name, String db, String extra) throws IOException {
        String json = """
                {
                  "Source": %s,
                  "Target": %s,
                  "Databases": {"Whitelist": ["%s"]},
                  "DataIterationBatchSize": 10,
                  "DataIterationConcurrency": 1,
                  "DataIterationRangeConcurrency": 1,
                  "DBReadRetries": 10,
                  %s
                }""".formatted(server(pair.source().endpoint()), server(pair.target().endpoint()), db, extra);
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private FerryProcess start(String label, Path stdin, String... args) throws IOException {
        return FerryProcess.start(dir, label, stdin, args);
    }

    private static void waitUntil(String what, BooleanSupplier condition, FerryProcess child) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
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

    private long targetRows(String db) {
        try {
            return pair.target().count("`" + db + "`.t1");
        } catch (IllegalStateException notYet) {
            return 0;
        }
    }

    @Test
    void sigtermSavesTheStateAndExitsWithOneLineThenResumingFromStdinCompletes() throws Exception {
        String db = seeded("sigterm", 6000);
        Path state = dir.resolve("state.json");
        Path config = config("term.json", db, """
                "AutomaticCutover": true, "DumpStateOnSignal": true, "StateFilename": "%s\"""".formatted(state));
        FerryProcess first = start("first", null, "copydb", config.toString());
        waitUntil("200 rows on the target", () -> targetRows(db) >= 200, first);
        first.process().destroy(); // SIGTERM
        int exit = first.await();
        String err = first.err();
        assertEquals(1, exit, err);
        List<String> lines = err.lines().filter(l -> l.startsWith("ferry copydb:")).toList();
        assertEquals(List.of("ferry copydb: run interrupted on request before cutover; the state is saved to " + state
                + "; run ferry copydb again with --resume-state " + state + " to continue"), lines);
        assertTrue(err.contains("received SIGTERM; stopping the run at a clean point"), err);
        assertTrue(Files.readString(state).contains("\"FerryStateVersion\": 1"));
        assertTrue(targetRows(db) < 6000, "the run was interrupted before the copy ended");

        FerryProcess resumed = start("resumed", state, "copydb", "--resume-state", "-", config.toString());
        assertEquals(0, resumed.await(), resumed.err());
        assertTrue(resumed.err().contains("resuming the run saved at"), resumed.err());
        pair.assertIdentical(db, "t1");
    }

    @Test
    void sigkillWithTheStateInTheTargetResumesWithoutAFileAndAppliesNoChangeTwice() throws Exception {
        String db = seeded("sigkill", 8000);
        String stateDb = pair.newDatabase("killstate");
        String common = "\"ResumeStateFromDB\": \"" + stateDb + "\", \"ForceResumeStateUpdatesToDB\": true, \"MyServerId\": 5151";
        Path first = config("kill.json", db, common + ", \"AutomaticCutover\": false");
        Path second = config("resume.json", db, common + ", \"AutomaticCutover\": true");
        FerryProcess child = start("killed", null, "copydb", first.toString());
        waitUntil("300 rows on the target", () -> targetRows(db) >= 300, child);
        // Count every UPDATE the target applies to row 1; a re-applied change would count again.
        pair.target().exec("CREATE TABLE `" + db + "`.audit (n INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE TRIGGER `" + db + "`.count_updates AFTER UPDATE ON `" + db + "`.t1 FOR EACH ROW"
                        + " INSERT INTO `" + db + "`.audit (v) VALUES (NEW.v)");
        pair.source().exec("UPDATE `" + db + "`.t1 SET v = 1 WHERE id = 1", "UPDATE `" + db + "`.t1 SET v = 0 WHERE id = 1");
        waitUntil("both updates applied", () -> pair.target().count("`" + db + "`.audit") == 2, child);
        child.process().destroyForcibly(); // SIGKILL: nothing is saved at exit
        assertEquals(137, child.await());

        FerryProcess resumed = start("resumed", null, "copydb", second.toString());
        assertEquals(0, resumed.await(), resumed.err());
        assertTrue(resumed.err().contains("resuming the run saved at"), resumed.err());
        assertEquals(2L, pair.target().count("`" + db + "`.audit"), "a change already applied was applied again");
        pair.target().exec("DROP TRIGGER `" + db + "`.count_updates");
        pair.assertIdentical(db, "t1");
    }

    @Test
    void aStopOverTheControlServerSavesAStateThatResumes() throws Exception {
        String db = seeded("apistop", 6000);
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path state = dir.resolve("api-state.json");
        Path config = config("api.json", db, """
                "AutomaticCutover": true, "StateFilename": "%s",
                "ControlServerConfig": {"Enabled": true, "ServerBindAddr": "127.0.0.1:%d"}""".formatted(state, port));
        FerryProcess child = start("api", null, "copydb", config.toString());
        waitUntil("200 rows on the target", () -> targetRows(db) >= 200, child);
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/stop"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(1, child.await(), child.err());
        assertTrue(child.err().contains("the state is saved to " + state), child.err());

        FerryProcess resumed = start("api-resumed", null, "copydb", "--resume-state", state.toString(), config.toString());
        assertEquals(0, resumed.await(), resumed.err());
        pair.assertIdentical(db, "t1");
    }

    @ParameterizedTest(name = "StateFilename set: {0}")
    @ValueSource(booleans = {false, true})
    void aFailedRunPrintsItsStateToStdoutWithDumpStateToStdoutOnError(boolean stateFile) throws Exception {
        String db = seeded("stdoutdump", 6000);
        Path config = config("err.json", db, "\"AutomaticCutover\": false, \"DumpStateToStdoutOnError\": true"
                + (stateFile ? ", \"StateFilename\": \"err-state.json\"" : ""));
        FerryProcess child = start("failing", null, "copydb", config.toString());
        waitUntil("100 rows on the target", () -> targetRows(db) >= 100, child);
        pair.target().exec("DROP TABLE `" + db + "`.t1"); // the next batch fails for good
        assertEquals(1, child.await(), child.err());
        RunState state = StateCodec.fromJson(child.out());
        assertEquals(List.of(new TableId(db, "t1")), List.copyOf(state.tables()));
        assertTrue(state.copyProgress().containsKey(new TableId(db, "t1")), child.out());
        assertTrue(child.err().lines().anyMatch(l -> l.startsWith("ferry copydb: copying " + db + ".t1 after key")),
                child.err());
        if (stateFile) {
            assertEquals(state.copyProgress(), StateCodec.fromJson(Files.readString(config.resolveSibling("err-state.json")))
                    .copyProgress(), "the state file has the same state");
        }
    }

    @Test
    void aFailedRunWithoutAStateSaysTheTargetIsAPartialCopyAndHowToGoOn() throws Exception {
        String db = seeded("nostate", 6000);
        Path config = config("nostate.json", db, "\"AutomaticCutover\": false");
        FerryProcess child = start("failing-without-state", null, "copydb", config.toString());
        waitUntil("100 rows on the target", () -> targetRows(db) >= 100, child);
        pair.target().exec("DROP TABLE `" + db + "`.t1"); // the next batch fails for good
        assertEquals(1, child.await(), child.err());
        assertTrue(child.err().contains("no state was saved") && child.err().contains("partial copy")
                && child.err().contains("StateFilename or ResumeStateFromDB"), child.err());
    }

    @Test
    void soakKilledAtRandomMomentsWithAWriterEndsIdentical() throws Exception {
        int iterations = Integer.getInteger("ferry.soak.iterations", 2);
        String db = seeded("soak", 12000);
        String stateDb = pair.newDatabase("soakstate");
        var random = ThreadLocalRandom.current();
        try (var callbacks = new CallbackServer(); var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 2)) {
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    try {
                        writer.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 500;
                    }
                }
                return 200;
            });
            Path config = config("soak.json", db, """
                    "AutomaticCutover": true, "ResumeStateFromDB": "%s", "ForceResumeStateUpdatesToDB": %s,
                    "MyServerId": 6161, "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}"""
                    .formatted(stateDb, random.nextBoolean(), callbacks.url("/lock"), callbacks.url("/unlock")));
            int exit = -1;
            int interruptions = 0;
            for (int i = 0; i < iterations && exit != 0; i++) {
                FerryProcess child = start("soak-" + i, null, "copydb", config.toString());
                Thread.sleep(random.nextLong(1000, 3000));
                if (child.process().isAlive()) {
                    if (random.nextBoolean()) {
                        child.process().destroyForcibly();
                    } else {
                        child.process().destroy();
                    }
                    interruptions++;
                }
                exit = child.await();
                if (exit != 0 && exit != 1 && exit != 137 && exit != 143) { // 143: SIGTERM before the handler was installed
                    throw new AssertionError("interrupted run " + i + " ended with " + exit + ":\n" + child.err());
                }
            }
            System.out.println("soak: " + interruptions + " interruption(s) before the final run");
            assertTrue(interruptions > 0 || iterations == 0, "no run was interrupted");
            if (exit != 0) {
                FerryProcess last = start("soak-last", null, "copydb", config.toString());
                exit = last.await();
                assertEquals(0, exit, last.err());
            }
        }
        pair.assertIdentical(db, "t1");
    }
}

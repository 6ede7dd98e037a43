package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/soak}: runs of {@code ferry copydb} (child processes) killed with SIGKILL or SIGTERM at random moments
 * and resumed, again and again, while an application writes to every table shape (integer, composite and string
 * keys, a table without a key copied whole). Runs rotate through the verifiers (none, Inline, Iterative) and the
 * state's places (a file, the target database). Every run must end identical on every table. The number of
 * interruptions comes from {@code -Dferry.soak.cycles} (100 by default); not part of {@code bin/test}.
 */
@MySqlPair
@Tag("soak")
class SoakIT {
    private static final List<String> TABLES = List.of("ints", "pairs", "strings", "keyless");
    /** The verifiers runs rotate through; {@code -Dferry.soak.verifiers=Inline,Iterative} narrows them. */
    private static final String[] VERIFIERS = System.getProperty("ferry.soak.verifiers", "NoVerification,Inline,Iterative")
            .split(",");
    /** Where the state goes: {@code file}, {@code target} or {@code both} (alternating, the default). */
    private static final String STATE = System.getProperty("ferry.soak.state", "both");
    private final TestPair pair;
    @TempDir
    Path dir;

    SoakIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void killedAndResumedRunsUnderWritersEndIdentical() throws Exception {
        int cycles = Integer.getInteger("ferry.soak.cycles", 100);
        var random = ThreadLocalRandom.current();
        int done = 0;
        int runs = 0;
        while (done < cycles) {
            String verifier = VERIFIERS[runs % VERIFIERS.length];
            boolean stateInTarget = STATE.equals("both") ? (runs / VERIFIERS.length) % 2 == 1 : STATE.equals("target");
            int interruptions = run(runs, verifier, stateInTarget, Math.min(cycles - done, random.nextInt(2, 7)));
            done += interruptions;
            runs++;
            System.out.printf("soak: run %d (%s, state in %s): %d interruption(s), %d of %d done, every table identical%n",
                    runs, verifier, stateInTarget ? "the target" : "a file", interruptions, done, cycles);
        }
        System.out.printf("soak: %d interruption(s) and resume(s) in %d run(s), 0 failed resumes, every table identical%n",
                done, runs);
    }

    /** One run interrupted {@code kills} times, then let finish; returns the interruptions made. */
    private int run(int n, String verifier, boolean stateInTarget, int kills) throws Exception {
        String db = seeded("soak" + n);
        String state = stateInTarget
                ? "\"ResumeStateFromDB\": \"" + pair.newDatabase("soakstate" + n) + "\", \"ForceResumeStateUpdatesToDB\": "
                        + ThreadLocalRandom.current().nextBoolean() + ", \"MyServerId\": " + (7000 + n)
                : "\"StateFilename\": \"state.json\", \"DumpStateOnSignal\": true";
        var writer = new AtomicReference<ShapeWriter>();
        int interruptions = 0;
        try (var callbacks = new CallbackServer()) {
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    try {
                        writer.get().stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 500;
                    }
                }
                return 200;
            });
            // -Dferry.soak.dir keeps every run's config, logs and state for a look afterwards.
            Path base = System.getProperty("ferry.soak.dir") == null ? dir : Path.of(System.getProperty("ferry.soak.dir"));
            Path runDir = Files.createDirectories(base.resolve("run" + n));
            Path config = config(runDir, db, verifier, state, callbacks);
            writer.set(new ShapeWriter(pair, db));
            int exit = -1;
            for (int i = 0; i < kills && exit != 0; i++) {
                var child = FerryProcess.start(runDir, "run-" + i, null, arguments(runDir, config));
                // The JVM starts in about a second: most kills land in the copy, some in preflight or at startup.
                Thread.sleep(ThreadLocalRandom.current().nextLong(800, 5000));
                if (child.process().isAlive()) {
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        child.process().destroyForcibly();
                    } else {
                        child.process().destroy();
                    }
                    interruptions++;
                }
                exit = child.await();
                if (exit != 0 && exit != 1 && exit != 137 && exit != 143) {
                    throw new AssertionError("run " + n + " attempt " + i + " ended with " + exit + ":\n" + child.err());
                }
            }
            if (exit != 0) {
                var last = FerryProcess.start(runDir, "run-last", null, arguments(runDir, config));
                assertEquals(0, last.await(), "the resumed run failed:\n" + last.err());
            }
            writer.get().stop();
            assertTrue(writer.get().writes() > 0, "the application wrote");
        }
        for (String table : TABLES) {
            pair.assertIdentical(db, table);
        }
        return interruptions;
    }

    /** {@code copydb}, resuming from the state file when an interrupted run left one (state in the target resumes by itself). */
    private static String[] arguments(Path runDir, Path config) {
        Path state = runDir.resolve("state.json");
        return Files.exists(state) ? new String[] {"copydb", "--resume-state", state.toString(), config.toString()}
                : new String[] {"copydb", config.toString()};
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("USE `" + db + "`",
                "CREATE TABLE ints (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)",
                "CREATE TABLE pairs (a INT NOT NULL, b VARCHAR(20) NOT NULL, data TEXT, PRIMARY KEY (a, b))",
                "CREATE TABLE strings (uid VARCHAR(40) COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY, data TEXT)",
                "CREATE TABLE keyless (v INT, data VARCHAR(40))");
        pair.source().insertRows("`" + db + "`.ints", "data", 3000, i -> "('row " + i + "')");
        pair.source().insertRows("`" + db + "`.pairs", "a, b, data", 3000, i -> "(" + (i % 50) + ", 'b" + i + "', 'p')");
        pair.source().insertRows("`" + db + "`.strings", "uid, data", 3000, i -> "('Key-" + i + "', 's')");
        pair.source().insertRows("`" + db + "`.keyless", "v, data", 300, i -> "(" + (i % 10) + ", 'dup')");
        return db;
    }

    private Path config(Path runDir, String db, String verifier, String state, CallbackServer callbacks)
            throws IOException {
        String json = """
                {"Source": %s, "Target": %s, "Databases": {"Whitelist": ["%s"]},
                 "DataIterationBatchSize": 25, "DataIterationConcurrency": 2, "DBReadRetries": 10,
                 "CascadingPaginationColumnConfig": {"FullTableCopies": {"%s": ["keyless"]}},
                 "VerifierType": "%s", "AutomaticCutover": true, %s,
                 "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}}"""
                .formatted(server(pair.source().endpoint()), server(pair.target().endpoint()), db, db, verifier, state,
                        callbacks.url("/lock"), callbacks.url("/unlock"));
        Path file = runDir.resolve("copydb.json");
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    /** An application writing to every table of the soak database: inserts, updates and deletes, two threads. */
    private static final class ShapeWriter {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopped;

        ShapeWriter(TestPair pair, String db) {
            for (int i = 0; i < 2; i++) {
                int thread = i;
                threads.add(Thread.ofVirtual().start(() -> write(pair, db, thread)));
            }
        }

        private void write(TestPair pair, String db, int thread) {
            try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
                st.execute("USE `" + db + "`");
                var random = ThreadLocalRandom.current();
                for (long n = 0; !stopped; n++) {
                    int k = random.nextInt(1, 4000);
                    st.execute(switch (random.nextInt(10)) {
                        case 0 -> "INSERT INTO ints (data) VALUES ('w" + n + "')";
                        case 1 -> "UPDATE ints SET data = 'u" + n + "' WHERE id = " + k;
                        case 2 -> "DELETE FROM ints WHERE id = " + k;
                        case 3 -> "INSERT IGNORE INTO pairs VALUES (" + (k % 60) + ", 'w" + thread + "-" + n + "', 'w')";
                        case 4 -> "UPDATE pairs SET data = 'u" + n + "' WHERE a = " + (k % 50) + " ORDER BY b LIMIT 1";
                        case 5 -> "DELETE FROM strings WHERE uid = 'key-" + k + "'";
                        case 6 -> "INSERT IGNORE INTO strings VALUES ('W-" + thread + "-" + n + "', 'w')";
                        case 7 -> "INSERT INTO keyless VALUES (" + (k % 10) + ", 'dup')";
                        case 8 -> "UPDATE keyless SET data = 'changed' WHERE v = " + (k % 10) + " LIMIT 1";
                        default -> "DELETE FROM keyless WHERE v = " + (k % 10) + " LIMIT 1";
                    });
                    writes.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        long writes() {
            return writes.get();
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("the writer failed: " + failure.get(), failure.get());
            }
        }
    }
}

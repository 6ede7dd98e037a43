package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.core.DataMismatch;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import io.ferry.verify.Verifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole runs with each verifier (Ghostferry's iterative_verifier_test and inline_verifier_test scenarios) on a table
 * keyed by an integer and on one keyed by a case-insensitive string: no false positive under a concurrent writer,
 * and corruption by a target trigger during the copy, by a direct target write after the copy, missing and extra
 * rows, binlog-applied rows corrupted on the target and key-changing updates are reported at cutover, which then
 * fails with {@link DataMismatch} and the exact message. Also {@code ferry verify} on the result.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class VerifiedRunIT {
    private static final int ROWS = 600;
    private final TestPair pair;
    @TempDir
    Path dir;

    VerifiedRunIT(TestPair pair) {
        this.pair = pair;
    }

    /**
     * A database with {@code ints} (id BIGINT key) and {@code strings} (keyed by a utf8mb4_unicode_ci string, with
     * an auto-increment id besides), both with a {@code data} column, so {@link DataWriter} can write to either.
     */
    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("USE `" + db + "`",
                "CREATE TABLE ints (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, data TEXT)",
                "CREATE TABLE strings (uid VARCHAR(40) COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT (UUID()), "
                        + "id BIGINT NOT NULL AUTO_INCREMENT, data TEXT, PRIMARY KEY (uid), UNIQUE KEY (id))");
        pair.source().insertRows("`" + db + "`.ints", "data", ROWS, i -> "('row " + i + "')");
        pair.source().insertRows("`" + db + "`.strings", "uid, data", ROWS, i -> "('Key-" + i + "', 'row " + i + "')");
        return db;
    }

    private CopydbConfig config(String db, String verifier, String extra) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": true, "
                + "\"DataIterationBatchSize\": 50, \"DataIterationRangeConcurrency\": 2, \"VerifierType\": \"" + verifier + "\""
                + ", \"InlineVerifierConfig\": {\"VerifyBinlogEventsInterval\": \"100ms\"}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private static void run(CopydbConfig config, RunHooks hooks) throws InterruptedException {
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            ferry.run();
            VerifierStatus v = ferry.status().verifier();
            assertTrue(v.supported() && v.done() && Boolean.TRUE.equals(v.correct()), v.toString());
        }
    }

    private static DataMismatch runExpectingMismatch(CopydbConfig config, RunHooks hooks) throws InterruptedException {
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            DataMismatch e = assertThrows(DataMismatch.class, ferry::run);
            assertEquals(RunPhase.CUTOVER, ferry.phase());
            VerifierStatus v = ferry.status().verifier();
            assertEquals(Boolean.FALSE, v.correct(), v.toString());
            return e;
        }
    }

    private static String fingerprint(TestServer server, String db, String table, String where) throws Exception {
        try (var c = server.connect()) {
            var id = new TableId(db, table);
            var schema = io.ferry.core.schema.SchemaLoader.loadOne(c, id);
            var flavor = io.ferry.core.db.ServerInfo.of(c).flavor();
            var fp = new RowFingerprint(schema, Set.of(), Set.of(), flavor, RowFingerprint.jsonTextColumns(c, id, flavor));
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + fp.expression() + " FROM " + id.sql()
                    + " WHERE " + where)) {
                return rs.next() ? rs.getString(1) : "-";
            }
        }
    }

    private String checksumDifference(String db, String table, String key, String where, String column) throws Exception {
        return key + " (type: rows checksum difference, source: " + fingerprint(pair.source(), db, table, where)
                + ", target: " + fingerprint(pair.target(), db, table, where) + ", column: " + column + ")";
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline", "ChecksumTable"})
    void noFalsePositiveUnderAConcurrentWriter(String verifier) throws Exception {
        String db = seeded("clean_" + verifier);
        if (ChecksumAcrossEngines.refused(pair, verifier, () -> run(config(db, verifier, ""), RunHooks.NONE))) {
            return;
        }
        try (var callbacks = new CallbackServer()) {
            var writers = new AtomicReference<DataWriter[]>();
            callbacks.respondWith(request -> {
                try {
                    for (DataWriter w : writers.get()) {
                        w.stop(); // the application stops writing at CutoverLock
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            // ChecksumTable needs a quiescent source at cutover; the others verify while the writers go on.
            var config = config(db, verifier, "\"CutoverLock\": {\"URI\": \"" + callbacks.url("/lock") + "\"}");
            run(config, new RunHooks() {
                @Override
                public void binlogStreamingStarted() {
                    writers.set(new DataWriter[] {new DataWriter(pair.source(), "`" + db + "`.ints", 2),
                            new DataWriter(pair.source(), "`" + db + "`.strings", 2)});
                }
            });
            assertTrue(writers.get()[0].writes() > 0 && writers.get()[1].writes() > 0);
        }
        pair.assertIdentical(db, "ints");
        pair.assertIdentical(db, "strings");
    }

    private static String corruptingTrigger(String table, String when) {
        return "CREATE TRIGGER corrupt_" + table + " BEFORE INSERT ON " + table + " FOR EACH ROW IF " + when
                + " THEN SET NEW.data = 'corrupted'; END IF";
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline"})
    void corruptionByATargetTriggerDuringTheCopyIsReported(String verifier) throws Exception {
        String db = seeded("trigger_" + verifier);
        var config = config(db, verifier, "");
        DataMismatch e = runExpectingMismatch(config, new RunHooks() {
            @Override
            public void binlogStreamingStarted() {
                pair.target().exec("USE `" + db + "`", corruptingTrigger("ints", "NEW.id = 7"),
                        corruptingTrigger("strings", "NEW.uid = 'key-300'"));
            }
        });
        assertEquals("cutover verification failed for: "
                + db + ".ints [PKs: " + checksumDifference(db, "ints", "7", "id = 7", "data") + " ] "
                + db + ".strings [PKs: " + checksumDifference(db, "strings", "Key-300", "uid = 'Key-300'", "data")
                + " ]; the cutover was not completed (CutoverUnlock was not called): investigate the differences, "
                + "then copy again or fix the rows", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "ChecksumTable"})
    void aDirectTargetWriteAfterTheCopyIsReported(String verifier) throws Exception {
        String db = seeded("direct_" + verifier);
        if (ChecksumAcrossEngines.refused(pair, verifier, () -> run(config(db, verifier, ""), RunHooks.NONE))) {
            return;
        }
        DataMismatch e = runExpectingMismatch(config(db, verifier, ""), new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.target().exec("UPDATE `" + db + "`.strings SET data = 'changed on target' WHERE uid = 'Key-5'");
            }
        });
        String expected = verifier.equals("Iterative")
                ? db + ".strings [PKs: " + checksumDifference(db, "strings", "Key-5", "uid = 'Key-5'", "data") + " ]"
                : db + ".strings [(type: table checksum difference";
        assertTrue(e.getMessage().startsWith("cutover verification failed for: " + expected), e.getMessage());
    }

    @Test
    void missingAndExtraRowsAreReportedByTheIterativeVerifier() throws Exception {
        String db = seeded("missing_extra");
        DataMismatch e = runExpectingMismatch(config(db, "Iterative", ""), new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.target().exec("DELETE FROM `" + db + "`.ints WHERE id = 3",
                        "INSERT INTO `" + db + "`.ints VALUES (100000, 'extra')");
            }
        });
        assertTrue(e.getMessage().startsWith("cutover verification failed for: " + db + ".ints [PKs: "
                + "3 (type: row missing on target, source: " + fingerprint(pair.source(), db, "ints", "id = 3")
                + ", target: -) 100000 (type: row missing on source, source: -, target: "
                + fingerprint(pair.target(), db, "ints", "id = 100000") + ") ];"), e.getMessage());
    }

    @Test
    void aBinlogAppliedRowCorruptedOnTheTargetIsCaughtByTheInlineVerifierAtCutover() throws Exception {
        String db = seeded("binlog_corrupt");
        DataMismatch e = runExpectingMismatch(config(db, "Inline", ""), new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.target().exec("USE `" + db + "`", corruptingTrigger("ints", "NEW.data = 'poison'"),
                        corruptingTrigger("strings", "NEW.data = 'poison'"));
                pair.source().exec("INSERT INTO `" + db + "`.ints VALUES (5000, 'poison')",
                        "INSERT INTO `" + db + "`.strings (uid, data) VALUES ('ÉPOISON', 'poison')");
            }
        });
        assertEquals("cutover verification failed for: "
                + db + ".ints [PKs: " + checksumDifference(db, "ints", "5000", "id = 5000", "data") + " ] "
                + db + ".strings [PKs: " + checksumDifference(db, "strings", "ÉPOISON", "uid = 'ÉPOISON'", "data")
                + " ]; the cutover was not completed (CutoverUnlock was not called): investigate the differences, "
                + "then copy again or fix the rows", e.getMessage());
    }

    @Test
    void theInlineVerifierChecksTheOldKeyOfAKeyChangingUpdate() throws Exception {
        String db = seeded("key_change");
        var updated = new AtomicBoolean();
        var planted = new AtomicBoolean();
        DataMismatch e = runExpectingMismatch(config(db, "Inline", ""), new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec("UPDATE `" + db + "`.strings SET uid = 'moved' WHERE uid = 'Key-10'");
                updated.set(true);
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                // Once the move is applied, a stale copy of the old row reappears on the target.
                if (updated.get() && !planted.get()
                        && ((Number) pair.target().scalar("SELECT COUNT(*) FROM `" + db + "`.strings WHERE uid = 'moved'")).longValue() == 1) {
                    planted.set(true);
                    pair.target().exec("INSERT INTO `" + db + "`.strings (uid, id, data) VALUES ('Key-10', 999999, 'stale')");
                }
            }
        });
        assertTrue(planted.get());
        assertTrue(e.getMessage().startsWith("cutover verification failed for: " + db + ".strings [PKs: Key-10 (type: "
                + "row missing on source, source: -, target: " + fingerprint(pair.target(), db, "strings", "uid = 'Key-10'")
                + ") ];"), e.getMessage());
    }

    @Test
    void ferryVerifyComparesAfterTheRunAndListsEveryDifference() throws Exception {
        String db = seeded("ferry_verify");
        run(config(db, "Iterative", ""), RunHooks.NONE);
        Path file = Files.createTempFile(dir, "verify", ".json");
        Files.writeString(file, "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": "
                + server(pair.target().endpoint()) + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}}");
        MainTest.Result ok = MainTest.run("verify", file.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("the target matches the source"), ok.out());
        pair.target().exec("UPDATE `" + db + "`.ints SET data = NULL WHERE id = 1", "DELETE FROM `" + db + "`.strings WHERE uid = 'Key-2'");
        MainTest.Result bad = MainTest.run("verify", file.toString());
        assertEquals(4, bad.exit(), bad.err());
        assertEquals("ferry verify: 2 difference(s) in 2 table(s):\n"
                + "  " + db + ".ints 1 (type: rows checksum difference, source: " + fingerprint(pair.source(), db, "ints", "id = 1")
                + ", target: " + fingerprint(pair.target(), db, "ints", "id = 1") + ", column: data)\n"
                + "  " + db + ".strings Key-2 (type: row missing on target, source: "
                + fingerprint(pair.source(), db, "strings", "uid = 'Key-2'") + ", target: -)\n", bad.out());
        pair.source().exec("SET @unused = 1"); // the comparison wrote nothing: both sides are as they were
        assertEquals(ROWS, pair.source().count("`" + db + "`.strings"));
    }
}

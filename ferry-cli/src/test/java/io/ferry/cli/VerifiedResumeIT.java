package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.core.DataMismatch;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import io.ferry.verify.Verifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Inline verifier across an interruption (Ghostferry's interrupt_resume inline verifier scenarios): its reverify
 * store is saved with the run's state and restored on resume, so a row the binlog changed before the interruption,
 * and that differs on the target, is still reported at the resumed run's cutover.
 */
@MySqlPair
class VerifiedResumeIT {
    private static final int ROWS = 300;
    private final TestPair pair;
    @TempDir
    Path dir;

    VerifiedResumeIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.ints (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.ints", "data", ROWS, i -> "('row " + i + "')");
        return db;
    }

    private CopydbConfig config(String db, String state) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": false, "
                + "\"DataIterationBatchSize\": 50, \"VerifierType\": \"Inline\""
                + ", \"InlineVerifierConfig\": {\"VerifyBinlogEventsInterval\": \"100ms\"}, " + state + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private static String fingerprint(TestServer server, String db, String where) throws Exception {
        try (var c = server.connect()) {
            var id = new TableId(db, "ints");
            var schema = io.ferry.core.schema.SchemaLoader.loadOne(c, id);
            var flavor = io.ferry.core.db.ServerInfo.of(c).flavor();
            var fp = new RowFingerprint(schema, Set.of(), Set.of(), flavor, RowFingerprint.jsonTextColumns(c, id, flavor));
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + fp.expression() + " FROM " + id.sql()
                    + " WHERE " + where)) {
                return rs.next() ? rs.getString(1) : "-";
            }
        }
    }

    /**
     * Copies every row, then has the source update row 7, which a target trigger corrupts as the applier replays
     * the update; the run is stopped right after that transaction, so row 7 is in the reverify store (it differs,
     * so no periodic pass removed it).
     */
    private void interrupted(CopydbConfig config, String db) throws InterruptedException {
        var ferry = new AtomicReference<Ferry>();
        var hooks = new RunHooks() {
            @Override
            public void binlogStreamingStarted() {
                pair.target().exec("CREATE TRIGGER `" + db + "`.corrupt_7 BEFORE UPDATE ON `" + db + "`.ints FOR EACH ROW"
                        + " IF NEW.id = 7 THEN SET NEW.data = 'corrupted'; END IF");
            }

            @Override
            public void rowCopyCompleted() {
                pair.source().exec("UPDATE `" + db + "`.ints SET data = 'changed' WHERE id = 7");
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                ferry.get().requestStop();
            }
        };
        try (var f = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            ferry.set(f);
            RunFailed stopped = assertThrows(RunFailed.class, f::run);
            assertTrue(stopped.getMessage().startsWith("run interrupted on request before cutover"), stopped.getMessage());
        }
        assertEquals("corrupted", pair.target().scalar("SELECT data FROM `" + db + "`.ints WHERE id = 7"));
    }

    private static DataMismatch resumeExpectingMismatch(CopydbConfig config) throws InterruptedException {
        try (var f = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow())) {
            f.setAutomaticCutover(true);
            DataMismatch e = assertThrows(DataMismatch.class, f::run);
            assertEquals(RunPhase.CUTOVER, f.phase());
            return e;
        }
    }

    private String expectedMessage(String db) throws Exception {
        return "cutover verification failed for: " + db + ".ints [PKs: 7 (type: rows checksum difference, source: "
                + fingerprint(pair.source(), db, "id = 7") + ", target: " + fingerprint(pair.target(), db, "id = 7")
                + ", column: data) ]; the cutover was not completed (CutoverUnlock was not called): investigate the"
                + " differences, then copy again or fix the rows";
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "target database"})
    void aChangedRowCorruptedOnTheTargetBeforeTheInterruptionIsReportedAfterResume(String where) throws Exception {
        String db = seeded(where.equals("file") ? "vstore_file" : "vstore_db");
        Path file = dir.resolve("state.json");
        String stateDb = pair.newDatabase("vstore_state");
        CopydbConfig config = config(db, where.equals("file")
                ? "\"StateFilename\": \"" + file + "\""
                : "\"ResumeStateFromDB\": \"" + stateDb + "\", \"ForceResumeStateUpdatesToDB\": true, \"MyServerId\": 6161");
        interrupted(config, db);

        RunState state = where.equals("file") ? StateCodec.fromJson(Files.readString(file))
                : StateCodec.fromJson(new String((byte[]) pair.target().scalar("SELECT state FROM `" + stateDb
                + "`.`_ferry_6161_run_state`"), java.nio.charset.StandardCharsets.UTF_8));
        Map<String, List<String>> store = StateCodec.reverifyStoreFromJson(state.verifyStore());
        assertEquals(Set.of(db + ".ints"), store.keySet(), state.verifyStore());
        assertEquals(1, store.get(db + ".ints").size(), state.verifyStore());
        assertFalse(state.inlineVerifierPosition().event().isNone(), "the verifier's position is saved");
        assertEquals(state.applierPosition(), state.inlineVerifierPosition(),
                "stopped cleanly, the verifier has heard of every applied change");

        CopydbConfig resumed = where.equals("file")
                ? config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(state))) : config;
        assertEquals(expectedMessage(db), resumeExpectingMismatch(resumed).getMessage());
    }

    /**
     * The control: the same interrupted state without its reverify store resumes to a "clean" cutover. Row 7 was
     * copied and checked before it changed, and its change was applied (and heard) before the interruption, so the
     * resumed run streams from after it: nothing but the saved store tells the verifier to look at row 7 again.
     */
    @Test
    void withoutTheSavedStoreTheCorruptedRowIsNotSeen() throws Exception {
        String db = seeded("vstore_none");
        Path file = dir.resolve("state-none.json");
        CopydbConfig config = config(db, "\"StateFilename\": \"" + file + "\"");
        interrupted(config, db);
        RunState s = StateCodec.fromJson(Files.readString(file));
        RunState withoutStore = new RunState(s.formatVersion(), s.ferryVersion(), s.savedAt(), s.source(), s.tables(),
                s.descending(), s.schemaCache(), s.copyProgress(), s.completedTables(), s.applierPosition(),
                s.inlineVerifierPosition(), null);
        try (var f = new Ferry(config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(withoutStore))),
                RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow())) {
            f.setAutomaticCutover(true);
            f.run();
            assertEquals(RunPhase.DONE, f.phase());
        }
        assertEquals("corrupted", pair.target().scalar("SELECT data FROM `" + db + "`.ints WHERE id = 7"));
    }

    /**
     * A table without a key (copied whole) gets changes whose replay is not harmless: an INSERT adds a duplicate, an
     * UPDATE or DELETE with LIMIT 1 hits another identical row. A killed run leaves the inline verifier's saved
     * position (saved periodically) behind the applier's (saved with each applied transaction under
     * ForceResumeStateUpdatesToDB), so the resumed stream starts before changes already applied: they must not be
     * applied again. The state of such a kill is made from a clean stop's by moving the verifier's position back.
     */
    @Test
    void aKeylessTableIsNotChangedTwiceWhenTheStreamResumesBeforeTheApplier() throws Exception {
        String db = pair.newDatabase("vstore_keyless");
        pair.source().exec("CREATE TABLE `" + db + "`.dups (v INT, data VARCHAR(20))",
                "INSERT INTO `" + db + "`.dups VALUES (1, 'a'), (1, 'a'), (1, 'a'), (2, 'b'), (2, 'b')");
        Path file = dir.resolve("state-keyless.json");
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": false"
                + ", \"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"dups\"]}}"
                + ", \"StateFilename\": \"" + file + "\"}";
        CopydbConfig config = ConfigLoader.parse(json, Map.of(), Path.of("."));
        var ferry = new AtomicReference<Ferry>();
        var applied = new java.util.concurrent.atomic.AtomicInteger();
        var beforeChanges = new AtomicReference<ResumablePosition>();
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                List<Object> status = pair.source().query("SHOW MASTER STATUS").getFirst();
                beforeChanges.set(ResumablePosition.at(new BinlogPosition(String.valueOf(status.get(0)),
                        ((Number) status.get(1)).longValue())));
                pair.source().exec("INSERT INTO `" + db + "`.dups VALUES (1, 'a'), (3, 'c')",
                        "UPDATE `" + db + "`.dups SET data = 'a2' WHERE v = 1 LIMIT 1",
                        "DELETE FROM `" + db + "`.dups WHERE v = 2 LIMIT 1");
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                if (applied.addAndGet(rowChanges) >= 4) {
                    ferry.get().requestStop();
                }
            }
        };
        try (var f = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            ferry.set(f);
            assertThrows(RunFailed.class, f::run);
        }
        RunState stopped = StateCodec.fromJson(Files.readString(file));
        assertTrue(beforeChanges.get().event().compareTo(stopped.applierPosition().event()) < 0, "the changes were applied");
        RunState state = new RunState(stopped.formatVersion(), stopped.ferryVersion(), stopped.savedAt(), stopped.source(),
                stopped.tables(), stopped.descending(), stopped.schemaCache(), stopped.copyProgress(),
                stopped.completedTables(), stopped.applierPosition(), beforeChanges.get(), stopped.verifyStore(),
                stopped.pendingSchemaChange());
        try (var f = new Ferry(config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(state))),
                RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow())) {
            f.setAutomaticCutover(true);
            f.run();
        }
        pair.assertIdentical(db, "dups");
        assertEquals(6L, pair.target().count("`" + db + "`.dups"));
    }
}

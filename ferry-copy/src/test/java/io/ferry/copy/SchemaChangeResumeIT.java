package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.ColumnDefinitions;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interrupt and resume around replicated schema changes ({@code ReplicateSchemaChanges}): a DDL is applied exactly
 * once across interrupts, whether the run stopped after it or between saving it as pending and saving it as applied,
 * and a run stopped after a schema change resumes (its saved schemas follow the change) to a target identical to the
 * source, columns included. Each test runs with the state in a file and in the target database.
 */
@MySqlPair
class SchemaChangeResumeIT {
    private static final int SERVER_ID = 7373;
    private final TestPair pair;
    @TempDir
    Path dir;

    SchemaChangeResumeIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT, n INT)");
        pair.source().insertRows("`" + db + "`.t1", "id, data, n", rows, i -> "(" + i + ", 'row " + i + "', " + (i % 7) + ")");
        return db;
    }

    /** The state destination: a file, or the target database with positions forced into each transaction. */
    private final class Where {
        final boolean file;
        final Path stateFile = dir.resolve("state.json");
        final String stateDb = pair.newDatabase("ddlstate");

        Where(String where) {
            this.file = where.equals("file");
        }

        CopydbConfig config(String db) {
            return TestConfigs.copydb(pair, "\"ReplicateSchemaChanges\": true, \"AutomaticCutover\": false, " + (file
                    ? "\"StateFilename\": \"" + stateFile + "\""
                    : "\"ResumeStateFromDB\": \"" + stateDb + "\", \"ForceResumeStateUpdatesToDB\": true, \"MyServerId\": "
                    + SERVER_ID), db);
        }

        Optional<RunState> saved() throws Exception {
            if (file) {
                return Files.exists(stateFile) ? Optional.of(StateCodec.fromJson(Files.readString(stateFile)))
                        : Optional.empty();
            }
            try (Connection c = pair.target().connect()) {
                return new TargetStateTables(null, stateDb, SERVER_ID).load(c);
            }
        }

        /** Puts {@code state} back as the saved state, as a crash right when it was saved would have left it. */
        CopydbConfig resumingFrom(CopydbConfig config, RunState state) throws Exception {
            if (file) {
                return config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(state)));
            }
            try (var target = io.ferry.core.db.DataSources.open("t", pair.target().ferryConfig(), 2)) {
                new TargetStateTables(target, stateDb, SERVER_ID).replaceAll(state);
            }
            return config;
        }

        CopydbConfig resuming(CopydbConfig config) throws Exception {
            return file ? resumingFrom(config, saved().orElseThrow()) : config;
        }
    }

    private static void complete(CopydbConfig config) throws InterruptedException {
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            ferry.setAutomaticCutover(true);
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
    }

    private static void expectStopped(Ferry ferry) {
        RunFailed stopped = assertThrows(RunFailed.class, ferry::run);
        assertTrue(stopped.getMessage().startsWith("run interrupted on request before cutover"), stopped.getMessage());
    }

    private void assertSameTable(String db) {
        ColumnDefinitions.assertSame(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
        TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
    }

    private static boolean hasColumn(RunState state, TableId t, String column) {
        return state.schemaCache().get(t).column(column).isPresent();
    }

    /**
     * Stopped right after applying the row change that follows an ADD COLUMN: the saved state has the DDL as applied
     * and the table's new schema, so the resume check accepts the source's new shape and the DDL is not applied
     * again (a second ADD COLUMN would fail the run with "duplicate column name").
     */
    @ParameterizedTest(name = "state in {0}")
    @ValueSource(strings = {"file", "db"})
    void stoppedAfterAddColumnResumesWithoutApplyingItAgain(String where) throws Exception {
        var w = new Where(where);
        String db = seeded("ddl_after_" + where, 120);
        String t = "`" + db + "`.t1";
        CopydbConfig config = w.config(db);
        var armed = new AtomicBoolean();
        var ferry = new AtomicReference<Ferry>();
        try (var f = new Ferry(config, new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                armed.set(true);
                pair.source().exec("ALTER TABLE " + t + " ADD COLUMN extra VARCHAR(20) NOT NULL DEFAULT 'dflt' AFTER data",
                        "INSERT INTO " + t + " (id, data, extra) VALUES (500, 'new', 'inserted')");
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                if (armed.get()) {
                    ferry.get().requestStop();
                }
            }
        })) {
            ferry.set(f);
            expectStopped(f);
        }
        RunState state = w.saved().orElseThrow();
        assertNull(state.pendingSchemaChange());
        assertTrue(hasColumn(state, new TableId(db, "t1"), "extra"), "the saved schema follows the ADD COLUMN");
        assertEquals("inserted", pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 500"));

        // While ferry is down, the source goes on using the new column.
        pair.source().exec("UPDATE " + t + " SET extra = 'while down' WHERE id <= 5", "DELETE FROM " + t + " WHERE id = 7");
        complete(w.resuming(config));
        assertSameTable(db);
        assertEquals("while down", pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 3"));
    }

    /**
     * A crash between the two marks: the state saved while the ALTER waits on the target (a test transaction holds
     * the table's metadata lock) says the DDL is pending. The ALTER then completes and the run stops; resuming from
     * the pending state runs the ALTER again, accepts "duplicate column name" for that one statement, and ends
     * identical, the column there once.
     */
    @ParameterizedTest(name = "state in {0}")
    @ValueSource(strings = {"file", "db"})
    void aDdlSavedAsPendingIsAppliedOnceOnResume(String where) throws Exception {
        var w = new Where(where);
        String db = seeded("ddl_pending_" + where, 120);
        String t = "`" + db + "`.t1";
        CopydbConfig config = w.config(db);
        var ferry = new AtomicReference<Ferry>();
        var failure = new AtomicReference<Throwable>();
        try (Connection blocker = pair.target().connect()) {
            var f = new Ferry(config, new RunHooks() {
                @Override
                public void rowCopyCompleted() throws InterruptedException {
                    try (var st = blocker.createStatement()) {
                        st.execute("START TRANSACTION");
                        st.executeQuery("SELECT * FROM " + t + " LIMIT 1").close(); // holds the table's metadata lock
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    pair.source().exec("ALTER TABLE " + t + " ADD COLUMN extra INT NOT NULL DEFAULT 42",
                            "UPDATE " + t + " SET extra = 1 WHERE id = 1");
                }
            });
            ferry.set(f);
            Thread run = Thread.ofVirtual().start(() -> {
                try {
                    f.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            RunState pending = null;
            for (int i = 0; i < 600 && pending == null; i++) {
                pending = w.saved().filter(s -> s.pendingSchemaChange() != null).orElse(null);
                Thread.sleep(50);
            }
            assertNotNull(pending, "the DDL was never saved as pending: " + failure.get());
            assertTrue(pending.pendingSchemaChange().targetSql().contains("ADD COLUMN extra"),
                    pending.pendingSchemaChange().targetSql());
            assertFalse(hasColumn(pending, new TableId(db, "t1"), "extra"), "pending: the saved schema is the old one");
            assertEquals(0L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE"
                    + " TABLE_SCHEMA = ? AND TABLE_NAME = 't1' AND COLUMN_NAME = 'extra'", db)).longValue(),
                    "the ALTER waits for the metadata lock");
            blocker.createStatement().execute("COMMIT");
            for (int i = 0; i < 600; i++) {
                Object extra = pair.target().query("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE"
                        + " TABLE_SCHEMA = ? AND TABLE_NAME = 't1' AND COLUMN_NAME = 'extra'", db).getFirst().getFirst();
                if (((Number) extra).intValue() == 1 && Integer.valueOf(1).equals(
                        ((Number) pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 1")).intValue())) {
                    break;
                }
                Thread.sleep(50);
            }
            f.requestStop();
            run.join();
            f.close();
            assertTrue(failure.get() instanceof RunFailed && failure.get().getMessage().startsWith(
                    "run interrupted on request before cutover"), String.valueOf(failure.get()));
            assertNull(w.saved().orElseThrow().pendingSchemaChange(), "the ALTER was saved as applied");

            // The crash state: the ALTER pending (it ran, but the state does not say so).
            pair.source().exec("UPDATE " + t + " SET extra = 2 WHERE id = 2");
            complete(w.resumingFrom(config, pending));
        }
        assertSameTable(db);
        assertEquals(2, ((Number) pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 2")).intValue());
        assertEquals(1, ((Number) pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 1")).intValue());
    }

    /**
     * ADD COLUMN on a table while it is being copied (it is then copied again under its new schema), then a stop
     * after a row change using the new column: the resumed run completes with the target identical to the source.
     */
    @ParameterizedTest(name = "state in {0}")
    @ValueSource(strings = {"file", "db"})
    void aRunStoppedAfterASchemaChangeMidCopyResumes(String where) throws Exception {
        var w = new Where(where);
        String db = seeded("ddl_midcopy_" + where, 1111);
        String t = "`" + db + "`.t1";
        CopydbConfig config = w.config(db);
        var batches = new AtomicInteger();
        var armed = new AtomicBoolean();
        var ferry = new AtomicReference<Ferry>();
        var ddl = new AtomicReference<Thread>();
        try (var f = new Ferry(config, new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (batches.incrementAndGet() == 2) {
                    // From another thread: the copy may hold source row locks the ALTER waits for.
                    ddl.set(Thread.ofVirtual().start(() -> {
                        armed.set(true);
                        pair.source().exec("ALTER TABLE " + t + " ADD COLUMN extra VARCHAR(20) DEFAULT 'dflt'",
                                "UPDATE " + t + " SET extra = 'set mid-copy' WHERE id IN (1, 1000)");
                    }));
                }
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                if (armed.get()) {
                    ferry.get().requestStop();
                }
            }
        })) {
            ferry.set(f);
            expectStopped(f);
        }
        ddl.get().join();
        RunState state = w.saved().orElseThrow();
        assertTrue(hasColumn(state, new TableId(db, "t1"), "extra"), "the saved schema follows the ADD COLUMN");
        pair.source().exec("UPDATE " + t + " SET extra = 'while down' WHERE id = 2");
        complete(w.resuming(config));
        assertSameTable(db);
        assertEquals("set mid-copy", pair.target().scalar("SELECT extra FROM " + t + " WHERE id = 1000"));
    }
}

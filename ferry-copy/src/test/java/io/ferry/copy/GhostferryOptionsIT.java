package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ghostferry's {@code DisableCutover}, {@code AllowSuperUserOnReadOnly} and {@code SkipForeignKeyConstraintsCheck}
 * on the pair. The read-only tests change the target's {@code read_only} and restore it.
 */
@MySqlPair
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GhostferryOptionsIT {
    private final TestPair pair;
    private final List<String> dropUsersAfterwards = new ArrayList<>();

    @TempDir
    Path dir;

    GhostferryOptionsIT(TestPair pair) {
        this.pair = pair;
    }

    @AfterEach
    void dropUsers() {
        for (String user : dropUsersAfterwards) {
            pair.target().exec("DROP USER IF EXISTS '" + user + "'@'%'", "DROP USER IF EXISTS '" + user + "'@'localhost'");
        }
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(40))");
        pair.source().insertRows("`" + db + "`.t", "id, v", rows, i -> "(" + i + ", 'row " + i + "')");
        return db;
    }

    @Test
    void disableCutoverKeepsTheTargetInStepUntilStoppedAndNeverCutsOver() throws Exception {
        String db = seeded("nocutover", 300);
        Path state = dir.resolve("state.json");
        try (var callbacks = new CallbackServer()) {
            var config = TestConfigs.copydb(pair, """
                    "DisableCutover": true, "AutomaticCutover": true, "StateFilename": "%s",
                    "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}"""
                    .formatted(state, callbacks.url("/lock"), callbacks.url("/unlock")), db);
            assertTrue(config.describe().contains("no cutover (DisableCutover)"), config.describe());
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runQuietly(ferry));
                await(() -> ferry.phase() == RunPhase.WAIT_FOR_CUTOVER, "the end of the row copy", run);
                pair.source().exec("INSERT INTO `" + db + "`.t VALUES (1000, 'after the copy')",
                        "UPDATE `" + db + "`.t SET v = 'changed' WHERE id = 7", "DELETE FROM `" + db + "`.t WHERE id = 8");
                await(() -> "after the copy".equals(pair.target().scalar("SELECT v FROM `" + db + "`.t WHERE id = 1000")),
                        "the insert on the target", run);
                await(() -> "changed".equals(pair.target().scalar("SELECT v FROM `" + db + "`.t WHERE id = 7")),
                        "the update on the target", run);
                Thread.sleep(1500); // AutomaticCutover is set and the target is caught up: a cutover would start now
                assertEquals(RunPhase.WAIT_FOR_CUTOVER, ferry.phase());
                assertEquals(List.of(), callbacks.requests(), "a cutover callback was posted");

                ferry.requestStop();
                var failure = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(RunFailed.class, failure);
                assertTrue(failure.getMessage().contains("state is saved to " + state), failure.getMessage());
            }
            assertEquals(List.of(), callbacks.requests());
        }
        assertTrue(Files.readString(state).contains("LastWrittenBinlogPosition"));
        pair.assertIdentical(db, "t");
    }

    @Test
    void aReadOnlyTargetIsRefusedUnlessFerrysUserMayWriteThroughIt() throws Exception {
        String db = seeded("readonly", 120);
        pair.target().exec("SET GLOBAL read_only = ON");
        try {
            var refused = assertThrows(PreconditionFailed.class,
                    () -> new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE).plan());
            assertTrue(refused.getMessage().contains("is read-only (read_only=ON)")
                    && refused.getMessage().contains("\"AllowSuperUserOnReadOnly\": true"), refused.getMessage());

            // ferry's test user holds SUPER and CONNECTION_ADMIN: it writes through read_only.
            try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"AllowSuperUserOnReadOnly\": true", db), RunHooks.NONE)) {
                ferry.run();
            }
            pair.assertIdentical(db, "t");
            assertEquals("1", String.valueOf(pair.target().scalar("SELECT @@GLOBAL.read_only")));

            ServerEndpoint plain = targetUserWithoutSuper();
            var lacking = assertThrows(PreconditionFailed.class, () -> new Ferry(TestConfigs.copydb(
                    TestConfigs.server(pair.source().endpoint()), TestConfigs.server(plain),
                    "\"AllowSuperUserOnReadOnly\": true", db), RunHooks.NONE).plan());
            assertTrue(lacking.getMessage().contains("cannot write through read_only")
                    && lacking.getMessage().contains("GRANT CONNECTION_ADMIN ON *.* TO '" + plain.user() + "'"),
                    lacking.getMessage());

            if (pair.target().info().isMariaDb()) {
                return; // MariaDB has no super_read_only
            }
            pair.target().exec("SET GLOBAL super_read_only = ON");
            var superReadOnly = assertThrows(PreconditionFailed.class, () -> new Ferry(
                    TestConfigs.copydb(pair, "\"AllowSuperUserOnReadOnly\": true", db), RunHooks.NONE).plan());
            assertTrue(superReadOnly.getMessage().contains("super_read_only=ON"), superReadOnly.getMessage());
        } finally {
            pair.target().exec("SET GLOBAL read_only = OFF"); // also ends super_read_only
        }
    }

    /** A user on the target with the privileges ferry needs there, but none that writes through read_only. */
    private ServerEndpoint targetUserWithoutSuper() {
        ServerEndpoint t = pair.target().endpoint();
        String user = "ferry_plain_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        String password = "plain-pw-1";
        pair.target().exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES ON *.* TO '" + user + "'@'%'");
        pair.target().exec("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES ON *.* TO '" + user + "'@'localhost'");
        dropUsersAfterwards.add(user);
        return new ServerEndpoint(t.role(), t.host(), t.port(), user, password, t.rootUser(), t.rootPassword());
    }

    @Test
    void aForeignKeyToATableNotCopiedIsRefusedUnlessTheCheckIsSkipped() throws Exception {
        String db = pair.newDatabase("fk_outside");
        pair.source().exec("CREATE TABLE `" + db + "`.parent (id INT PRIMARY KEY)",
                "CREATE TABLE `" + db + "`.child (id INT PRIMARY KEY, parent_id INT,"
                        + " CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES `" + db + "`.parent (id))",
                "INSERT INTO `" + db + "`.parent VALUES (1), (2)",
                "INSERT INTO `" + db + "`.child VALUES (10, 1), (11, 2), (12, NULL)");
        // Both tables copied: foreign keys are fine.
        new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE).plan();

        String onlyChild = "\"Tables\": {\"Blacklist\": [\"parent\"]}";
        var refused = assertThrows(PreconditionFailed.class,
                () -> new Ferry(TestConfigs.copydb(pair, onlyChild, db), RunHooks.NONE).plan());
        assertTrue(refused.getMessage().contains(db + ".child: foreign key child_parent references " + db
                + ".parent, which is not copied") && refused.getMessage().contains("\"SkipForeignKeyConstraintsCheck\": true"),
                refused.getMessage());

        try (var ferry = new Ferry(TestConfigs.copydb(pair, onlyChild + ", \"SkipForeignKeyConstraintsCheck\": true", db),
                RunHooks.NONE)) {
            ferry.run();
        }
        pair.assertIdentical(db, "child");
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = 'parent'", db));
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

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.DataWriter;
import io.ferry.testing.ExtraServers;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RunFerryFromReplica} (Ghostferry issue #19): a run reading from a replica while the application writes to
 * the master. The replica is made to lag at cutover (its SQL thread stopped when {@code CutoverLock} is called, after
 * the master's last writes); the cutover waits until it has applied them, so the target ends identical to the
 * master. Without the wait the run would stop at the replica's position, short of the master's last writes.
 */
@MySqlPair
@Timeout(300)
class ReplicaSourceIT {
    private final TestPair pair;
    private final TestServer replica = ExtraServers.replica();
    @TempDir
    Path dir;

    ReplicaSourceIT(TestPair pair) {
        this.pair = pair;
    }

    @AfterEach
    void replicationRuns() {
        replica.exec("START SLAVE SQL_THREAD");
    }

    @Test
    void theCutoverWaitsForTheReplicaToApplyTheMastersLastWrites() throws Exception {
        String db = seeded("replica_wait", 600);
        String t = "`" + db + "`.t1";
        try (var callbacks = new CallbackServer()) {
            var writer = new DataWriter(pair.source(), t, 2);
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    lagBehindLastWrites(writer, t);
                    // The replica resumes a while after the lock: the cutover must wait for it.
                    Thread.ofVirtual().start(() -> {
                        sleep(Duration.ofMillis(1500));
                        replica.exec("START SLAVE SQL_THREAD");
                    });
                }
                return 200;
            });
            CopydbConfig config = config(db, callbacks, "");
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                ferry.run();
                assertEquals(RunPhase.DONE, ferry.phase());
            }
            assertTrue(writer.writes() > 0, "the writer wrote nothing during the copy");
        }
        assertEquals(10L, count(pair.target(), t + " WHERE id >= 1000000"), "the master's last writes reached the target");
        TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
    }

    @Test
    void aReplicaThatDoesNotCatchUpInTimeFailsTheCutoverAndTheRunResumes() throws Exception {
        String db = seeded("replica_timeout", 300);
        String t = "`" + db + "`.t1";
        Path state = dir.resolve("state.json");
        try (var callbacks = new CallbackServer()) {
            var writer = new DataWriter(pair.source(), t, 1);
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    lagBehindLastWrites(writer, t);
                }
                return 200;
            });
            String extra = "\"WaitForReplicationTimeout\": \"1s\", \"StateFilename\": \"" + state + "\"";
            CopydbConfig config = config(db, callbacks, extra);
            Instant start;
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                start = Instant.now();
                RunFailed failed = assertThrows(RunFailed.class, ferry::run);
                assertTrue(failed.getMessage().startsWith("the source replica had not applied the master's binlog up to"),
                        failed.getMessage());
                assertTrue(failed.getMessage().contains("within WaitForReplicationTimeout (1000 ms)"), failed.getMessage());
                assertTrue(failed.getMessage().contains("SQL thread running: No"), failed.getMessage());
                assertTrue(failed.getMessage().contains("CutoverLock was called and CutoverUnlock was not"),
                        failed.getMessage());
            }
            assertTrue(callbacks.requests("/unlock").isEmpty(), "CutoverUnlock was called after a failed cutover");
            assertTrue(Files.exists(state), "no state saved");

            replica.exec("START SLAVE SQL_THREAD");
            callbacks.respondWith(r -> 200);
            try (var ferry = new Ferry(config.withState(config.state().withStateToResumeFrom(
                    StateCodec.toJson(StateCodec.fromJson(Files.readString(state))))), RunHooks.NONE)) {
                ferry.run();
                assertEquals(RunPhase.DONE, ferry.phase());
            }
        }
        TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
    }

    @Test
    void preflightRefusesAMasterThatIsTheSourceItself() throws Exception {
        String db = seeded("replica_self", 10);
        String extra = """
                "RunFerryFromReplica": true, "SourceReplicationMaster": %s""".formatted(
                TestConfigs.server(replica.endpoint()));
        CopydbConfig config = TestConfigs.copydb(TestConfigs.server(replica.endpoint()),
                TestConfigs.server(pair.target().endpoint()), extra, db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            var refused = assertThrows(PreconditionFailed.class, ferry::plan);
            assertTrue(refused.getMessage().contains("has the source's server_id: it is the source itself"),
                    refused.getMessage());
        }
    }

    @Test
    void preflightRefusesASourceThatIsNotAReplica() throws Exception {
        String db = seeded("replica_none", 10);
        String extra = """
                "RunFerryFromReplica": true, "SourceReplicationMaster": %s""".formatted(
                TestConfigs.server(replica.endpoint()));
        // The pair's source replicates from nothing.
        CopydbConfig config = TestConfigs.copydb(pair, extra, db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            var refused = assertThrows(PreconditionFailed.class, ferry::plan);
            assertTrue(refused.getMessage().startsWith("RunFerryFromReplica: the source is not a replica"),
                    refused.getMessage());
        }
    }

    /**
     * At the lock: the writer stops, the replica's SQL thread stops, and the master takes ten more inserts that the
     * replica has not applied.
     */
    private void lagBehindLastWrites(DataWriter writer, String t) {
        try {
            writer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        replica.exec("STOP SLAVE SQL_THREAD");
        for (int i = 0; i < 10; i++) {
            pair.source().exec("INSERT INTO " + t + " (id, data) VALUES (" + (1_000_000 + i) + ", 'last write " + i + "')");
        }
    }

    private CopydbConfig config(String db, CallbackServer callbacks, String extra) {
        String settings = """
                "RunFerryFromReplica": true, "SourceReplicationMaster": %s, "LockStrategy": "LockInGhostferry",
                "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}%s""".formatted(
                TestConfigs.server(pair.source().endpoint()), callbacks.url("/lock"), callbacks.url("/unlock"),
                extra.isEmpty() ? "" : ", " + extra);
        return TestConfigs.copydb(TestConfigs.server(replica.endpoint()), TestConfigs.server(pair.target().endpoint()),
                settings, db);
    }

    /** A database the replica replicates, with {@code rows} rows in t1, present on the replica. */
    private String seeded(String hint, int rows) throws InterruptedException {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.t1", "id, data", rows, i -> "(" + i + ", 'row " + i + "')");
        Instant deadline = Instant.now().plusSeconds(30);
        while (count(replica, "information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'") == 0
                || count(replica, "`" + db + "`.t1") < rows) {
            assertTrue(Instant.now().isBefore(deadline), () -> "the replica did not replicate " + db + " within 30 s;"
                    + " its last replication error: " + replica.query("SHOW SLAVE STATUS").stream().findFirst()
                    .map(Object::toString).orElse("(it replicates from nothing)"));
            Thread.sleep(50);
        }
        return db;
    }

    private static long count(TestServer server, String from) {
        return ((Number) server.scalar("SELECT COUNT(*) FROM " + from)).longValue();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.DataMismatch;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.DataSources;
import io.ferry.testing.DataWriter;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The target verifier ({@code "SkipTargetVerification": false}): a write to a copied table on the target by anyone
 * but the run fails the run, naming the table and the row's key; the run's own writes (row copy batches, the binlog
 * apply's multi-statement transactions) never do. Needs the target's binlog with annotated row events, which
 * MariaDB has by default.
 */
@MySqlPair
@Timeout(180)
class TargetVerifierIT {
    private final TestPair pair;

    TargetVerifierIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aDirectTargetWriteDuringTheCopyFailsTheRunNamingTheTableAndKey() throws Exception {
        String db = seeded("tv_direct", 500);
        var wrote = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (wrote.compareAndSet(false, true)) {
                    writeAsSomeoneElse("UPDATE `" + db + "`.t1 SET data = 'written on the target' WHERE id = 7");
                }
            }
        };
        CopydbConfig config = TestConfigs.copydb(pair, "\"SkipTargetVerification\": false", db);
        try (var ferry = new Ferry(config, hooks)) {
            DataMismatch found = assertThrows(DataMismatch.class, ferry::run);
            assertTrue(found.getMessage().startsWith("the target table " + new TableId(db, "t1")
                    + " was changed by someone other than this ferry run: the row with key id=7, at "), found.getMessage());
            assertTrue(found.getMessage().contains("the statement: /*application:dba*/ UPDATE `" + db + "`.t1 SET"),
                    found.getMessage());
            assertTrue(found.getMessage().endsWith("set \"SkipTargetVerification\": true only if such writes are"
                    + " expected"), found.getMessage());
        }
    }

    @Test
    void theRunsOwnWritesAreNotReported() throws Exception {
        String db = seeded("tv_own", 1500);
        try (var writer = new DataWriter(pair.source(), "`" + db + "`.t1", 2)) {
            var hooks = new RunHooks() {
                @Override
                public void rowCopyCompleted() throws InterruptedException {
                    writer.stop();
                }
            };
            CopydbConfig config = TestConfigs.copydb(pair, "\"SkipTargetVerification\": false", db);
            try (var ferry = new Ferry(config, hooks)) {
                ferry.run();
                assertEquals(RunPhase.DONE, ferry.phase());
            }
            assertTrue(writer.writes() > 0, "the writer wrote nothing during the copy");
        }
        TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
    }

    @Test
    void skippedTheTargetVerifierDoesNotRun() throws Exception {
        String db = seeded("tv_skipped", 300);
        var wrote = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (wrote.compareAndSet(false, true)) {
                    writeAsSomeoneElse("INSERT INTO `" + db + "`.t1 (id, data) VALUES (100000, 'target only')");
                }
            }
        };
        CopydbConfig config = TestConfigs.copydb(pair, "\"SkipTargetVerification\": true,"
                + " \"VerifierType\": \"NoVerification\"", db);
        try (var ferry = new Ferry(config, hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertEquals(1L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM `" + db + "`.t1 WHERE id = 100000"))
                .longValue());
    }

    @Test
    void preflightRefusesATargetUserThatCannotReadTheBinlog() throws Exception {
        String db = seeded("tv_grants", 10);
        String user = "ferry_tv_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        pair.target().exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON *.* TO '" + user + "'@'%'");
        try {
            ServerEndpoint t = pair.target().endpoint();
            CopydbConfig config = TestConfigs.copydb(TestConfigs.server(pair.source().endpoint()),
                    TestConfigs.server(new ServerEndpoint("target", t.host(), t.port(), user, "pw", t.rootUser(),
                            t.rootPassword())), "\"SkipTargetVerification\": false", db);
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                var refused = assertThrows(PreconditionFailed.class, ferry::plan);
                assertTrue(refused.getMessage().startsWith("\"SkipTargetVerification\": false makes ferry watch the"
                        + " target's binlog for writes by others, but the target user " + user + " cannot read the target's"
                        + " binlog"), refused.getMessage());
                assertTrue(refused.getMessage().contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '"
                        + user + "'"), refused.getMessage());
            }
        } finally {
            pair.target().exec("DROP USER '" + user + "'@'%'");
        }
    }

    /** A write on the target by another client, which marks its statements its own way. */
    private void writeAsSomeoneElse(String sql) {
        try (Connection c = DataSources.connect(pair.target().endpoint().rootConfig().withMarginalia("application:dba"));
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String seeded(String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.t1", "id, data", rows, i -> "(" + i + ", 'row " + i + "')");
        return db;
    }
}

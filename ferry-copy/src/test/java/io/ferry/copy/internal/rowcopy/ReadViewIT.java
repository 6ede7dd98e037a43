package io.ferry.copy.internal.rowcopy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The read views of {@code LockInGhostferry} batches on each engine: a snapshot that must include a change already
 * read from the binlog waits until the change is visible, and fails clearly when it never becomes so. MariaDB: by the
 * snapshot's binlog position; MySQL: by the change's GTID.
 */
@MySqlPair
class ReadViewIT {
    private final TestPair pair;
    private final String db;
    private final boolean mariaDb;

    ReadViewIT(TestPair pair) throws Exception {
        this.pair = pair;
        this.db = pair.database();
        try (Connection c = pair.source().connect()) {
            this.mariaDb = ServerInfo.of(c).isMariaDb();
        }
        pair.source().exec("DROP TABLE IF EXISTS " + db + ".t", "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".t VALUES (1)");
    }

    @Test
    void aSnapshotThatMustCoverAPositionWaitsUntilTheChangeThereIsVisible() throws Exception {
        if (!mariaDb) {
            aMySqlSnapshotThatMustCoverAGtidWaitsUntilItsTransactionIsCommitted();
            return;
        }
        TableId table = new TableId(db, "t");
        try (Connection c = pair.source().connect()) {
            BinlogPosition now = currentPosition(c);
            // Covering what is already committed needs no wait, nor does covering nothing.
            ReadView.open(c, now, table);
            c.createStatement().execute("ROLLBACK");
            ReadView.open(c, null, table);
            c.createStatement().execute("ROLLBACK");

            // A position one byte past the end of the binlog is covered only once another commit is visible.
            BinlogPosition ahead = new BinlogPosition(now.file(), now.offset() + 1);
            var writer = CompletableFuture.runAsync(() -> {
                sleep(300);
                pair.source().exec("INSERT INTO " + db + ".t VALUES (2)");
            });
            BinlogPosition visible = ReadView.open(c, ahead, table, Duration.ofSeconds(20));
            assertTrue(visible.compareTo(ahead) >= 0, visible + " does not cover " + ahead);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + db + ".t")) {
                rs.next();
                // No commit was logged past `now` until the writer's (in CI nothing else writes), so the snapshot
                // must hold its row; with other writers the first commit after `now` may be theirs.
                assertTrue(rs.getInt(1) == 2 || !writer.isDone(), "the snapshot must include the change it waited for");
            }
            c.createStatement().execute("ROLLBACK");
            writer.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aChangeThatNeverBecomesVisibleFailsTheReadClearly() throws Exception {
        TableId table = new TableId(db, "t");
        if (!mariaDb) {
            try (Connection c = pair.source().connect()) {
                String never = UUID.randomUUID() + ":1"; // a transaction of a server that does not exist
                var e = assertThrows(RunFailed.class,
                        () -> ReadView.openAfterGtids(c, never, table, Duration.ofMillis(200)));
                assertTrue(e.getMessage().contains("still not committed on the source") && e.getMessage().contains(never),
                        e.getMessage());
            }
            return;
        }
        try (Connection c = pair.source().connect()) {
            BinlogPosition now = currentPosition(c);
            var never = new BinlogPosition(now.file(), now.offset() + 1_000_000_000L);
            var e = assertThrows(RunFailed.class, () -> ReadView.open(c, never, table, Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("is still not visible on the source"), e.getMessage());
        }
    }

    /** MySQL: the transaction after the last one the source committed is waited for, then seen. */
    private void aMySqlSnapshotThatMustCoverAGtidWaitsUntilItsTransactionIsCommitted() throws Exception {
        TableId table = new TableId(db, "t");
        try (Connection c = pair.source().connect()) {
            String uuid = (String) pair.source().scalar("SELECT @@server_uuid");
            String executed = (String) pair.source().scalar("SELECT @@GLOBAL.gtid_executed");
            // Covering what is committed needs no wait.
            ReadView.openAfterGtids(c, executed, table, Duration.ofSeconds(5));
            c.createStatement().execute("ROLLBACK");

            Matcher m = Pattern.compile(Pattern.quote(uuid) + ":(?:\\d+-)?(\\d+)").matcher(executed.replaceAll("\\s", ""));
            assertTrue(m.find(), executed);
            String next = uuid + ":" + (Long.parseLong(m.group(1)) + 1);
            var writer = CompletableFuture.runAsync(() -> {
                sleep(300);
                pair.source().exec("INSERT INTO " + db + ".t VALUES (2)");
            });
            ReadView.openAfterGtids(c, next, table, Duration.ofSeconds(20));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + db + ".t")) {
                rs.next();
                // The next transaction is the writer's unless another client committed first (none does in CI).
                assertTrue(rs.getInt(1) == 2 || !writer.isDone(), "the snapshot must include the change it waited for");
            }
            c.createStatement().execute("ROLLBACK");
            writer.get(20, TimeUnit.SECONDS);
        }
    }

    private static BinlogPosition currentPosition(Connection c) throws Exception {
        return BinlogStreamer.currentPosition(c);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

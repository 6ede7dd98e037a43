package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code LockInGhostferry} never misses a change the applier has already passed. A source transaction reaches the
 * binlog, and so ferry's applier, a moment before other sessions see its rows; when the applier has applied it (as
 * a no-op, its row not copied yet) and the copy then reads that row before the transaction is visible, the copy
 * writes the old row and nothing ever brings the change.
 *
 * <p>On MySQL the test widens that moment to a second: with {@code sync_binlog=0} a transaction's events go to
 * replicas as soon as they are written, and {@code binlog_group_commit_sync_delay} then holds its commit (set
 * globally on the test source for the one transaction, and restored). Ferry's batches on MySQL wait for the GTIDs
 * the streamer has read before they take their snapshot, so the row arrives with the change. On MariaDB, whose
 * snapshots report their binlog position, the same sequence runs without the delay.
 */
@MySqlPair
class LockInGhostferryIT {
    private static final int DELAY_MICROS = 1_000_000;
    private final TestPair pair;

    LockInGhostferryIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aBatchIncludesAChangeTheApplierPassedBeforeItWasVisible() throws Exception {
        boolean mysql;
        try (Connection c = pair.source().connect()) {
            mysql = !ServerInfo.of(c).isMariaDb();
        }
        String db = pair.newDatabase("lockinferry");
        String t = "`" + db + "`.t";
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + t + " VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
        if (mysql) {
            assertEquals("0", String.valueOf(pair.source().scalar("SELECT @@GLOBAL.sync_binlog")),
                    "the test source must hand out events before it syncs them (sync_binlog=0)");
        }
        var applied = new CountDownLatch(1);
        var started = new AtomicBoolean();
        var change = new AtomicBoolean();
        var update = new CompletableFuture<Void>();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) throws InterruptedException {
                if (!started.compareAndSet(false, true)) {
                    return;
                }
                // Row 1 is copied; row 4 is not. Its change is applied (as a no-op) before the copy reads it.
                Thread.ofVirtual().start(() -> {
                    try {
                        if (mysql) {
                            pair.source().exec("SET GLOBAL binlog_group_commit_sync_delay = " + DELAY_MICROS);
                        }
                        try {
                            change.set(true);
                            pair.source().exec("UPDATE " + t + " SET v = 99 WHERE id = 4");
                        } finally {
                            if (mysql) {
                                pair.source().exec("SET GLOBAL binlog_group_commit_sync_delay = 0");
                            }
                        }
                        update.complete(null);
                    } catch (Throwable e) {
                        update.completeExceptionally(e);
                    }
                });
                assertTrue(applied.await(30, TimeUnit.SECONDS), "the update was not applied");
            }

            @Override
            public void afterBinlogApply(int rowChanges) {
                if (change.get() && rowChanges > 0) {
                    applied.countDown();
                }
            }
        };
        try {
            String config = "\"LockStrategy\": \"LockInGhostferry\", \"DataIterationBatchSize\": 1,"
                    + " \"DataIterationConcurrency\": 1";
            try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
                ferry.run();
            }
            update.get(30, TimeUnit.SECONDS);
        } finally {
            if (mysql) {
                pair.source().exec("SET GLOBAL binlog_group_commit_sync_delay = 0");
            }
        }
        assertEquals(99, ((Number) pair.source().scalar("SELECT v FROM " + t + " WHERE id = 4")).intValue());
        pair.assertIdentical(db, "t");
    }
}

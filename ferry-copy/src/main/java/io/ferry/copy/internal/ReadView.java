package io.ferry.copy.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The read view of a {@code LockInGhostferry} batch on MariaDB: a consistent snapshot whose binlog position covers
 * every change of the table that the applier has already applied. Without it, a change logged (and applied as a
 * no-op, its rows not yet on the target) but not yet visible to readers would be missed by the batch for good.
 * The gap between a transaction's binlog write and its visibility is short, so waiting for it is brief.
 */
final class ReadView {
    /** Far beyond any real gap between a binlog write and the engine commit; reaching it means something is wrong. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private ReadView() {
    }

    /**
     * Starts a snapshot on {@code c} that includes every change logged up to {@code mustCover} (none: any snapshot
     * will do), rolling back and starting again while those changes are still becoming visible. The caller holds
     * the table's copy lock, so {@code mustCover} does not move meanwhile. Returns the snapshot's position.
     */
    static BinlogPosition open(Connection c, BinlogPosition mustCover, TableId table)
            throws SQLException, InterruptedException {
        return open(c, mustCover, table, MAX_WAIT);
    }

    static BinlogPosition open(Connection c, BinlogPosition mustCover, TableId table, Duration maxWait)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (int attempt = 1; ; attempt++) {
            BinlogPosition visible = TableSnapshot.startOnMariaDb(c);
            if (mustCover == null || visible.compareTo(mustCover) >= 0) {
                return visible;
            }
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            }
            if (System.nanoTime() > deadline) {
                throw new RunFailed("a change of " + table + " applied from the binlog at " + mustCover
                        + " is still not visible on the source after " + maxWait.toMillis() + " ms (its snapshots "
                        + "stop at " + visible + "); the source may be stalled committing that transaction");
            }
            Thread.sleep(Math.min(attempt, 20));
        }
    }
}

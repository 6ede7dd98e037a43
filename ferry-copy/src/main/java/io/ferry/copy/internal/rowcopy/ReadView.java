package io.ferry.copy.internal.rowcopy;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The read view of a {@code LockInGhostferry} batch: a consistent snapshot that holds every change of the table the
 * applier has already applied. Without it, a change logged (and applied as a no-op, its rows not yet on the target)
 * but not yet visible to readers would be missed by the batch for good. The gap between a transaction's binlog write
 * and its visibility is short, so waiting for it is brief.
 * <ul>
 *   <li>MariaDB: a snapshot whose binlog position ({@code Binlog_snapshot_position}) covers the table's last
 *       applied change; taken again until it does.</li>
 *   <li>MySQL reports no snapshot position. There the snapshot is started once every transaction the streamer has
 *       read is in {@code gtid_executed} ({@code WAIT_FOR_EXECUTED_GTID_SET}), which MySQL updates only after the
 *       engine commit: so it includes them all, the applied ones among them. Needs {@code gtid_mode=ON}, which
 *       preflight checks.</li>
 * </ul>
 */
public final class ReadView {
    /** Far beyond any real gap between a binlog write and the engine commit; reaching it means something is wrong. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** The isolation level applies to the next transaction only. */
    private static final String START =
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT";
    /** Snapshots are taken again until one covers the change, a few milliseconds apart; the deadline bounds it. */
    private static final RetryPolicy UNTIL_VISIBLE = new RetryPolicy(Integer.MAX_VALUE,
            (retry, e) -> Duration.ofMillis(Math.min(retry, 20)), e -> e instanceof NotYetVisible);

    private ReadView() {
    }

    /** Starts the read view of a batch of {@code table} on {@code c}; the caller holds the table's copy lock. */
    static void open(Connection c, CopyLocking.InProcess locking, TableId table, ServerInfo source)
            throws SQLException, InterruptedException {
        if (source.isMariaDb()) {
            open(c, locking.lastApplied(table), table);
        } else {
            openAfterGtids(c, locking.gtidsSeen(), table, MAX_WAIT);
        }
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
        return UNTIL_VISIBLE.run(() -> {
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
            throw new NotYetVisible();
        }, RetryPolicy.OnRetry.SILENT);
    }

    /** The snapshot does not yet cover the change: take another one. */
    private static final class NotYetVisible extends RuntimeException {
        NotYetVisible() {
            super(null, null, false, false);
        }
    }

    /**
     * Waits (at most {@code maxWait}) until every transaction of the GTID set {@code mustBeExecuted} is committed on
     * the MySQL source {@code c}, then starts a consistent snapshot there, which therefore includes them.
     */
    static void openAfterGtids(Connection c, String mustBeExecuted, TableId table, Duration maxWait)
            throws SQLException {
        if (mustBeExecuted == null) {
            throw new RunFailed("cannot read a batch of " + table + " with LockInGhostferry: the binlog streamer has"
                    + " not reported the source's GTIDs (is gtid_mode=ON on the source?)");
        }
        if (!mustBeExecuted.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)")) {
                ps.setString(1, mustBeExecuted);
                ps.setDouble(2, maxWait.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 0) {
                        throw new RunFailed("transactions the binlog applier already applied to " + table
                                + " are still not committed on the source after " + maxWait.toMillis() + " ms (GTIDs "
                                + shortened(mustBeExecuted) + " are not all in gtid_executed); the source may be"
                                + " stalled committing them");
                    }
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute(START);
        }
    }

    private static String shortened(String gtids) {
        String one = gtids.replaceAll("\\s+", "");
        return one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}

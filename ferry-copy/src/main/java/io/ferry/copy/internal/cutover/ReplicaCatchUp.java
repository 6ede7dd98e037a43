package io.ferry.copy.internal.cutover;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.RunFailed;
import io.ferry.core.config.ReplicaSourceConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cutover's wait for a replica source (Ghostferry issue #19). Once {@code CutoverLock} has stopped the
 * application, the master's binlog position is read; the replica is then polled until it has applied the master's
 * binlog up to there. Only then is the stop position read from the replica, so that it covers the last writes made
 * on the master. Without the wait, writes the replica had not applied yet would never reach the target.
 */
public final class ReplicaCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCatchUp.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String UNLOCK = "CutoverLock was called and CutoverUnlock was not: release the application's"
            + " lock if it must not wait";

    private final ReplicaSourceConfig config;
    private final ReplicatedMasterPosition applied;
    private final RetryPolicy reads;
    private final InstantSource clock;

    public ReplicaCatchUp(ReplicaSourceConfig config, int readRetries, InstantSource clock) {
        this.config = config;
        this.applied = new ReplicatedMasterPosition(config.positionQuery());
        this.reads = RetryPolicy.of(readRetries);
        this.clock = clock;
    }

    /**
     * Returns once the replica behind {@code replicaPool} has applied everything the master had logged when this
     * was called.
     *
     * @throws RunFailed when the master is no longer writable, a position cannot be read, or the replica does not
     *                   catch up within {@code WaitForReplicationTimeout}
     */
    public void await(DataSource replicaPool) throws InterruptedException {
        BinlogPosition target = masterPosition();
        Instant start = clock.instant();
        LOG.info("waiting for the source replica to apply the master's binlog up to {} ({})", target,
                config.waitTimeout() == null ? "no time limit" : "at most " + config.waitTimeout().toMillis() + " ms");
        try (Connection replica = reads.run(replicaPool::getConnection,
                reads.warning(LOG, "connecting to the source replica for cutover"))) {
            while (true) {
                BinlogPosition reached = appliedPosition(replica);
                if (reached.compareTo(target) >= 0) {
                    LOG.info("the source replica has applied the master's binlog up to {} (>= {}) after {} ms", reached,
                            target, Duration.between(start, clock.instant()).toMillis());
                    return;
                }
                Duration waited = Duration.between(start, clock.instant());
                if (config.waitTimeout() != null && waited.compareTo(config.waitTimeout()) >= 0) {
                    throw new RunFailed("the source replica had not applied the master's binlog up to " + target
                            + " within WaitForReplicationTimeout (" + config.waitTimeout().toMillis() + " ms): it has"
                            + " applied up to " + reached + " (" + ReplicatedMasterPosition.replicaState(replica)
                            + "). Stopping at the replica's position would lose the master's last writes. Make the"
                            + " replica catch up (or raise WaitForReplicationTimeout) and resume the run; " + UNLOCK);
                }
                Thread.sleep(POLL);
            }
        } catch (SQLException e) {
            throw new RunFailed("reading the source replica's applied master position (" + applied.describe()
                    + ") for cutover failed: " + e.getMessage() + "; " + UNLOCK, e);
        }
    }

    private BinlogPosition appliedPosition(Connection replica) throws SQLException, InterruptedException {
        try {
            return reads.run(() -> applied.read(replica),
                    reads.warning(LOG, "reading the source replica's applied master position"));
        } catch (IllegalStateException e) {
            throw new RunFailed(e.getMessage() + "; " + UNLOCK, e);
        }
    }

    /** The master's position now; refused when the master became read-only (a failover, most likely). */
    private BinlogPosition masterPosition() throws InterruptedException {
        try {
            return reads.run(() -> {
                try (Connection master = DataSources.connect(config.master())) {
                    if (isReadOnly(master)) {
                        throw new RunFailed("SourceReplicationMaster " + config.master().describe() + " is read-only"
                                + " now: it is no longer the writable master (a failover?), so waiting for the replica"
                                + " to reach its position proves nothing. Point SourceReplicationMaster at the current"
                                + " master and resume the run (stop the application's writes with CutoverLock, not with"
                                + " read_only on the master); " + UNLOCK);
                    }
                    return BinlogStreamer.currentPosition(master);
                }
            }, reads.warning(LOG, "reading the master's binlog position for cutover"));
        } catch (SQLException e) {
            throw new RunFailed("reading the binlog position of SourceReplicationMaster " + config.master().describe()
                    + " for cutover failed: " + e.getMessage() + "; " + UNLOCK, e);
        }
    }

    /** Ghostferry's test of a master: {@code read_only} off. */
    public static boolean isReadOnly(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@global.read_only")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

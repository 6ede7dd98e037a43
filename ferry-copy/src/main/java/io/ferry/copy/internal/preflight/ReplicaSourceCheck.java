package io.ferry.copy.internal.preflight;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.copy.internal.cutover.ReplicaCatchUp;
import io.ferry.copy.internal.cutover.ReplicatedMasterPosition;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.config.ReplicaSourceConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What {@code RunFerryFromReplica} needs, checked before anything is written, so that the cutover's wait cannot fail
 * on a setting: the master is reachable, writable, logs a binlog and is not the source itself; the source logs the
 * changes it replicates ({@code log_slave_updates}, else ferry would see none of the master's writes); and the
 * applied master position can be read on the source.
 */
final class ReplicaSourceCheck {
    private ReplicaSourceCheck() {
    }

    static void check(ReplicaSourceConfig replica, Connection source) throws SQLException {
        var applied = new ReplicatedMasterPosition(replica.positionQuery());
        BinlogPosition reached;
        try {
            reached = applied.read(source);
        } catch (IllegalStateException e) {
            throw new PreconditionFailed("RunFerryFromReplica: " + e.getMessage());
        } catch (SQLException e) {
            throw new PreconditionFailed("RunFerryFromReplica: reading the applied master position on the source with "
                    + applied.describe() + " failed: " + e.getMessage() + "; fix ReplicatedMasterPositionQuery", e);
        }
        // MySQL 8.0.26+ names it log_replica_updates (8.4 knows no other name); MariaDB log_slave_updates.
        var names = Preflight.variables(source, "log_replica_updates", "log_slave_updates");
        String updates = names.get("log_replica_updates") != null ? names.get("log_replica_updates")
                : names.get("log_slave_updates");
        if (!"ON".equalsIgnoreCase(updates) && !"1".equals(updates)) {
            throw new PreconditionFailed("RunFerryFromReplica: the source does not log the changes it replicates"
                    + " (log_slave_updates is " + updates + "), so its binlog, which ferry follows, would lack the"
                    + " master's writes. Start the replica with log_slave_updates=ON (log_replica_updates on MySQL)");
        }
        try (Connection master = DataSources.connectChecked("SourceReplicationMaster", replica.master())) {
            if (serverId(master) == serverId(source)) {
                throw new PreconditionFailed("SourceReplicationMaster " + replica.master().describe() + " has the"
                        + " source's server_id: it is the source itself, not its master; name the master the source"
                        + " replicates from");
            }
            if (ReplicaCatchUp.isReadOnly(master)) {
                throw new PreconditionFailed("SourceReplicationMaster " + replica.master().describe() + " is"
                        + " read-only (read_only=ON): it is not a writable master. Name the master the source replicates"
                        + " from (stop the application's writes at cutover with CutoverLock, not with read_only)");
            }
            BinlogPosition masterAt = BinlogStreamer.currentPosition(master);
            Preflight.LOG.info("RunFerryFromReplica: the master {} is at {}; the source has applied its binlog up to {}",
                    replica.master().describe(), masterAt, reached);
        }
    }

    private static long serverId(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT @@global.server_id")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.ferry.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * copydb's replica mode ({@code RunFerryFromReplica}): the source is a replica of {@code master}, and the cutover
 * waits, after {@code CutoverLock}, until the replica has applied everything the master had logged at that moment,
 * then takes its stop position from the replica (Ghostferry issue #19: without the wait, the last writes made on
 * the master can miss the target).
 *
 * @param master        the source's master (Ghostferry's {@code SourceReplicationMaster}); it must stay writable
 * @param positionQuery a query run on the replica returning the master binlog file and position it has applied
 *                      ({@code ReplicatedMasterPositionQuery}), or {@code null} to read them from the replica's
 *                      replication status ({@code SHOW REPLICA STATUS}: {@code Relay_Master_Log_File},
 *                      {@code Exec_Master_Log_Pos})
 * @param waitTimeout   the longest wait for the replica ({@code WaitForReplicationTimeout}), or {@code null} for
 *                      no limit (Ghostferry's default)
 */
public record ReplicaSourceConfig(DatabaseConfig master, String positionQuery, Duration waitTimeout) {
    public ReplicaSourceConfig {
        Objects.requireNonNull(master, "master");
    }

    /** For the start-up log line; no secret. */
    public String describe() {
        return "source is a replica of " + master.describe() + "; at cutover waiting "
                + (waitTimeout == null ? "without limit" : "up to " + waitTimeout.toMillis() + " ms")
                + " for it to apply the master's binlog (position from "
                + (positionQuery == null ? "SHOW REPLICA STATUS" : "ReplicatedMasterPositionQuery") + ")";
    }
}

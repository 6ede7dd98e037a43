package io.ferry.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Ghostferry's {@code LagThrottlerConfig}: holds the run back while a lag query, run on its own connection, reports
 * more than {@code maxLag}. Typically the query reads the replication delay of the target's replicas (e.g. a
 * pt-heartbeat table), which the copy's writes would otherwise push up.
 *
 * @param connection          the server the query runs on (its own connection, not the copy's pool)
 * @param maxLag              the largest lag accepted; above it the throttled work waits
 * @param query               a query whose first column of the first row is the lag; NULL or no row is ignored
 * @param updateInterval      how often the query runs
 * @param throttleReplication whether the binlog apply waits too (ferry's {@code ThrottleReplication}; Ghostferry's
 *                            copydb has no lag throttler and its sharding tool throttles both); by default only the
 *                            row copy waits, so replication keeps up and cutover is not delayed
 */
public record LagThrottlerConfig(DatabaseConfig connection, long maxLag, String query, Duration updateInterval,
                                 boolean throttleReplication) {
    public LagThrottlerConfig {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(updateInterval, "updateInterval");
    }

    /** One phrase for the start-up log; the connection without its password. */
    public String describe() {
        return "lag throttler on " + connection.describe() + " (max lag " + maxLag + ", every "
                + updateInterval.toMillis() + " ms, " + (throttleReplication ? "copy and replication" : "copy only") + ")";
    }
}

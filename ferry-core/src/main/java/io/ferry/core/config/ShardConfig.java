package io.ferry.core.config;

import java.util.Objects;

/**
 * The validated config of a {@code ferry shard} run, read by {@link ShardConfigLoader}: the copy run it is built on,
 * whose Databases filter selects {@code sharding.sourceDb()} (renamed to {@code sharding.targetDb()}), and which of
 * that database's rows the move takes.
 *
 * @param copydb   connections, tuning, callbacks, state, verification: everything a copydb config holds
 * @param sharding the tenant and the tables the move takes
 */
public record ShardConfig(CopydbConfig copydb, ShardingConfig sharding) {
    public ShardConfig {
        Objects.requireNonNull(copydb, "copydb");
        Objects.requireNonNull(sharding, "sharding");
    }
}

package io.ferry.copy.shard;

import io.ferry.core.config.ShardingConfig;
import java.util.List;

/** How a table of the tenant's database takes part in a tenant move. */
sealed interface TenantTable {
    /** A table with the sharding key column: the tenant's rows are those with its value. */
    record Sharded(String column) implements TenantTable {
    }

    /** Rows shared between tenants, selected through join tables that have the sharding key; only ever inserted. */
    record Joined(String keyColumn, List<ShardingConfig.JoinedTable> through) implements TenantTable {
    }

    /** Rows selected through one join table and a join condition; only ever inserted. */
    record JoinedThrough(ShardingConfig.JoinedThroughTable through) implements TenantTable {
    }

    /** The table whose single-column primary key is the tenant id (e.g. {@code shops}): one row. */
    record PrimaryKey(String column) implements TenantTable {
    }

    /** Left out of the move, and why. */
    record LeftOut(String reason) implements TenantTable {
    }

    /** For the dry run's table: e.g. {@code sharded by shop_id}. */
    default String describe() {
        return switch (this) {
            case Sharded s -> "sharded by " + s.column();
            case Joined j -> "joined through " + String.join(", ", j.through().stream()
                    .map(t -> t.tableName() + "." + t.joinColumn()).toList()) + " (copied again at cutover)";
            case JoinedThrough j -> "joined through " + j.through().joinTableName() + " ON "
                    + j.through().joinCondition() + " (copied again at cutover)";
            case PrimaryKey p -> "primary-key table: the row " + p.column() + " = tenant (copied at cutover)";
            case LeftOut l -> "left out: " + l.reason();
        };
    }
}

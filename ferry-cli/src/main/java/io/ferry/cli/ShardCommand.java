package io.ferry.cli;

import io.ferry.copy.shard.TenantFilter;
import io.ferry.core.config.ShardConfig;
import io.ferry.core.filter.CopySubset;
import java.io.PrintStream;

/** {@code ferry shard [--dry-run] CONFIG.json}: move one tenant of a multi-tenant database online and cut over. */
final class ShardCommand {
    static final String USAGE = """
            Usage: ferry shard [--dry-run] [--verbose] [--resume-state FILE] CONFIG.json

            Moves one tenant (the rows whose ShardingKey column holds ShardingValue) from SourceDB on the Source to
            TargetDB on the Target while both stay online, keeps the tenant's rows in sync from the source binlog,
            verifies them and cuts over. Other tenants' rows never reach the target. CONFIG.json uses
            ghostferry-sharding's keys (ShardingKey, ShardingValue, SourceDB, TargetDB, JoinedTables,
            PrimaryKeyTables, IgnoredTables, ...) besides copydb's; see README.md, "Moving a tenant".

              --dry-run            check servers, privileges and tables, print how each table is filtered and the
                                   tenant's rows in it, write nothing
              --verbose            log every batch (DEBUG)
              --resume-state FILE  continue the interrupted run whose state FILE holds ("-" reads it from stdin)

            SIGINT/SIGTERM stop the run at a clean point, as for copydb.
            """;

    private ShardCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return CopydbCommand.run("shard", USAGE, args, out, err, (files, e) -> {
            ShardConfig config = ConfigArgument.loadShard("shard", files, USAGE, e);
            if (config == null) {
                return null;
            }
            return new CopydbCommand.Move(config.copydb(), source -> {
                TenantFilter tenant = TenantFilter.load(config.sharding(), source);
                return new CopySubset(tenant, tenant);
            });
        });
    }
}

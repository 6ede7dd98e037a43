package io.ferry.cli;

import io.ferry.copy.shard.TenantFilter;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.ShardConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.VerificationResult;
import io.ferry.verify.StandaloneVerification;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/** {@code ferry verify [--verbose] CONFIG.json}: compare source and target read-only and list every difference. */
final class VerifyCommand {
    static final String USAGE = """
            Usage: ferry verify [--verbose] CONFIG.json

            Compares every table CONFIG.json selects on its Source with its counterpart on its Target (after
            Databases/Tables rewrites), row by row by fingerprint, matched by primary key (or a unique NOT NULL key),
            and prints every difference. Reads only; usable after any migration. IgnoredColumnsForVerification,
            CompressedColumnsForVerification and ForceIndexForVerification apply; "VerifierType": "ChecksumTable"
            compares whole tables with CHECKSUM TABLE instead. Stop writes to both sides first: rows written during
            the comparison may be reported. Given a ferry shard config (one with ShardingKey), it compares the
            tenant's rows only.

              --verbose   log every step (DEBUG)

            Exit status: 0 the target matches; 4 differences were found (listed on stdout); 2 bad usage or
            configuration; 3 a server or table does not allow the comparison; 1 the comparison failed.
            """;

    private VerifyCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            int status = ConfigArgument.common("verify", arg, files, USAGE, out, err);
            if (status != ConfigArgument.GO_ON) {
                return status;
            }
        }
        VerificationResult result;
        if (ConfigArgument.isShardConfig(files)) {
            ShardConfig shard = ConfigArgument.loadShard("verify", files, USAGE, err);
            if (shard == null) {
                return 2;
            }
            TenantFilter tenant;
            try (Connection source = DataSources.connectChecked("Source", shard.copydb().source())) {
                tenant = TenantFilter.load(shard.sharding(), source);
            }
            result = new StandaloneVerification(shard.copydb(), new CopySubset(tenant, tenant)).run();
        } else {
            CopydbConfig config = ConfigArgument.load("verify", files, USAGE, err);
            if (config == null) {
                return 2;
            }
            result = new StandaloneVerification(config).run();
        }
        if (result.dataCorrect()) {
            out.println("ferry verify: the target matches the source");
            return 0;
        }
        out.println("ferry verify: " + result.mismatches().size() + " difference(s) in "
                + result.incorrectTables().size() + " table(s):");
        for (Mismatch m : result.mismatches()) {
            out.println("  " + m.table() + " " + m.describe());
        }
        return 4;
    }
}

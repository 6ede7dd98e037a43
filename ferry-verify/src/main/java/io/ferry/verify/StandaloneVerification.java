package io.ferry.verify;

import io.ferry.core.ConfigException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.core.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry verify}: a read-only comparison of the tables a copydb config selects on its source with their
 * (rewritten) counterparts on its target, usable after any migration. Every row is compared by fingerprint
 * (the Iterative verifier's full scan) unless {@code VerifierType} is {@code ChecksumTable}, which compares whole
 * tables. Rows are matched by the primary key, or else the first unique key of NOT NULL orderable columns; a table
 * with neither is compared as a multiset of row fingerprints (per fingerprint, as many rows on both sides). Both
 * sides should be quiescent: rows written during the comparison may be reported.
 */
public final class StandaloneVerification {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneVerification.class);
    private final CopydbConfig config;
    private final CopySubset subset;

    public StandaloneVerification(CopydbConfig config) {
        this(config, CopySubset.ALL);
    }

    /**
     * A comparison of only {@code subset}: the tables its table filter includes and, in them, the rows its row filter
     * selects on each side (a tenant moved with {@code ferry shard}).
     */
    public StandaloneVerification(CopydbConfig config, CopySubset subset) {
        this.config = config;
        this.subset = subset;
        if (subset.filtersRows() && config.verification().type() == VerificationConfig.Type.CHECKSUM_TABLE) {
            throw new ConfigException("VerifierType = ChecksumTable: CHECKSUM TABLE sums whole tables and cannot"
                    + " verify a subset of rows; use Iterative");
        }
    }

    /** Compares and returns every difference found. Writes nothing. */
    public VerificationResult run() throws Exception {
        int connections = config.verification().iterative().concurrency() * 2 + 2;
        try (PooledDataSource source = DataSources.open("verify-source", config.source(), connections);
             PooledDataSource target = DataSources.open("verify-target", config.target(), connections)) {
            VerificationScope scope;
            try (Connection s = source.getConnection(); Connection t = target.getConnection()) {
                scope = new VerificationScope(source, target, ServerInfo.of(s).flavor(), ServerInfo.of(t).flavor(),
                        tables(s), subset.rows());
            } catch (SQLException e) {
                throw new RunFailed("reading the source schema failed: " + SqlErrors.describe(e), e);
            }
            LOG.info("verifying {} table(s)", scope.tables().size());
            VerificationConfig v = config.verification();
            Verifier verifier = v.type() == VerificationConfig.Type.CHECKSUM_TABLE
                    ? new ChecksumTableVerifier(v.iterative().concurrency()) : new IterativeVerifier(v);
            verifier.prepare(scope);
            VerificationResult r = verifier.verifyDuringCutover();
            return r.dataCorrect() ? r : VerificationResult.of("verification failed for", r.mismatches());
        }
    }

    private List<VerifiedTable> tables(Connection source) throws SQLException {
        List<TableId> selected = new ArrayList<>();
        for (String db : SchemaLoader.databases(source)) {
            if (config.selectsDatabase(db)) {
                for (String table : SchemaLoader.tableNames(source, db)) {
                    if (config.selectsTable(db, table) && config.verification().verifies(new TableId(db, table))) {
                        selected.add(new TableId(db, table));
                    }
                }
            }
        }
        if (selected.isEmpty()) {
            throw new ConfigException("Databases/Tables select no table on the source " + config.source().describe()
                    + "; check the Whitelist/Blacklist names (they are case-sensitive)");
        }
        Map<TableId, TableSchema> schemas = SchemaLoader.load(source, selected);
        List<VerifiedTable> out = new ArrayList<>();
        for (TableSchema t : schemas.values()) {
            if (!subset.tables().includes(t)) {
                LOG.info("{}: {}", t.id(), subset.tables().describe(t));
                continue;
            }
            List<ColumnSchema> key = matchingKey(t);
            if (key == null && !subset.rows().select(t, t.id()).selectsAll()) {
                throw new PreconditionFailed(t.id() + " has no primary key or unique key of NOT NULL orderable"
                        + " columns, so the rows the filter selects cannot be matched; leave it out of the comparison");
            }
            if (key == null) {
                LOG.info("{} has no primary key or unique key of NOT NULL orderable columns; its rows are compared by "
                        + "counting row fingerprints", t.id());
            }
            out.add(new VerifiedTable(t, config.targetOf(t.id()), key == null ? List.of() : key));
        }
        return out;
    }

    /** The primary key, or else the first unique key of NOT NULL orderable columns, or {@code null}. */
    static List<ColumnSchema> matchingKey(TableSchema t) {
        List<List<String>> candidates = new ArrayList<>();
        if (!t.primaryKey().isEmpty()) {
            candidates.add(t.primaryKey());
        }
        candidates.addAll(t.uniqueKeys());
        for (List<String> names : candidates) {
            List<ColumnSchema> cols = names.stream().map(n -> t.column(n).orElseThrow()).toList();
            if (cols.stream().allMatch(c -> !c.nullable() && orderable(c))) {
                return cols;
            }
        }
        return null;
    }

    private static boolean orderable(ColumnSchema c) {
        return switch (c.kind()) {
            case INTEGER, DECIMAL, TEMPORAL, FIXED_BINARY -> true;
            case TEXT, BINARY -> List.of("char", "varchar", "varbinary", "binary").contains(c.dataType());
            case FLOAT, DOUBLE, BIT, ENUM_OR_SET, JSON, GEOMETRY, UNSUPPORTED -> false;
        };
    }
}

package io.ferry.core.config;

import io.ferry.core.TableId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validated configuration of a {@code ferry copydb} run, read from a Ghostferry-compatible JSON file by
 * {@link ConfigLoader}. Every value is typed and has its default applied (see {@link Defaults}); {@code toString}
 * never shows a password.
 *
 * @param source                   the server to copy from
 * @param target                   the server to copy to
 * @param databases                which databases to copy and their target names
 * @param tables                   which tables to copy (bare names, matched in every database) and their target names
 * @param tablesToBeCreatedFirst   tables (source names) created on the target before all others, in this order
 * @param allowExistingTargetTable whether a table that already exists on the target is accepted (and written into)
 * @param dataIterationBatchSize   rows per copy batch
 * @param dataIterationConcurrency tables copied in parallel
 * @param dataIterationRangeConcurrency key ranges of one table copied in parallel; 0 sizes it by the table's rows
 * @param binlogEventBatchSize     most binlog events applied in one target transaction
 * @param binlogApplyConcurrency   target connections applying binlog row changes concurrently (by writeset: each
 *                                 row's changes stay in source order); 1 applies all of them in order on one
 *                                 connection
 * @param dbReadRetries            retries of a failed source read, after the first attempt
 * @param dbWriteRetries           retries of a failed target write, after the first attempt
 * @param myServerId               replication server id; 0 picks a random unused one
 * @param automaticCutover         whether cutover starts by itself once the copy is done
 * @param cutoverLock              called before cutover to stop writes to the source, or {@code null}
 * @param cutoverUnlock            called after cutover, or {@code null}
 * @param maxCutoverRetries        attempts at each cutover callback (Ghostferry's meaning: 1 = no retry)
 * @param cutoverRetryWait         pause between cutover callback attempts
 * @param skipBinlogRowImageCheck  whether to skip checking {@code binlog_row_image=FULL} (servers without the variable)
 * @param lockStrategy             how the copy avoids racing the binlog applier
 * @param paginationColumns        which key a table is paginated by when its primary key will not do
 * @param iterateInDescendingOrder whether tables are copied from their highest key down
 * @param allowReplicationFromReplica whether a read-only source (a replica, a managed read endpoint) is accepted
 * @param controlServer            the HTTP control server, {@link ControlServerConfig#DISABLED} by default
 * @param operations               progress and error callbacks and the lag throttler, {@link OperationsConfig#NONE} by default
 * @param verification             which verifier checks the target and how, {@link VerificationConfig#NONE} by default
 * @param schemaChanges            schema changes during the run and copy failures, {@link SchemaChangeConfig#DEFAULT}
 *                                 when null
 * @param state                    where the resumable state is kept and resumed from, {@link StateConfig#NONE} by default
 * @param disableCutover           {@code DisableCutover}: never cut over; once the rows are copied, keep the target in
 *                                 step with the source until the run is stopped (its state saved to resume from)
 * @param preflightOptions         {@code AllowSuperUserOnReadOnly} and {@code SkipForeignKeyConstraintsCheck}
 * @param logging                  {@code LogLevel} and {@code LogBackend}
 * @param rowCopy                  how batches are written, {@link RowCopyConfig#DEFAULT} when null
 * @param partition                the part of the move this run copies ({@code Partition}), {@link Partition#WHOLE} by default
 * @param partitionWorkerTimeout   how long a partitioned move's cutover waits for a worker that is gone
 *                                 ({@code PartitionWorkerTimeoutSeconds}); {@link Defaults#PARTITION_WORKER_TIMEOUT}
 *                                 when null
 * @param replicaSource            copydb's replica mode ({@code RunFerryFromReplica}), or {@code null} when the source
 *                                 is not run as a replica
 */
public record CopydbConfig(
        DatabaseConfig source,
        DatabaseConfig target,
        FilterConfig databases,
        FilterConfig tables,
        List<TableId> tablesToBeCreatedFirst,
        boolean allowExistingTargetTable,
        int dataIterationBatchSize,
        int dataIterationConcurrency,
        int dataIterationRangeConcurrency,
        int binlogEventBatchSize,
        int binlogApplyConcurrency,
        int dbReadRetries,
        int dbWriteRetries,
        long myServerId,
        boolean automaticCutover,
        HttpCallback cutoverLock,
        HttpCallback cutoverUnlock,
        int maxCutoverRetries,
        Duration cutoverRetryWait,
        boolean skipBinlogRowImageCheck,
        LockStrategy lockStrategy,
        CascadingPaginationColumnConfig paginationColumns,
        boolean iterateInDescendingOrder,
        boolean allowReplicationFromReplica,
        ControlServerConfig controlServer,
        OperationsConfig operations,
        VerificationConfig verification,
        SchemaChangeConfig schemaChanges,
        StateConfig state,
        boolean disableCutover,
        PreflightOptions preflightOptions,
        LoggingConfig logging,
        RowCopyConfig rowCopy,
        Partition partition,
        Duration partitionWorkerTimeout,
        ReplicaSourceConfig replicaSource) {

    /** Databases copydb never copies, whatever the filter says: they belong to the server. */
    public static final Set<String> SYSTEM_DATABASES = Set.of("mysql", "information_schema", "performance_schema", "sys");

    public CopydbConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(databases, "databases");
        Objects.requireNonNull(tables, "tables");
        tablesToBeCreatedFirst = List.copyOf(tablesToBeCreatedFirst);
        Objects.requireNonNull(cutoverRetryWait, "cutoverRetryWait");
        Objects.requireNonNull(lockStrategy, "lockStrategy");
        Objects.requireNonNull(paginationColumns, "paginationColumns");
        controlServer = controlServer == null ? ControlServerConfig.DISABLED : controlServer;
        operations = operations == null ? OperationsConfig.NONE : operations;
        verification = verification == null ? VerificationConfig.NONE : verification;
        schemaChanges = schemaChanges == null ? SchemaChangeConfig.DEFAULT : schemaChanges;
        state = state == null ? StateConfig.NONE : state;
        preflightOptions = preflightOptions == null ? PreflightOptions.DEFAULT : preflightOptions;
        logging = logging == null ? LoggingConfig.DEFAULT : logging;
        rowCopy = rowCopy == null ? RowCopyConfig.DEFAULT : rowCopy;
        partition = partition == null ? Partition.WHOLE : partition;
        partitionWorkerTimeout = partitionWorkerTimeout == null ? Defaults.PARTITION_WORKER_TIMEOUT
                : partitionWorkerTimeout;
    }

    /** The record without verification settings: verification is off. */
    public CopydbConfig(DatabaseConfig source, DatabaseConfig target, FilterConfig databases, FilterConfig tables,
                        List<TableId> tablesToBeCreatedFirst, boolean allowExistingTargetTable, int dataIterationBatchSize,
                        int dataIterationConcurrency, int dataIterationRangeConcurrency, int binlogEventBatchSize,
                        int dbReadRetries, int dbWriteRetries, long myServerId, boolean automaticCutover,
                        HttpCallback cutoverLock, HttpCallback cutoverUnlock, int maxCutoverRetries,
                        Duration cutoverRetryWait, boolean skipBinlogRowImageCheck, LockStrategy lockStrategy,
                        CascadingPaginationColumnConfig paginationColumns, boolean iterateInDescendingOrder,
                        boolean allowReplicationFromReplica, ControlServerConfig controlServer,
                        OperationsConfig operations) {
        this(source, target, databases, tables, tablesToBeCreatedFirst, allowExistingTargetTable, dataIterationBatchSize,
                dataIterationConcurrency, dataIterationRangeConcurrency, binlogEventBatchSize,
                Defaults.BINLOG_APPLY_CONCURRENCY, dbReadRetries, dbWriteRetries, myServerId, automaticCutover,
                cutoverLock, cutoverUnlock, maxCutoverRetries, cutoverRetryWait, skipBinlogRowImageCheck, lockStrategy,
                paginationColumns, iterateInDescendingOrder, allowReplicationFromReplica, controlServer, operations,
                VerificationConfig.NONE, SchemaChangeConfig.DEFAULT, StateConfig.NONE, Defaults.DISABLE_CUTOVER,
                PreflightOptions.DEFAULT, LoggingConfig.DEFAULT, RowCopyConfig.DEFAULT, Partition.WHOLE, null, null);
    }

    /** This config with another state section (e.g. {@code --resume-state} given on the command line). */
    public CopydbConfig withState(StateConfig newState) {
        return new CopydbConfig(source, target, databases, tables, tablesToBeCreatedFirst, allowExistingTargetTable,
                dataIterationBatchSize, dataIterationConcurrency, dataIterationRangeConcurrency, binlogEventBatchSize,
                binlogApplyConcurrency, dbReadRetries, dbWriteRetries, myServerId, automaticCutover, cutoverLock,
                cutoverUnlock, maxCutoverRetries, cutoverRetryWait, skipBinlogRowImageCheck, lockStrategy,
                paginationColumns, iterateInDescendingOrder, allowReplicationFromReplica, controlServer, operations,
                verification, schemaChanges, newState, disableCutover, preflightOptions, logging, rowCopy, partition,
                partitionWorkerTimeout, replicaSource);
    }

    /** This config copying another part of the move (e.g. {@code --partition I/N} on the command line). */
    public CopydbConfig withPartition(Partition newPartition) {
        return new CopydbConfig(source, target, databases, tables, tablesToBeCreatedFirst, allowExistingTargetTable,
                dataIterationBatchSize, dataIterationConcurrency, dataIterationRangeConcurrency, binlogEventBatchSize,
                binlogApplyConcurrency, dbReadRetries, dbWriteRetries, myServerId, automaticCutover, cutoverLock,
                cutoverUnlock, maxCutoverRetries, cutoverRetryWait, skipBinlogRowImageCheck, lockStrategy,
                paginationColumns, iterateInDescendingOrder, allowReplicationFromReplica, controlServer, operations,
                verification, schemaChanges, state, disableCutover, preflightOptions, logging, rowCopy, newPartition,
                partitionWorkerTimeout, replicaSource);
    }

    /** This config with other connection settings for the source and the target (e.g. a run's marginalia). */
    public CopydbConfig withServers(DatabaseConfig newSource, DatabaseConfig newTarget) {
        return new CopydbConfig(newSource, newTarget, databases, tables, tablesToBeCreatedFirst, allowExistingTargetTable,
                dataIterationBatchSize, dataIterationConcurrency, dataIterationRangeConcurrency, binlogEventBatchSize,
                binlogApplyConcurrency, dbReadRetries, dbWriteRetries, myServerId, automaticCutover, cutoverLock,
                cutoverUnlock, maxCutoverRetries, cutoverRetryWait, skipBinlogRowImageCheck, lockStrategy,
                paginationColumns, iterateInDescendingOrder, allowReplicationFromReplica, controlServer, operations,
                verification, schemaChanges, state, disableCutover,
                preflightOptions, logging, rowCopy, partition, partitionWorkerTimeout, replicaSource);
    }

    /**
     * The replication server id this run streams the binlog as: {@code MyServerId} plus the part's index, so the
     * workers of a partitioned move each have their own; 0 (a random unused id) stays 0.
     */
    public long replicationServerId() {
        return myServerId == 0 ? 0 : myServerId + partition.index();
    }

    /**
     * What the run's state tables in {@code ResumeStateFromDB} are named after: {@code MyServerId}, and of a
     * partitioned run also its part ({@code 42_part1}), so each worker resumes from its own state.
     */
    public String stateKey() {
        return partition.isWhole() ? Long.toString(myServerId) : myServerId + "_part" + partition.index();
    }

    /** Whether database {@code db} of the source is copied. */
    public boolean selectsDatabase(String db) {
        return !SYSTEM_DATABASES.contains(db) && databases.accepts(db);
    }

    /** Whether table {@code table} of source database {@code db} is copied. */
    public boolean selectsTable(String db, String table) {
        return selectsDatabase(db) && tables.accepts(table);
    }

    /** The name a source table gets on the target: database rewrite, then table rewrite. */
    public TableId targetOf(TableId source) {
        return new TableId(databases.rewrite(source.database()), tables.rewrite(source.table()));
    }

    /** One paragraph for the log at start-up; shows no secret (passwords, callback credentials or payloads). */
    public String describe() {
        var sb = new StringBuilder();
        sb.append("copy from ").append(source.describe()).append(" to ").append(target.describe());
        sb.append("; databases: ").append(databases.describe());
        sb.append("; tables: ").append(tables.describe());
        if (!tablesToBeCreatedFirst.isEmpty()) {
            sb.append("; create first: ").append(tablesToBeCreatedFirst.stream().map(TableId::toString)
                    .collect(Collectors.joining(", ")));
        }
        sb.append("; existing target tables ").append(allowExistingTargetTable ? "allowed" : "refused");
        sb.append("; batches of ").append(dataIterationBatchSize).append(" rows, ")
                .append(dataIterationConcurrency).append(" tables in parallel, ")
                .append(dataIterationRangeConcurrency == 0 ? "ranges per table by size"
                        : dataIterationRangeConcurrency + " range(s) per table")
                .append(", binlog batches of up to ")
                .append(binlogEventBatchSize).append(" events on ").append(binlogApplyConcurrency)
                .append(binlogApplyConcurrency == 1 ? " connection" : " connections");
        sb.append("; retries: ").append(dbReadRetries).append(" read, ").append(dbWriteRetries).append(" write");
        sb.append("; server id ").append(myServerId == 0 ? "random" : Long.toString(myServerId));
        sb.append("; lock strategy ").append(lockStrategy.configName());
        String pagination = paginationColumns.describe();
        if (!pagination.isEmpty()) {
            sb.append("; pagination ").append(pagination);
        }
        if (iterateInDescendingOrder) {
            sb.append("; copying in descending key order");
        }
        if (allowReplicationFromReplica) {
            sb.append("; read-only source allowed");
        }
        if (replicaSource != null) {
            sb.append("; ").append(replicaSource.describe());
        }
        if (skipBinlogRowImageCheck) {
            sb.append("; binlog_row_image check skipped");
        }
        if (!rowCopy.loadData()) {
            sb.append("; batches written as INSERT (LoadData off)");
        }
        if (controlServer.enabled()) {
            sb.append("; control server on ").append(controlServer.bindAddress())
                    .append(controlServer.bearerToken().isEmpty() ? "" : " (bearer token required)");
        }
        if (!operations.describe().isEmpty()) {
            sb.append("; ").append(operations.describe());
        }
        if (verification.type() != VerificationConfig.Type.NO_VERIFICATION) {
            sb.append("; ").append(verification.describe());
        }
        if (verification.verifyTarget()) {
            sb.append("; target verifier on (writes to copied target tables by others fail the run)");
        }
        if (schemaChanges.replicate()) {
            sb.append("; schema changes replicated").append(schemaChanges.skipUnparseable() ? " (unparseable ones skipped)" : "");
        }
        if (schemaChanges.delayDataIterationUntilBinlogWriterShutdown()) {
            sb.append("; no row copy until the binlog writer shuts down");
        }
        if (schemaChanges.failOnFirstTableCopyError()) {
            sb.append("; the first table copy error stops all tables");
        }
        String stateKept = state.describe();
        if (!stateKept.isEmpty()) {
            sb.append("; ").append(stateKept);
        }
        if (!partition.isWhole()) {
            sb.append("; partition ").append(partition).append(" (worker ").append(partition.index()).append(" of ")
                    .append(partition.count()).append(", waiting ").append(partitionWorkerTimeout.toSeconds())
                    .append(" s for a missing worker)");
        }
        if (preflightOptions.allowSuperUserOnReadOnly()) {
            sb.append("; read-only target allowed (written through read_only)");
        }
        if (preflightOptions.skipForeignKeyConstraintsCheck()) {
            sb.append("; foreign keys to tables not copied allowed");
        }
        if (disableCutover) {
            return sb.append("; no cutover (DisableCutover): the target follows the source until the run is stopped.")
                    .toString();
        }
        sb.append("; cutover ").append(automaticCutover ? "automatic" : "on request");
        if (cutoverLock != null) {
            sb.append(", lock callback ").append(cutoverLock.describe());
        }
        if (cutoverUnlock != null) {
            sb.append(", unlock callback ").append(cutoverUnlock.describe());
        }
        if (cutoverLock != null || cutoverUnlock != null) {
            sb.append(" (").append(maxCutoverRetries).append(maxCutoverRetries == 1 ? " attempt" : " attempts")
                    .append(", ").append(cutoverRetryWait.toSeconds()).append(" s apart)");
        }
        return sb.append('.').toString();
    }
}

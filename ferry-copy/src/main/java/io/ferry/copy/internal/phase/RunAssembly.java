package io.ferry.copy.internal.phase;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.BinlogStreamer;
import io.ferry.copy.RunHooks;
import io.ferry.copy.internal.cutover.CutoverVerification;
import io.ferry.copy.internal.preflight.Preflight;
import io.ferry.copy.internal.replication.ApplyHooks;
import io.ferry.copy.internal.replication.Replication;
import io.ferry.copy.internal.replication.ReplicationProgress;
import io.ferry.copy.internal.replication.TargetVerifier;
import io.ferry.copy.internal.rowcopy.CopyLocking;
import io.ferry.copy.internal.rowcopy.CopyTasks;
import io.ferry.copy.internal.rowcopy.TableCopier;
import io.ferry.copy.internal.schema.DdlGuard;
import io.ferry.copy.internal.schema.SchemaCache;
import io.ferry.copy.internal.schema.SchemaChangeApplier;
import io.ferry.copy.internal.schema.SchemaChangeMarks;
import io.ferry.copy.internal.state.RunStateTracker;
import io.ferry.copy.internal.state.StateSaver;
import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.Defaults;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.verify.ChangedRows;
import io.ferry.core.verify.CopyCheck;
import io.ferry.core.verify.Verifier;
import java.time.InstantSource;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the parts of a prepared run in dependency order, each complete when constructed. The binlog apply is
 * followed by parts built before it (the schema cache, the run state) through a {@link ReplicationProgress} made
 * first, so no part waits for a setter.
 */
public final class RunAssembly {
    private RunAssembly() {
    }

    /**
     * @param verifier the run's verifier, or {@code null}
     * @param version  the ferry version written into saved states
     */
    public static RunParts assemble(CopydbConfig config, TargetSchemaPhase.Prepared prepared, RunHooks hooks,
                                    RunControls controls, Verifier verifier, String version) {
        int ranges = config.dataIterationRangeConcurrency() > 0 ? config.dataIterationRangeConcurrency()
                : Defaults.MAX_AUTOMATIC_RANGES;
        int connections = config.dataIterationConcurrency() * ranges + 4;
        PooledDataSource sourcePool = DataSources.open("source", config.source(), connections);
        PooledDataSource targetPool = DataSources.open("target", config.target(),
                connections + config.binlogApplyConcurrency(),
                Map.of("foreign_key_checks", "0"), prepared.preflight().checked().loadData());
        try {
            return assemble(config, prepared, hooks, controls, verifier, version, sourcePool, targetPool);
        } catch (RuntimeException e) {
            targetPool.close();
            sourcePool.close();
            throw e;
        }
    }

    private static RunParts assemble(CopydbConfig config, TargetSchemaPhase.Prepared prepared, RunHooks hooks,
                                     RunControls controls, Verifier verifier, String version,
                                     PooledDataSource sourcePool, PooledDataSource targetPool) {
        Preflight.Checked checked = prepared.preflight().checked();

        var schemas = checked.tables();
        var order = prepared.preflight().order();
        // The application waits during the cutover's comparison: retried briefly.
        var verification = CutoverVerification.prepare(verifier, config.dbWriteRetries(), sourcePool, targetPool,
                checked.sourceServer().flavor(), checked.targetServer().flavor(), order, schemas, checked.keys(), config,
                prepared.resumed(), prepared.preflight().subset().rows());

        var progress = new ReplicationProgress();
        var schemaCache = new SchemaCache(targetPool, config::targetOf, schemas,
                // A table the table filter left out stays out: its schema changes are not replayed on the target.
                t -> config.selectsTable(t.database(), t.table()) && prepared.preflight().part().owns(t)
                        && !checked.leftOut().containsKey(t),
                config.schemaChanges().replicate(),
                fromTarget -> checked.compatibility().inSourceTerms(fromTarget, sourcePool), progress);
        TargetStateTables stateTables = config.state().resumeStateFromDb() == null ? null
                : new TargetStateTables(targetPool, config.state().resumeStateFromDb(), config.stateKey(),
                        config.dbWriteRetries());
        var tracker = new RunStateTracker(version, prepared.preflight().sourceId(), schemas,
                config.iterateInDescendingOrder(), prepared.resumed(), controls::stopRequested, stateTables,
                InstantSource.system(), prepared.applierStart(), progress, verification.reverifyState(),
                prepared.preflight().subset().stateIdentity());
        var stateSaver = new StateSaver(config.state(), tracker, stateTables, System.out);

        var copyTasks = new CopyTasks();
        var guard = new DdlGuard(schemas.keySet());
        BinlogApplier.StatementHandler statements = config.schemaChanges().replicate()
                ? new SchemaChangeApplier(targetPool, config, schemaCache, copyTasks,
                        new SchemaChangeMarks(schemaCache, tracker, stateSaver), guard, checked.compatibility(), verifier)
                : guard;
        var streamer = new BinlogStreamer(config.source(), config.replicationServerId(), schemaCache,
                config.dbReadRetries());
        CopyLocking locking = switch (config.lockStrategy()) {
            case LOCK_ON_SOURCE_DB -> new CopyLocking.OnSource();
            case LOCK_IN_GHOSTFERRY -> new CopyLocking.InProcess(streamer::gtidsSeen);
            case NONE -> new CopyLocking.Unlocked();
        };
        var cascades = prepared.preflight().cascades();
        var applier = new BinlogApplier(targetPool, BinlogApplier.Settings.of(checked.targetServer().flavor())
                .withSourceFlavor(checked.sourceServer().flavor())
                .withListener(new ApplyHooks(hooks, controls::stopRequested,
                        config.state().forceResumeStateUpdatesToDb() ? stateTables : null))
                .withTableMapping(config::targetOf)
                .withBatchSize(config.binlogEventBatchSize())
                .withWriters(config.binlogApplyConcurrency())
                .withWriteRetries(config.dbWriteRetries() + 1) // the applier counts attempts, the config retries
                .withCascadeParents(cascades.parents())
                .withStatementHandler(statements));
        var replication = new Replication(streamer, applier, locking, controls.replicationThrottlers(), hooks, cascades,
                verifier == null ? ChangedRows.NONE : verifier.changedRows(), progress, controls::stopRequested,
                prepared.preflight().subset().rows());

        var copyContext = new TableCopier.Context(sourcePool, targetPool, checked.sourceServer(),
                new SqlLiterals(checked.sourceServer().flavor()), new SqlLiterals(checked.targetServer().flavor()),
                locking, controls::batchSize, config.dbReadRetries(), config.dbWriteRetries(), hooks,
                controls.migrationThrottlers(), config.iterateInDescendingOrder())
                .withCopyCheck(verifier == null ? CopyCheck.NONE : verifier.copyCheck())
                .withLoadData(checked.loadData())
                .withRows(prepared.preflight().subset().rows());
        TargetVerifier targetVerifier = !config.verification().verifyTarget() ? null
                : new TargetVerifier(config.target(), schemas.keySet().stream().map(config::targetOf)
                        .collect(Collectors.toSet()), progress, config.dbReadRetries());
        return new RunParts(prepared, sourcePool, targetPool, replication, copyContext, copyTasks, stateTables,
                tracker, stateSaver, verification, targetVerifier);
    }
}

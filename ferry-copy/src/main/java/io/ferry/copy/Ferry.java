package io.ferry.copy;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.BinlogStreamer;
import io.ferry.copy.internal.ApplyHooks;
import io.ferry.copy.internal.CascadingForeignKeys;
import io.ferry.copy.internal.CopyLocking;
import io.ferry.copy.internal.CutoverVerification;
import io.ferry.copy.internal.CopyScheduler;
import io.ferry.copy.internal.CopyTask;
import io.ferry.copy.internal.CopyTasks;
import io.ferry.copy.internal.CutoverCallbacks;
import io.ferry.copy.internal.DdlGuard;
import io.ferry.copy.internal.FullTableCopier;
import io.ferry.copy.internal.PauseGate;
import io.ferry.copy.internal.Preflight;
import io.ferry.copy.internal.Replication;
import io.ferry.copy.internal.RunOperations;
import io.ferry.copy.internal.RunPreparation;
import io.ferry.copy.internal.SchemaCache;
import io.ferry.copy.internal.SchemaChangeApplier;
import io.ferry.copy.internal.SchemaChangeMarks;
import io.ferry.copy.internal.RunStateTracker;
import io.ferry.copy.internal.StateSaver;
import io.ferry.copy.internal.TargetStateTables;
import io.ferry.copy.internal.SchemaSetup;
import io.ferry.copy.internal.StatusView;
import io.ferry.copy.internal.TableCopier;
import io.ferry.copy.internal.TableProgress;
import io.ferry.copy.internal.Throttlers;
import io.ferry.core.FerryException;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.Defaults;
import io.ferry.core.control.FerryControl;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.UpdatableConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.core.verify.ChangedRows;
import io.ferry.core.verify.CopyCheck;
import io.ferry.core.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One online copy from a source to a target server: preflight, target schema creation, binlog streaming, batched
 * row copy, then cutover. {@link #run()} blocks until the cutover completed or the run failed; other threads watch and
 * steer it through {@link FerryControl}.
 *
 * <pre>{@code
 * try (var ferry = new Ferry(ConfigLoader.load(Path.of("copydb.json")), RunHooks.NONE)) {
 *     ferry.run();
 * }
 * }</pre>
 */
public final class Ferry implements FerryControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ferry.class);
    /** The applier is "caught up" enough to start a cutover when it trails the source by less than this. */
    private static final double CUTOVER_MAX_LAG_SECONDS = 10;

    private final CopydbConfig config;
    private final RunHooks hooks;
    private final PauseGate copyPause = new PauseGate();
    private final PauseGate applyPause = new PauseGate();
    private final Throttlers migrationThrottlers = new Throttlers(copyPause);
    private final Throttlers replicationThrottlers = new Throttlers(applyPause);
    private final StatusView statusView;
    private final List<TableProgress> progress;
    private final AtomicInteger batchSize;
    private volatile RunPhase phase = RunPhase.STARTING;
    private volatile boolean automaticCutover;
    private volatile boolean stopRequested;
    private volatile Replication replication;
    private volatile BinlogPosition finalPosition = BinlogPosition.NONE;
    private PooledDataSource sourcePool;
    private PooledDataSource targetPool;
    private final Verifier verifier;
    private int tableCount;
    private volatile RunSummary summary;
    private final CutoverVerification verification;
    private volatile RunStateTracker tracker;
    private volatile StateSaver stateSaver;

    public Ferry(CopydbConfig config, RunHooks hooks) {
        this(config, hooks, null);
    }

    /**
     * A run checked by {@code verifier} (see {@code io.ferry.verify.Verifiers}), or by none when {@code null}: a
     * difference found at cutover ends the run with {@link io.ferry.core.DataMismatch}.
     */
    public Ferry(CopydbConfig config, RunHooks hooks, Verifier verifier) {
        this.verifier = verifier;
        this.verification = new CutoverVerification(verifier, config.dbWriteRetries()); // the application waits: retry briefly
        this.config = config;
        this.hooks = hooks;
        this.automaticCutover = config.automaticCutover();
        this.batchSize = new AtomicInteger(config.dataIterationBatchSize());
        this.statusView = new StatusView(config.source().hostPort(), config.target().hostPort(), InstantSource.system(),
                migrationThrottlers, replicationThrottlers);
        this.progress = statusView.tables();
        statusView.verifying(verifier);
    }

    /** Runs preflight only and returns what a run would do; writes nothing. */
    public CopyPlan plan() {
        try (Connection source = connect("Source", config.source());
             Connection target = connect("Target", config.target())) {
            Preflight.Checked checked = new Preflight(config).run(source, target);
            List<TableId> order = SchemaSetup.creationOrder(source, config, checked.tables().keySet());
            List<PlannedTable> tables = new ArrayList<>();
            for (TableId t : order) {
                tables.add(new PlannedTable(t, config.targetOf(t),
                        checked.keys().get(t).stream().map(ColumnSchema::name).toList(), checked.estimatedRows().get(t)));
            }
            return new CopyPlan(tables, checked.sourceServer().version(), checked.targetServer().version(),
                    checked.mappings().stream().map(m -> (m.warning() ? "warning: " : "") + m).toList());
        } catch (SQLException e) {
            throw new RunFailed("preflight failed: " + e.getMessage(), e);
        }
    }

    /**
     * Holds back the row copy while {@code throttler} throttles, besides the control server's pause (Ghostferry's
     * {@code MigrationThrottler}). May be called before or during {@link #run()}.
     */
    public void addMigrationThrottler(Throttler throttler) {
        migrationThrottlers.add(Objects.requireNonNull(throttler, "throttler"));
    }

    /**
     * Holds back the binlog apply while {@code throttler} throttles, besides the control server's pause
     * (Ghostferry's {@code ReplicationThrottler}). May be called before or during {@link #run()}.
     */
    public void addReplicationThrottler(Throttler throttler) {
        replicationThrottlers.add(Objects.requireNonNull(throttler, "throttler"));
    }

    /**
     * Runs the copy to the end: returns after a completed cutover, saying what was checked. Throws a {@link FerryException} saying what
     * went wrong otherwise; nothing written to the target is ever left half-applied within a batch. Progress and
     * error callbacks and the lag throttler of {@link CopydbConfig#operations()} run alongside.
     */
    public RunSummary run() throws InterruptedException {
        var operations = new RunOperations(config.operations(), secrets(), migrationThrottlers, replicationThrottlers);
        try (operations) {
            operations.start(this::status, () -> finalPosition);
            runSteps();
            return summary;
        } catch (RuntimeException e) {
            operations.failed(errorSource(e), e, currentState().map(StateCodec::toJson).orElse(""));
            throw e;
        }
    }

    /** Ghostferry's {@code ErrFrom} for the run's failure {@code e}. */
    private String errorSource(RuntimeException e) {
        Throwable replicationFailure = replication == null ? null : replication.failure();
        if (stopRequested) {
            return "user_interrupt";
        } else if (replicationFailure != null && (e == replicationFailure || e.getCause() == replicationFailure)) {
            return "binlog_writer";
        }
        return switch (phase) {
            case STARTING -> "ferry";
            case COPYING -> "data_iterator";
            case CUTOVER -> "cutover";
            default -> "ferry";
        };
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(config.source().password().value(),
                config.target().password().value(), config.controlServer().bearerToken().value()));
        if (config.operations().lagThrottler() != null) {
            secrets.add(config.operations().lagThrottler().connection().password().value());
        }
        return secrets;
    }

    private void runSteps() throws InterruptedException {
        LOG.info("run: {}", config.describe());
        RunPreparation.Prepared prepared = RunPreparation.prepare(config, VERSION);
        Preflight.Checked checked = prepared.checked();
        List<TableId> order = prepared.order();
        tableCount = order.size();
        CascadingForeignKeys cascades = prepared.cascades();
        RunState resumed = prepared.resumed();

        int ranges = config.dataIterationRangeConcurrency() > 0 ? config.dataIterationRangeConcurrency()
                : Defaults.MAX_AUTOMATIC_RANGES;
        int connections = config.dataIterationConcurrency() * ranges + 4;
        sourcePool = DataSources.open("source", config.source(), connections);
        targetPool = DataSources.open("target", config.target(), connections, Map.of("foreign_key_checks", "0"));
        statusView.connectedTo(sourcePool, targetPool);
        var sourceLiterals = new SqlLiterals(checked.sourceServer().flavor());
        var targetLiterals = new SqlLiterals(checked.targetServer().flavor());
        LOG.info("step 3 - streaming the source binlog");
        Map<TableId, TableSchema> schemas = checked.tables();
        var guard = new DdlGuard(schemas.keySet());
        var schemaCache = new SchemaCache(targetPool, config::targetOf, schemas,
                t -> config.selectsTable(t.database(), t.table()), config.schemaChanges().replicate(),
                fromTarget -> checked.compatibility().inSourceTerms(fromTarget, sourcePool));
        var copyTasks = new CopyTasks();
        var schemaChangeMarks = new SchemaChangeMarks(schemaCache);
        BinlogApplier.StatementHandler statements = config.schemaChanges().replicate()
                ? new SchemaChangeApplier(targetPool, config, schemaCache, copyTasks, schemaChangeMarks, guard,
                        checked.compatibility(), verifier)
                : guard;
        var streamer = new BinlogStreamer(config.source(), config.myServerId(), schemaCache, config.dbReadRetries());
        CopyLocking locking = switch (config.lockStrategy()) {
            case LOCK_ON_SOURCE_DB -> new CopyLocking.OnSource();
            case LOCK_IN_GHOSTFERRY -> new CopyLocking.InProcess(streamer::gtidsSeen);
            case NONE -> new CopyLocking.Unlocked();
        };
        TargetStateTables stateTables = config.state().resumeStateFromDb() == null ? null
                : new TargetStateTables(targetPool, config.state().resumeStateFromDb(), config.myServerId(),
                        config.dbWriteRetries());
        var applier = new BinlogApplier(targetPool, BinlogApplier.Settings.of(checked.targetServer().flavor())
                .withSourceFlavor(checked.sourceServer().flavor())
                .withListener(new ApplyHooks(hooks, () -> stopRequested,
                        config.state().forceResumeStateUpdatesToDb() ? stateTables : null))
                .withTableMapping(config::targetOf)
                .withBatchSize(config.binlogEventBatchSize())
                .withWriteRetries(config.dbWriteRetries() + 1) // the applier counts attempts, the config retries
                .withCascadeParents(cascades.parents())
                .withStatementHandler(statements));
        verification.prepare(sourcePool, targetPool, checked.sourceServer().flavor(), checked.targetServer().flavor(),
                order, schemas, checked.keys(), config);
        verification.restore(resumed);
        replication = new Replication(streamer, applier, locking, replicationThrottlers, hooks, cascades,
                verifier == null ? ChangedRows.NONE : verifier.changedRows());
        schemaCache.watch(() -> replication.lastApplied().event(), replication::failure);
        replication.stopApplyingWhen(() -> stopRequested);
        statusView.replicating(replication);
        ResumablePosition from = prepared.from();
        tracker = new RunStateTracker(VERSION, prepared.sourceId(), schemas, config.iterateInDescendingOrder(), resumed,
                () -> stopRequested, stateTables, InstantSource.system());
        // A resumed applier is where it was, even when the stream starts earlier for the verifier's sake.
        ResumablePosition applierStart = resumed == null || resumed.applierPosition().event().isNone() ? from
                : resumed.applierPosition();
        tracker.replicating(applierStart, replication::lastApplied);
        tracker.verifying(verification.reverifyState(), replication::reportedThrough);
        if (stateTables != null) {
            stateTables.create();
        }
        stateSaver = new StateSaver(config.state(), tracker, stateTables, System.out);
        schemaChangeMarks.bind(tracker, stateSaver);
        stateSaver.start();
        replication.start(from, applierStart.event());
        try {
            replication.awaitConnected(Duration.ofSeconds(30));
            hooks.binlogStreamingStarted();
            LOG.info("binlog streaming from {}", from.resumeFrom());
            if (config.schemaChanges().delayDataIterationUntilBinlogWriterShutdown()) {
                replicateUntilStopped();
            }

            LOG.info("step 4 - copying rows of {} table(s), {} at a time", order.size(), config.dataIterationConcurrency());
            phase = RunPhase.COPYING;
            var context = new TableCopier.Context(sourcePool, targetPool, checked.sourceServer(), sourceLiterals,
                    targetLiterals, locking, batchSize::get, config.dbReadRetries(),
                    config.dbWriteRetries(), hooks, migrationThrottlers, config.iterateInDescendingOrder())
                    .withCopyCheck(verifier == null ? CopyCheck.NONE : verifier.copyCheck());
            Map<TableId, CopyTask> copiers = new LinkedHashMap<>();
            var watch = new CopyTask.Watch(() -> replication.lastApplied().event(), replication::failure);
            Map<TableId, TableProgress> progressByTable = new LinkedHashMap<>();
            for (TableId t : order) {
                List<ColumnSchema> key = checked.keys().get(t);
                var tableProgress = statusView.track(t, String.join(",", key.stream().map(ColumnSchema::name).toList()),
                        checked.estimatedRows().get(t));
                progressByTable.put(t, tableProgress);
                // A table without a key is exact after a resume only if no change is applied to it twice.
                boolean replaySafe = !schemas.get(t).identityKey().isEmpty() || appliedPositionIsExact();
                if (tracker.track(t, tableProgress, replaySafe)) {
                    LOG.info("{}: copied before the interruption; skipped", t);
                    continue;
                }
                long rows = checked.estimatedRows().get(t);
                copiers.put(t, copyTasks.add(new CopyTask(t, schemas.get(t), tableProgress, (source, schema) -> key.isEmpty()
                        ? new FullTableCopier(context, replication, schema, config.targetOf(source), tableProgress)
                        : new TableCopier(context, schema, config.targetOf(source), CopyTask.keyIn(schema, key),
                                tableProgress, rows, ranges(rows), tracker.checkpoint(t, CopyTask.keyIn(schema, key))),
                        sourcePool, watch)));
            }
            statusView.copyStarted();
            new CopyScheduler(config.dataIterationConcurrency(), config.schemaChanges().failOnFirstTableCopyError(),
                    replication, cascades.copyWaits(order), () -> stopRequested).copyAll(copiers, progressByTable);
            phase = RunPhase.WAIT_FOR_CUTOVER;
            hooks.rowCopyCompleted();

            LOG.info("step 5 - copy complete; waiting for cutover (automatic: {})", automaticCutover);
            waitForCutover();

            phase = RunPhase.VERIFY_BEFORE_CUTOVER;
            verification.beforeCutover();
            LOG.info("step 6 - cutover");
            phase = RunPhase.CUTOVER;
            cutover();
            phase = RunPhase.DONE;
            LOG.info("run complete: {} rows copied, {} binlog row changes applied, in {} s",
                    progress.stream().mapToLong(TableProgress::rowsWritten).sum(), replication.rowsApplied(),
                    Duration.between(statusView.startedAt(), Instant.now()).toSeconds());
        } catch (RuntimeException e) {
            throw endEarly(e);
        } catch (InterruptedException e) {
            endEarly(e);
            throw e;
        } finally {
            if (phase != RunPhase.DONE) {
                replication.stop();
            }
            stateSaver.close();
        }
    }

    /** The version written into saved states. */
    private static final String VERSION = "ferry " + Optional.ofNullable(Ferry.class.getModule().getDescriptor())
            .flatMap(d -> d.rawVersion()).orElse("0.1.0");

    /**
     * Ends a run that stops before cutover: at a clean point when stopped on request (the applier finishes its
     * transaction), then saves the state where configured. Returns the exception to throw.
     */
    private RuntimeException endEarly(Throwable e) throws InterruptedException {
        boolean stopped = stopRequested;
        if (stopped) {
            replication.stopCleanly();
        } else {
            replication.stop();
        }
        String where = "";
        try {
            where = stateSaver.saveAtExit(stopped, !stopped);
        } catch (RuntimeException saveFailure) {
            e.addSuppressed(saveFailure);
        }
        if (stopped && !where.isEmpty()) {
            return new RunFailed("run interrupted on request before cutover; the state is saved to " + where
                    + "; run ferry copydb again with "
                    + (config.state().stateFilename() != null ? "--resume-state " + config.state().stateFilename()
                    : config.state().resumeStateFromDb() != null ? "the same config" : "--resume-state FILE (the saved dump)")
                    + " to continue", e);
        }
        if (!where.isEmpty()) {
            LOG.info("the run failed; its state is saved to {}", where);
        }
        return e instanceof RuntimeException re ? re : new RunFailed("the run was interrupted", e);
    }

    /** The run's resumable state as it stands, once binlog streaming started. */
    public Optional<RunState> currentState() {
        RunStateTracker t = tracker;
        return t == null ? Optional.empty() : Optional.of(t.snapshot(config.state().includeSchemaCache()));
    }

    /** How many key ranges of a table are copied at once: as configured, or by size (about 20 batches each, at most 4). */
    private int ranges(long estimatedRows) {
        if (config.dataIterationRangeConcurrency() > 0) {
            return config.dataIterationRangeConcurrency();
        }
        long batches = estimatedRows / Math.max(1, config.dataIterationBatchSize());
        return (int) Math.max(1, Math.min(Defaults.MAX_AUTOMATIC_RANGES, batches / Defaults.MIN_BATCHES_PER_RANGE));
    }

    /**
     * {@code DelayDataIterationUntilBinlogWriterShutdown}: copy no rows, keep the target in step with the binlog
     * (schema changes included) until the run is stopped; a later run copies the rows.
     */
    private void replicateUntilStopped() throws InterruptedException {
        LOG.info("DelayDataIterationUntilBinlogWriterShutdown: replicating only, no rows are copied until the run is"
                + " stopped");
        phase = RunPhase.COPYING;
        while (!stopRequested) {
            replication.throwIfFailed();
            Thread.sleep(100);
        }
        throw new RunFailed("run stopped on request while replicating only (DelayDataIterationUntilBinlogWriterShutdown);"
                + " no rows were copied: run again without DelayDataIterationUntilBinlogWriterShutdown to copy them");
    }

    private void waitForCutover() throws InterruptedException {
        while (!(automaticCutover && replication.lagSeconds() < CUTOVER_MAX_LAG_SECONDS)) {
            replication.throwIfFailed();
            throwIfStopRequested();
            Thread.sleep(100);
        }
    }

    private void cutover() throws InterruptedException {
        var callbacks = new CutoverCallbacks(config.maxCutoverRetries(), config.cutoverRetryWait());
        callbacks.post("CutoverLock", config.cutoverLock());
        BinlogPosition stop;
        try (Connection c = sourcePool.getConnection()) {
            stop = BinlogStreamer.currentPosition(c);
        } catch (SQLException e) {
            throw new RunFailed("reading the source binlog position for cutover failed: " + e.getMessage(), e);
        }
        replication.stopAt(stop);
        finalPosition = stop;
        LOG.info("binlog applied up to {}", stop);
        String verified = verification.duringCutover();
        callbacks.post("CutoverUnlock", config.cutoverUnlock());
        summary = new RunSummary(tableCount, verified, verification.enabled());
    }

    private void throwIfStopRequested() {
        if (stopRequested) {
            throw new RunFailed("run stopped on request before cutover; the target is incomplete");
        }
    }

    private static Connection connect(String role, DatabaseConfig db) {
        return DataSources.connectChecked(role, db);
    }

    /**
     * Whether the resumed state's applier position is exactly what reached the target: only state tables written in
     * every applied transaction ({@code ResumeStateFromDB} with {@code ForceResumeStateUpdatesToDB}) are; a state file
     * or a periodic save may trail it.
     */
    private boolean appliedPositionIsExact() {
        var state = config.state();
        return state.stateToResumeFrom() == null && state.resumeStateFromDb() != null
                && state.forceResumeStateUpdatesToDb();
    }

    @Override
    public RunStatus status() {
        return statusView.snapshot(phase, automaticCutover, stopRequested);
    }

    @Override
    public UpdatableConfig updatableConfig() {
        return new UpdatableConfig(batchSize.get());
    }

    @Override
    public void setBatchSize(int rows) {
        new UpdatableConfig(rows); // validates
        int before = batchSize.getAndSet(rows);
        LOG.info("DataIterationBatchSize changed from {} to {} rows", before, rows);
    }

    @Override
    public void pause(ThrottleScope scope) {
        if (scope != ThrottleScope.REPLICATION) {
            copyPause.pause();
        }
        if (scope != ThrottleScope.MIGRATION) {
            applyPause.pause();
        }
    }

    @Override
    public void unpause(ThrottleScope scope) {
        if (scope != ThrottleScope.REPLICATION) {
            copyPause.resume();
        }
        if (scope != ThrottleScope.MIGRATION) {
            applyPause.resume();
        }
    }

    @Override
    public void setAutomaticCutover(boolean automatic) {
        this.automaticCutover = automatic;
    }

    @Override
    public void requestStop() {
        if (phase == RunPhase.CUTOVER || (phase == RunPhase.WAIT_FOR_CUTOVER && automaticCutover)) {
            LOG.warn("refusing to interrupt the run: the copy is complete and cutover has begun; it completes first");
            return;
        }
        stopRequested = true;
        copyPause.resume();
        applyPause.resume();
    }

    @Override
    public void startVerification() {
        if (verifier == null) {
            throw new IllegalStateException("this run has no verifier; set VerifierType in the config");
        }
        verifier.startInBackground();
    }

    public RunPhase phase() {
        return phase;
    }

    @Override
    public void close() {
        if (targetPool != null) {
            targetPool.close();
        }
        if (sourcePool != null) {
            sourcePool.close();
        }
    }
}

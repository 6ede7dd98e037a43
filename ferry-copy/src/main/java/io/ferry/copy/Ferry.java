package io.ferry.copy;

import io.ferry.copy.internal.cutover.MoveCutover;
import io.ferry.copy.internal.cutover.WorkerHeartbeat;
import io.ferry.copy.internal.cutover.WorkerRegistry;
import io.ferry.copy.internal.operations.RunOperations;
import io.ferry.copy.internal.operations.StatusView;
import io.ferry.copy.internal.phase.BinlogStreamingPhase;
import io.ferry.copy.internal.phase.CatchUpPhase;
import io.ferry.copy.internal.phase.CutoverPhase;
import io.ferry.copy.internal.phase.Phase;
import io.ferry.copy.internal.phase.PreflightPhase;
import io.ferry.copy.internal.phase.RowCopyPhase;
import io.ferry.copy.internal.phase.RunAssembly;
import io.ferry.copy.internal.phase.RunControls;
import io.ferry.copy.internal.phase.RunParts;
import io.ferry.copy.internal.phase.TargetSchemaPhase;
import io.ferry.copy.internal.phase.VerificationPhase;
import io.ferry.copy.internal.phase.WorkersPhase;
import io.ferry.copy.internal.preflight.Preflight;
import io.ferry.copy.internal.preflight.TablePartitioner;
import io.ferry.copy.internal.schema.SchemaSetup;
import io.ferry.core.ConfigException;
import io.ferry.core.FerryException;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.Partition;
import io.ferry.core.control.FerryControl;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.RunStatus;
import io.ferry.core.control.UpdatableConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.filter.TableFilter;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.core.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One online copy from a source to a target server, run as its phases in order: preflight, target schema, binlog
 * streaming, row copy, catch-up, verification, cutover ({@code io.ferry.copy.internal.phase}). {@link #run()} blocks
 * until the cutover completed or the run failed; other threads watch and steer it through {@link FerryControl}.
 *
 * <pre>{@code
 * try (var ferry = new Ferry(ConfigLoader.load(Path.of("copydb.json")), RunHooks.NONE)) {
 *     ferry.run();
 * }
 * }</pre>
 */
public final class Ferry implements FerryControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ferry.class);
    /** The version written into saved states. */
    private static final String VERSION = "ferry " + Optional.ofNullable(Ferry.class.getModule().getDescriptor())
            .flatMap(d -> d.rawVersion()).orElse("0.1.0");

    /** How often a worker of a partitioned move refreshes its heartbeat, and how long its silence is tolerated. */
    private static final Duration WORKER_HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration WORKER_ALIVE = Duration.ofSeconds(10);

    private final CopydbConfig config;
    /** Names this run in the marginalia of its statements and in the log. */
    private final String runId;
    private final RunHooks hooks;
    private final Verifier verifier;
    private final CopySubset subset;
    private final RunControls controls;
    private final StatusView statusView;
    private volatile RunPhase phase = RunPhase.STARTING;
    /** The parts of the run from step 3 on; {@code null} before. */
    private volatile RunParts parts;
    private volatile CutoverPhase cutover;

    public Ferry(CopydbConfig config, RunHooks hooks) {
        this(config, hooks, null);
    }

    /**
     * A run checked by {@code verifier} (see {@code io.ferry.verify.Verifiers}), or by none when {@code null}: a
     * difference found at cutover ends the run with {@link io.ferry.core.DataMismatch}.
     */
    public Ferry(CopydbConfig config, RunHooks hooks, Verifier verifier) {
        this(config, hooks, verifier, CopySubset.ALL);
    }

    /**
     * A run that moves only {@code subset} of the selected tables and rows (a tenant, a shard): it copies, replicates
     * and verifies the rows the subset's {@link io.ferry.core.filter.RowFilter} selects, in the tables its
     * {@link io.ferry.core.filter.TableFilter} includes. See the README's "Selective copies".
     */
    public Ferry(CopydbConfig config, RunHooks hooks, Verifier verifier, CopySubset subset) {
        this.subset = Objects.requireNonNull(subset, "subset");
        this.runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // Every statement of the run names ferry and the run, for the processlist, the slow log and the binlog.
        this.config = config.withServers(config.source().withMarginalia(config.source().marginalia() + ",run:" + runId),
                config.target().withMarginalia(config.target().marginalia() + ",run:" + runId));
        this.hooks = hooks;
        this.verifier = verifier;
        this.controls = new RunControls(config.dataIterationBatchSize(), config.automaticCutover());
        this.statusView = new StatusView(config.source().hostPort(), config.target().hostPort(), InstantSource.system(),
                controls.migrationThrottlers(), controls.replicationThrottlers(), verifier);
    }

    /** Runs preflight only and returns what a run would do; writes nothing. */
    public CopyPlan plan() {
        refusePartitionedTableFilter();
        try (Connection source = DataSources.connectChecked("Source", config.source());
             Connection target = DataSources.connectChecked("Target", config.target())) {
            Preflight.Checked checked = new Preflight(config, t -> true, subset).run(source, target);
            List<TableId> order = SchemaSetup.creationOrder(source, config, checked.tables().keySet());
            Partition partition = config.partition();
            List<PlannedPart> parts = partition.isWhole() ? List.of()
                    : TablePartitioner.split(checked.estimatedBytes(), partition.count()).stream()
                            .map(p -> new PlannedPart(p.index(), p.tables(), p.bytes())).toList();
            Set<TableId> mine = parts.isEmpty() ? checked.tables().keySet()
                    : Set.copyOf(parts.get(partition.index()).tables());
            List<PlannedTable> tables = new ArrayList<>();
            for (TableId t : order.stream().filter(mine::contains).toList()) {
                TableSchema schema = checked.tables().get(t);
                RowSelection rows = subset.rows().select(schema, t);
                String how = subset.tables().describe(schema);
                tables.add(new PlannedTable(t, config.targetOf(t),
                        checked.keys().get(t).stream().map(ColumnSchema::name).toList(), checked.estimatedRows().get(t),
                        how.isEmpty() ? rows.condition() : how,
                        checked.selectedRows().getOrDefault(t, subset.filtersRows() ? checked.estimatedRows().get(t) : -1)));
            }
            return new CopyPlan(tables, checked.sourceServer().version(), checked.targetServer().version(),
                    checked.mappings().stream().map(m -> (m.warning() ? "warning: " : "") + m).toList(), partition,
                    parts, checked.leftOut());
        } catch (SQLException e) {
            throw new RunFailed("preflight failed: " + e.getMessage(), e);
        }
    }

    /**
     * Holds back the row copy while {@code throttler} throttles, besides the control server's pause (Ghostferry's
     * {@code MigrationThrottler}). May be called before or during {@link #run()}.
     */
    public void addMigrationThrottler(Throttler throttler) {
        controls.migrationThrottlers().add(Objects.requireNonNull(throttler, "throttler"));
    }

    /**
     * Holds back the binlog apply while {@code throttler} throttles, besides the control server's pause
     * (Ghostferry's {@code ReplicationThrottler}). May be called before or during {@link #run()}.
     */
    public void addReplicationThrottler(Throttler throttler) {
        controls.replicationThrottlers().add(Objects.requireNonNull(throttler, "throttler"));
    }

    /**
     * Runs the copy to the end: returns after a completed cutover, saying what was checked. Throws a {@link FerryException} saying what
     * went wrong otherwise; nothing written to the target is ever left half-applied within a batch. Progress and
     * error callbacks and the lag throttler of {@link CopydbConfig#operations()} run alongside.
     */
    public RunSummary run() throws InterruptedException {
        refusePartitionedTableFilter();
        if (!config.partition().isWhole() && config.state().resumeStateFromDb() == null) {
            throw new ConfigException("Partition = " + config.partition() + ": the workers of a partitioned move meet"
                    + " in ferry's state tables on the target, and each resumes from its own state there; set"
                    + " ResumeStateFromDB (e.g. \"ResumeStateFromDB\": \"_ferry\") in every worker's config");
        }
        var operations = new RunOperations(config.operations(), secrets(), controls.migrationThrottlers(),
                controls.replicationThrottlers());
        try (operations) {
            operations.start(this::status, () -> cutover == null ? BinlogPosition.NONE : cutover.stopPosition());
            runPhases();
            return cutover.summary();
        } catch (RuntimeException e) {
            operations.failed(errorSource(e), e, currentState().map(StateCodec::toJson).orElse(""));
            throw e;
        }
    }

    /** Refused before a worker registers: the workers of a partitioned move would each filter the tables anew. */
    private void refusePartitionedTableFilter() {
        if (!config.partition().isWhole() && subset.tables() != TableFilter.ALL) {
            throw new ConfigException("Partition = " + config.partition() + ": a run with a table filter (a tenant"
                    + " move) is not partitioned, since every worker would have to agree on the filtered tables; run"
                    + " it whole");
        }
    }

    /** Ghostferry's {@code ErrFrom} for the run's failure {@code e}. */
    private String errorSource(RuntimeException e) {
        RunParts run = parts;
        Throwable replicationFailure = run == null ? null : run.replication().failure();
        if (controls.stopRequested()) {
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
        if (config.replicaSource() != null) {
            secrets.add(config.replicaSource().master().password().value());
        }
        if (config.operations().lagThrottler() != null) {
            secrets.add(config.operations().lagThrottler().connection().password().value());
        }
        return secrets;
    }

    private void runPhases() throws InterruptedException {
        LOG.info("run {}: {}", runId, config.describe());
        if (subset.filtersRows()) {
            LOG.info("run {}: moves only the rows of {}", runId, subset.rows().identity());
        }
        if (config.partition().isWhole()) {
            runPhases(null);
            return;
        }
        try (var workers = DataSources.open("workers", config.target(), 2)) {
            runPhases(new WorkerRegistry(workers, config.state().resumeStateFromDb(), config.myServerId(),
                    config.partition()));
        }
    }

    /** The phases in order; {@code registry} holds the workers of a partitioned move, else it is {@code null}. */
    private void runPhases(WorkerRegistry registry) throws InterruptedException {
        var preflight = new PreflightPhase(config, registry, subset);
        runPhase(1, preflight);
        // Registered by preflight: from now on the other workers see this one alive.
        try (var heartbeat = registry == null ? null : new WorkerHeartbeat(registry, WORKER_HEARTBEAT)) {
            MoveCutover move = registry == null ? null : new MoveCutover(registry, heartbeat, config.partition(),
                    WORKER_ALIVE, config.partitionWorkerTimeout(), InstantSource.system());
            runFromStep2(preflight, move);
        }
    }

    /** Steps 2 on; {@code move} is the cutover shared with the other workers of a partitioned move, or {@code null}. */
    private void runFromStep2(PreflightPhase preflight, MoveCutover move) throws InterruptedException {
        var targetSchema = new TargetSchemaPhase(config, preflight.result(), VERSION);
        runPhase(2, targetSchema);
        RunParts run = RunAssembly.assemble(config, targetSchema.result(), hooks, controls, verifier, VERSION);
        parts = run;
        cutover = new CutoverPhase(config, run, statusView, move);
        List<Phase> phases = List.of(new BinlogStreamingPhase(run, hooks),
                new RowCopyPhase(config, run, controls, statusView),
                new CatchUpPhase(run, hooks, controls, config.disableCutover()), new VerificationPhase(run),
                new WorkersPhase(move, controls), cutover);
        try {
            for (int i = 0; i < phases.size(); i++) {
                runPhase(3 + i, phases.get(i));
            }
            phase = RunPhase.DONE;
            LOG.info("run complete: {} rows copied, {} binlog row changes applied, in {} s",
                    statusView.rowsCopied(), run.replication().rowsApplied(),
                    Duration.between(statusView.startedAt(), Instant.now()).toSeconds());
        } catch (RuntimeException e) {
            throw endEarly(run, e);
        } catch (InterruptedException e) {
            endEarly(run, e);
            throw e;
        } finally {
            if (phase != RunPhase.DONE) {
                run.replication().stop();
            }
            if (run.targetVerifier() != null) {
                run.targetVerifier().close();
            }
            run.stateSaver().close();
        }
    }

    private void runPhase(int step, Phase p) throws InterruptedException {
        phase = p.status();
        Optional<String> skipped = p.skipped();
        if (skipped.isPresent()) {
            LOG.info("step {} - {}: skipped, {}", step, p.name(), skipped.get());
            return;
        }
        LOG.info("step {} - {}", step, p.name());
        p.run();
    }

    /**
     * Ends a run that stops before cutover: at a clean point when stopped on request (the applier finishes its
     * transaction), then saves the state where configured. Returns the exception to throw.
     */
    private RuntimeException endEarly(RunParts run, Throwable e) throws InterruptedException {
        boolean stopped = controls.stopRequested();
        if (stopped) {
            run.replication().stopCleanly();
        } else {
            run.replication().stop();
        }
        String where = "";
        try {
            where = run.stateSaver().saveAtExit(stopped, !stopped);
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
        } else {
            LOG.error("the run ended before cutover and no state was saved (no StateFilename, ResumeStateFromDB or"
                    + " state dump is configured): the target holds a partial copy that cannot be resumed; drop the"
                    + " copied tables on the target and run again, with StateFilename or ResumeStateFromDB set so that"
                    + " an interrupted run can be resumed");
        }
        return e instanceof RuntimeException re ? re : new RunFailed("the run was interrupted", e);
    }

    /** The run's resumable state as it stands, once binlog streaming is set up. */
    public Optional<RunState> currentState() {
        RunParts run = parts;
        return run == null ? Optional.empty() : Optional.of(run.tracker().snapshot(config.state().includeSchemaCache()));
    }

    @Override
    public RunStatus status() {
        RunParts run = parts;
        return statusView.snapshot(phase, controls.automaticCutover(), controls.stopRequested(),
                run == null ? null : run.replication(), run == null ? List.of() : run.pools());
    }

    @Override
    public UpdatableConfig updatableConfig() {
        return new UpdatableConfig(controls.batchSize());
    }

    @Override
    public void setBatchSize(int rows) {
        int before = controls.setBatchSize(rows);
        LOG.info("DataIterationBatchSize changed from {} to {} rows", before, rows);
    }

    @Override
    public void pause(ThrottleScope scope) {
        controls.pause(scope != ThrottleScope.REPLICATION, scope != ThrottleScope.MIGRATION);
    }

    @Override
    public void unpause(ThrottleScope scope) {
        controls.unpause(scope != ThrottleScope.REPLICATION, scope != ThrottleScope.MIGRATION);
    }

    @Override
    public void setAutomaticCutover(boolean automatic) {
        controls.setAutomaticCutover(automatic);
    }

    @Override
    public void requestStop() {
        if (phase == RunPhase.CUTOVER
                || (phase == RunPhase.WAIT_FOR_CUTOVER && controls.automaticCutover() && !config.disableCutover())) {
            LOG.warn("refusing to interrupt the run: the copy is complete and cutover has begun; it completes first");
            return;
        }
        controls.requestStop();
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
        RunParts run = parts;
        if (run != null) {
            run.close();
        }
    }
}

package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.operations.StatusView;
import io.ferry.copy.internal.rowcopy.CopyScheduler;
import io.ferry.copy.internal.rowcopy.CopyTask;
import io.ferry.copy.internal.rowcopy.FullTableCopier;
import io.ferry.copy.internal.rowcopy.TableCopier;
import io.ferry.copy.internal.rowcopy.TableProgress;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.Defaults;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.schema.ColumnSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4: copies every table's rows in batches, {@code DataIterationConcurrency} tables at a time, while the binlog
 * apply goes on; tables a resumed state lists as complete are skipped, the others continue from their saved key
 * ranges. With {@code DelayDataIterationUntilBinlogWriterShutdown} it copies nothing and only replicates until
 * stopped.
 */
public final class RowCopyPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(RowCopyPhase.class);
    private final CopydbConfig config;
    private final RunParts parts;
    private final RunControls controls;
    private final StatusView status;

    public RowCopyPhase(CopydbConfig config, RunParts parts, RunControls controls, StatusView status) {
        this.config = config;
        this.parts = parts;
        this.controls = controls;
        this.status = status;
    }

    @Override
    public String name() {
        return "row copy";
    }

    @Override
    public RunPhase status() {
        return RunPhase.COPYING;
    }

    @Override
    public void run() throws InterruptedException {
        if (config.schemaChanges().delayDataIterationUntilBinlogWriterShutdown()) {
            replicateUntilStopped();
        }
        var checked = parts.prepared().preflight().checked();
        var order = parts.prepared().preflight().order();
        var schemas = checked.tables();
        var replication = parts.replication();
        var tracker = parts.tracker();
        LOG.info("copying rows of {} table(s), {} at a time", order.size(), config.dataIterationConcurrency());
        Map<TableId, CopyTask> copiers = new LinkedHashMap<>();
        var watch = new CopyTask.Watch(() -> replication.lastApplied().event(), replication::failure);
        Map<TableId, TableProgress> progressByTable = new LinkedHashMap<>();
        var rowFilter = parts.prepared().preflight().subset().rows();
        for (TableId t : order) {
            if (rowFilter.timing(schemas.get(t)) == CopyTiming.AT_CUTOVER) {
                LOG.info("{}: copied under the cutover lock, not now", t);
                continue;
            }
            List<ColumnSchema> key = checked.keys().get(t);
            var tableProgress = status.track(t, String.join(",", key.stream().map(ColumnSchema::name).toList()),
                    checked.rowsToCopy(t));
            progressByTable.put(t, tableProgress);
            // A table without a key is exact after a resume only if no change is applied to it twice.
            boolean replaySafe = !schemas.get(t).identityKey().isEmpty() || appliedPositionIsExact();
            if (tracker.track(t, tableProgress, replaySafe)) {
                LOG.info("{}: copied before the interruption; skipped", t);
                continue;
            }
            long rows = checked.rowsToCopy(t);
            Integer ownSize = checked.batchSizes().get(t);
            var context = ownSize == null ? parts.copyContext() : parts.copyContext().withBatchSize(() -> ownSize);
            copiers.put(t, parts.copyTasks().add(new CopyTask(t, schemas.get(t), tableProgress, (source, schema) ->
                    key.isEmpty()
                            ? new FullTableCopier(context, replication, schema, config.targetOf(source),
                                    tableProgress)
                            : new TableCopier(context, schema, config.targetOf(source),
                                    CopyTask.keyIn(schema, key), tableProgress, rows, ranges(rows),
                                    tracker.checkpoint(t, CopyTask.keyIn(schema, key))),
                    parts.sourcePool(), watch, RetryPolicy.of(config.dbReadRetries()))));
        }
        status.copyStarted();
        new CopyScheduler(config.dataIterationConcurrency(), config.schemaChanges().failOnFirstTableCopyError(),
                replication, parts.prepared().preflight().cascades().copyWaits(order), controls::stopRequested)
                .copyAll(copiers, progressByTable);
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
        while (!controls.stopRequested()) {
            parts.replication().throwIfFailed();
            Thread.sleep(100);
        }
        throw new RunFailed("run stopped on request while replicating only (DelayDataIterationUntilBinlogWriterShutdown);"
                + " no rows were copied: run again without DelayDataIterationUntilBinlogWriterShutdown to copy them");
    }
}

package io.ferry.copy.internal.phase;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.copy.internal.schema.PendingSchemaChangeReplay;
import io.ferry.copy.internal.schema.SchemaSetup;
import io.ferry.copy.internal.state.ResumeCheck;
import io.ferry.copy.internal.state.StateSaver;
import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.DataSources;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: a fresh run creates the target schema (after saving its start state, so a run killed from then on
 * resumes); a resumed run checks that the saved state fits this source and config, and completes what the
 * interrupted run left undone (a pending schema change, target tables it had not created).
 */
public final class TargetSchemaPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchemaPhase.class);
    /** ER_BAD_DB_ERROR, ER_NO_SUCH_TABLE: a target database or table not created yet (MySQL names the database). */
    private static final Set<Integer> NOT_CREATED_YET = Set.of(1049, 1146);
    private final CopydbConfig config;
    private final PreflightPhase.Result preflight;
    private final String version;
    private volatile Prepared result;

    /**
     * Where the run goes on from.
     *
     * @param resumed the state resumed from, or {@code null} for a fresh run
     * @param start   where a fresh run streams the binlog from (read before any table bound); {@code null} on resume
     */
    public record Prepared(PreflightPhase.Result preflight, RunState resumed, BinlogPosition start) {
        /** Where binlog streaming starts: the lowest saved position of its consumers when resuming. */
        public ResumablePosition from() {
            return resumed == null ? ResumablePosition.at(start) : resumed.minBinlogPosition();
        }

        /** Where the applier starts: where it was, even when the stream starts earlier for the verifier's sake. */
        public ResumablePosition applierStart() {
            return resumed == null || resumed.applierPosition().event().isNone() ? from() : resumed.applierPosition();
        }
    }

    /** @param version the ferry version written into saved states */
    public TargetSchemaPhase(CopydbConfig config, PreflightPhase.Result preflight, String version) {
        this.config = config;
        this.preflight = preflight;
        this.version = version;
    }

    @Override
    public String name() {
        return "target schema";
    }

    @Override
    public RunPhase status() {
        return RunPhase.STARTING;
    }

    /**
     * A fresh selective copy into existing target tables (a shard that holds other tenants) must find none of the rows
     * it selects there: they would be another run's, and copying over them would hide what they differ in.
     */
    private void refuseSelectedRowsOnTarget(Connection target) throws SQLException {
        var subset = preflight.subset();
        if (!subset.filtersRows()) {
            return;
        }
        List<String> holding = new ArrayList<>();
        try (Statement st = target.createStatement()) {
            for (TableId t : preflight.order()) {
                TableId onTarget = config.targetOf(t);
                // Without the hint, which names a source index.
                RowSelection rows = subset.rows().select(preflight.checked().tables().get(t), onTarget).withIndexHint("");
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + rows.on(onTarget) + " LIMIT 1")) {
                    if (rs.next()) {
                        holding.add(onTarget.toString());
                    }
                } catch (SQLException e) {
                    if (!NOT_CREATED_YET.contains(e.getErrorCode())) {
                        throw e;
                    }
                }
            }
        }
        if (!holding.isEmpty()) {
            throw new PreconditionFailed("the target already holds rows this run selects (" + subset.rows().identity()
                    + ") in " + String.join(", ", holding) + "; they are another run's: delete them on the target,"
                    + " or resume that run with its state");
        }
    }

    @Override
    public void run() {
        var checked = preflight.checked();
        var order = preflight.order();
        try (Connection source = DataSources.connectChecked("Source", config.source());
             Connection target = DataSources.connectChecked("Target", config.target())) {
            RunState resumed = resumeState(target);
            if (resumed == null) {
                refuseSelectedRowsOnTarget(target);
                BinlogPosition start = BinlogStreamer.currentPosition(source);
                StateSaver.saveInitial(config.state(), new RunState(RunState.FORMAT_VERSION, version, Instant.now(),
                        preflight.sourceId(), checked.tables().keySet(), config.iterateInDescendingOrder(),
                        checked.tables(), Map.of(), Set.of(), ResumablePosition.at(start), ResumablePosition.NONE, null,
                        null, preflight.subset().stateIdentity()),
                        target, config.stateKey());
                LOG.info("creating {} target table(s)", order.size());
                SchemaSetup.createTargetSchema(source, target, config, checked, order);
                result = new Prepared(preflight, null, start);
                return;
            }
            LOG.info("resuming the run saved at {}: {} of {} table(s) complete, binlog from {}",
                    resumed.savedAt(), resumed.completedTables().size(), order.size(),
                    resumed.minBinlogPosition().resumeFrom());
            resumed = PendingSchemaChangeReplay.settle(resumed, target, config::targetOf);
            ResumeCheck.check(resumed, preflight.sourceId(), checked.tables(), checked.keys(),
                    config.iterateInDescendingOrder(), preflight.subset().stateIdentity());
            ResumeCheck.checkBinlogAvailable(source, resumed.minBinlogPosition().resumeFrom(), resumed.savedAt(),
                    Instant.now());
            SchemaSetup.createMissingTargetTables(source, target, config, checked, order);
            result = new Prepared(preflight, resumed, null);
        } catch (SQLException e) {
            throw new RunFailed("preparing the run failed: " + e.getMessage(), e);
        }
    }

    /** Where the run goes on from; after {@link #run()}. */
    public Prepared result() {
        return result;
    }

    /** The state to resume from: given in the config (or on the command line), else saved in the target, else none. */
    private RunState resumeState(Connection target) {
        var state = config.state();
        if (state.stateToResumeFrom() != null) {
            return StateCodec.fromJson(state.stateToResumeFrom());
        }
        if (state.resumeStateFromDb() != null) {
            return new TargetStateTables(null, state.resumeStateFromDb(), config.stateKey(),
                    config.dbWriteRetries()).load(target).orElse(null);
        }
        return null;
    }
}

package io.ferry.copy.internal;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import io.ferry.core.state.SourceIdentity;
import io.ferry.core.state.StateCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first two steps of a run: preflight, then either a fresh target schema (with the start state saved before it,
 * so a run killed from then on resumes) or, when resuming, the checks that the saved state fits this source and
 * config and the completion of what the interrupted run left undone.
 */
public final class RunPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(RunPreparation.class);

    /**
     * What the run goes on with.
     *
     * @param resumed the state resumed from, or {@code null} for a fresh run
     * @param start   where a fresh run streams the binlog from (read before any table bound); {@code null} on resume
     */
    public record Prepared(Preflight.Checked checked, List<TableId> order, CascadingForeignKeys cascades,
                           SourceIdentity sourceId, RunState resumed, BinlogPosition start) {
        /** Where binlog streaming starts. */
        public ResumablePosition from() {
            return resumed == null ? ResumablePosition.at(start) : resumed.minBinlogPosition();
        }
    }

    private RunPreparation() {
    }

    public static Prepared prepare(CopydbConfig config, String version) {
        LOG.info("step 1 - preflight");
        try (Connection source = connect("Source", config.source());
             Connection target = connect("Target", config.target())) {
            Preflight.Checked checked = new Preflight(config).run(source, target);
            List<TableId> order = SchemaSetup.creationOrder(source, config, checked.tables().keySet());
            var cascades = CascadingForeignKeys.load(source, checked.tables().keySet());
            SourceIdentity sourceId = ResumeCheck.identify(source, config.source());
            RunState resumed = resumeState(config, target);
            if (resumed == null) {
                BinlogPosition start = BinlogStreamer.currentPosition(source);
                StateSaver.saveInitial(config.state(), new RunState(RunState.FORMAT_VERSION, version, Instant.now(),
                        sourceId, checked.tables().keySet(), config.iterateInDescendingOrder(), checked.tables(),
                        Map.of(), Set.of(), ResumablePosition.at(start), ResumablePosition.NONE, null),
                        target, config.myServerId());
                LOG.info("step 2 - creating {} target table(s)", order.size());
                SchemaSetup.createTargetSchema(source, target, config, checked, order);
                return new Prepared(checked, order, cascades, sourceId, null, start);
            }
            LOG.info("step 2 - resuming the run saved at {}: {} of {} table(s) complete, binlog from {}",
                    resumed.savedAt(), resumed.completedTables().size(), order.size(),
                    resumed.minBinlogPosition().resumeFrom());
            resumed = PendingSchemaChangeReplay.settle(resumed, target, config::targetOf);
            ResumeCheck.check(resumed, sourceId, checked.tables(), checked.keys(), config.iterateInDescendingOrder());
            ResumeCheck.checkBinlogAvailable(source, resumed.minBinlogPosition().resumeFrom(), resumed.savedAt(),
                    Instant.now());
            SchemaSetup.createMissingTargetTables(source, target, config, checked, order);
            return new Prepared(checked, order, cascades, sourceId, resumed, null);
        } catch (SQLException e) {
            throw new RunFailed("preparing the run failed: " + e.getMessage(), e);
        }
    }

    /** The state to resume from: given in the config (or on the command line), else saved in the target, else none. */
    private static RunState resumeState(CopydbConfig config, Connection target) {
        var state = config.state();
        if (state.stateToResumeFrom() != null) {
            return StateCodec.fromJson(state.stateToResumeFrom());
        }
        if (state.resumeStateFromDb() != null) {
            return new TargetStateTables(null, state.resumeStateFromDb(), config.myServerId()).load(target).orElse(null);
        }
        return null;
    }

    static Connection connect(String role, DatabaseConfig db) {
        return DataSources.connectChecked(role, db);
    }
}

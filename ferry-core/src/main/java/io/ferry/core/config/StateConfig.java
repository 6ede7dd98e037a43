package io.ferry.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a run keeps its resumable state and where it resumes from (Ghostferry's state keys).
 *
 * @param dumpStateOnSignal         SIGINT/SIGTERM (and a stop request) stop the run at a clean point and save the
 *                                  state: to {@code stateFilename} when set, else to stdout
 * @param dumpStateToStdoutOnError  a run failing with an error prints its last state to stdout
 * @param includeSchemaCache        whether dumps carry the table schemas ({@code DoNotIncludeSchemaCacheInStateDump}
 *                                  turns it off)
 * @param stateFilename             the file the state is written to, atomically, periodically and at exit; or null
 * @param stateToResumeFrom         a state to resume from, as JSON ({@code StateToResumeFrom}); or null
 * @param resumeStateFromDb         the target database holding ferry's state tables; or null
 * @param forceResumeStateUpdatesToDb write the applier's position in the same target transaction as each applied
 *                                  batch (needs {@code resumeStateFromDb})
 * @param stateCallback             POSTed the state periodically; or null
 * @param reportFrequency           how often the state is written to the file, the callback and the state tables
 */
public record StateConfig(boolean dumpStateOnSignal, boolean dumpStateToStdoutOnError, boolean includeSchemaCache,
                          Path stateFilename, String stateToResumeFrom, String resumeStateFromDb,
                          boolean forceResumeStateUpdatesToDb, HttpCallback stateCallback, Duration reportFrequency) {

    public static final StateConfig NONE = new StateConfig(false, false, true, null, null, null, false, null,
            Defaults.STATE_REPORT_FREQUENCY);

    public StateConfig {
        Objects.requireNonNull(reportFrequency, "reportFrequency");
    }

    /** Whether a stop request leaves a saved state behind (a file, the target's state tables, stdout or a callback). */
    public boolean savesOnStop() {
        return dumpStateOnSignal || stateFilename != null || resumeStateFromDb != null || stateCallback != null;
    }

    public StateConfig withStateToResumeFrom(String json) {
        return new StateConfig(dumpStateOnSignal, dumpStateToStdoutOnError, includeSchemaCache, stateFilename, json,
                resumeStateFromDb, forceResumeStateUpdatesToDb, stateCallback, reportFrequency);
    }

    /** One clause for the run's description, or {@code ""} when no state is kept. */
    String describe() {
        var sb = new StringBuilder();
        if (stateFilename != null) {
            sb.append("state file ").append(stateFilename);
        }
        if (resumeStateFromDb != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("state tables in target database ").append(resumeStateFromDb)
                    .append(forceResumeStateUpdatesToDb ? " (positions in every binlog transaction)" : "");
        }
        if (stateCallback != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("state callback ").append(stateCallback.describe());
        }
        if (dumpStateOnSignal) {
            sb.append(sb.isEmpty() ? "" : ", ").append("state saved on SIGINT/SIGTERM");
        }
        if (stateToResumeFrom != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("resuming from a given state");
        }
        return sb.toString();
    }
}

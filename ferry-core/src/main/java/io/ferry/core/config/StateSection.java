package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import io.ferry.core.ConfigException;
import io.ferry.core.state.StateCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads the state keys: {@code DumpStateOnSignal}, {@code DumpStateToStdoutOnError},
 * {@code DoNotIncludeSchemaCacheInStateDump}, {@code StateFilename}, {@code StateToResumeFrom},
 * {@code ResumeStateFromDB}, {@code ForceResumeStateUpdatesToDB}, {@code StateCallback} and
 * {@code StateReportFrequency} (milliseconds).
 */
final class StateSection {
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

    private StateSection() {
    }

    static StateConfig read(JsonSection root, Path baseDir) {
        boolean onSignal = bool(root, "DumpStateOnSignal");
        boolean onError = bool(root, "DumpStateToStdoutOnError");
        boolean noSchema = bool(root, "DoNotIncludeSchemaCacheInStateDump");
        String file = root.string("StateFilename");
        Path stateFile = file == null || file.isEmpty() ? null : baseDir.resolve(file).normalize();
        String resumeFrom = null;
        var given = root.get("StateToResumeFrom");
        if (given != null) {
            if (!given.isJsonObject()) {
                root.problems().add("StateToResumeFrom", given, "must be a state object as ferry dumps it");
            } else {
                resumeFrom = given.toString();
                try {
                    StateCodec.fromJson(resumeFrom);
                } catch (ConfigException e) {
                    root.problems().add("StateToResumeFrom", e.problems().getFirst());
                    resumeFrom = null;
                }
            }
        }
        String db = root.string("ResumeStateFromDB");
        if (db != null && db.isEmpty()) {
            db = null;
        }
        if (db != null && !DATABASE_NAME.matcher(db).matches()) {
            root.problems().add("ResumeStateFromDB", new JsonPrimitive(db),
                    "must be a database name of letters, digits, _ and -; choose another name");
            db = null;
        }
        boolean force = bool(root, "ForceResumeStateUpdatesToDB");
        if (force && db == null && !root.has("ResumeStateFromDB")) {
            root.problems().add("ForceResumeStateUpdatesToDB", new JsonPrimitive(true),
                    "needs ResumeStateFromDB; name the target database for ferry's state tables, or remove it");
        }
        HttpCallback callback = ConfigLoader.readCallback(root, "StateCallback");
        Long millis = root.integer("StateReportFrequency", 0, Integer.MAX_VALUE);
        Duration frequency = millis == null || millis == 0 ? Defaults.STATE_REPORT_FREQUENCY : Duration.ofMillis(millis);
        return new StateConfig(onSignal, onError, !noSchema, stateFile, resumeFrom, db, force, callback, frequency);
    }

    private static boolean bool(JsonSection root, String key) {
        Boolean b = root.bool(key);
        return b != null && b;
    }
}

package io.ferry.server.api;

import java.util.List;

/**
 * A custom script and its last run, as in Ghostferry's {@code CustomScriptStatuses}: {@code Status} is
 * {@code not run}, {@code running}, {@code succeeded} or {@code failed}; {@code ExitCode} is {@code null} until it
 * exits (and when it could not start); {@code Logs} holds its output, stdout and stderr together.
 */
public record ScriptStatusJson(String name, List<String> command, boolean running, String status, Integer exitCode,
                               String logs, String startTime, String endTime) {
    public static ScriptStatusJson neverRun(String name, List<String> command) {
        return new ScriptStatusJson(name, command, false, "not run", null, "", null, null);
    }
}

package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads copydb's replica keys: {@code RunFerryFromReplica}, {@code SourceReplicationMaster} (a server section like
 * {@code Source}), {@code ReplicatedMasterPositionQuery} and {@code WaitForReplicationTimeout} (a Go duration).
 * The other three keys mean nothing without {@code RunFerryFromReplica: true}; set otherwise, they are a problem
 * (Ghostferry ignores them, which would run without the cutover wait the operator asked for).
 */
final class ReplicaSourceSection {
    private static final String[] DEPENDENT = {"SourceReplicationMaster", "ReplicatedMasterPositionQuery",
            "WaitForReplicationTimeout"};

    private ReplicaSourceSection() {
    }

    /** The replica settings, or {@code null} when the source is not run as a replica (or a problem was recorded). */
    static ReplicaSourceConfig read(JsonSection root, DatabaseSectionReader reader) {
        Boolean on = root.bool("RunFerryFromReplica");
        String query = root.string("ReplicatedMasterPositionQuery");
        Duration timeout = readTimeout(root);
        JsonSection masterSection = root.section("SourceReplicationMaster");
        if (on == null || !on) {
            for (String key : DEPENDENT) {
                if (root.has(key) && !UnsupportedKeys.isOff(root.get(key), null)) {
                    root.problems().add(key, "has an effect only with \"RunFerryFromReplica\": true; set that too, or"
                            + " remove " + key);
                }
            }
            return null;
        }
        if (masterSection == null) {
            if (!root.has("SourceReplicationMaster")) {
                root.problems().add("SourceReplicationMaster", "required with RunFerryFromReplica; give the connection"
                        + " settings of the source's master ({\"Host\": ..., \"User\": ...}), whose binlog position the"
                        + " cutover waits for the replica to reach");
            }
            return null;
        }
        DatabaseConfig master = reader.read(masterSection);
        if (query != null && query.isBlank()) {
            query = null;
        }
        if (query != null && !query.strip().toUpperCase(Locale.ROOT).matches("(?s)(SELECT|SHOW|WITH|\\().*")) {
            root.problems().add("ReplicatedMasterPositionQuery", new JsonPrimitive(query), "must be a query (SELECT ...)"
                    + " returning the master binlog file and position the replica has applied, e.g. SELECT file,"
                    + " position FROM meta.heartbeat");
        }
        return master == null ? null : new ReplicaSourceConfig(master, query, timeout);
    }

    /** Absent, "" or 0: no limit, as in Ghostferry. */
    private static Duration readTimeout(JsonSection root) {
        String text = root.string("WaitForReplicationTimeout");
        if (text == null || text.isEmpty()) {
            return null;
        }
        Duration d = GoDuration.parse(text);
        if (d == null) {
            root.problems().add("WaitForReplicationTimeout", new JsonPrimitive(text),
                    "must be a duration such as \"30s\", \"2m\" or \"500ms\"");
            return null;
        }
        return d.isZero() ? null : d;
    }
}

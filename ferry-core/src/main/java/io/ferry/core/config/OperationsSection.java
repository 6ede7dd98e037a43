package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import java.time.Duration;

/**
 * Reads {@code ProgressCallback}, {@code ProgressReportFrequency} (milliseconds), {@code ErrorCallback} and the lag
 * throttler into an {@link OperationsConfig}. The lag throttler is a {@code LagThrottlerConfig} object
 * ({@code Connection, MaxLag, Query, UpdateInterval}, plus ferry's {@code ThrottleReplication}); it is read from the
 * key {@code LagThrottlerConfig}, or from {@code Throttle}, the key Ghostferry's sharding tool reads it from.
 */
final class OperationsSection {
    private static final long MAX_FREQUENCY_MS = 24L * 3600 * 1000;

    private OperationsSection() {
    }

    static OperationsConfig read(JsonSection root, DatabaseSectionReader databases) {
        HttpCallback progress = ConfigLoader.readCallback(root, "ProgressCallback");
        Long frequencyMs = root.integer("ProgressReportFrequency", 0, MAX_FREQUENCY_MS);
        Duration frequency = frequencyMs == null || frequencyMs == 0 ? Defaults.PROGRESS_REPORT_FREQUENCY
                : Duration.ofMillis(frequencyMs);
        HttpCallback error = ConfigLoader.readCallback(root, "ErrorCallback");
        LagThrottlerConfig lag = readLagThrottler(root, databases);
        return new OperationsConfig(progress, frequency, error, lag);
    }

    private static LagThrottlerConfig readLagThrottler(JsonSection root, DatabaseSectionReader databases) {
        boolean fromThrottle = root.has("Throttle");
        if (fromThrottle && root.has("LagThrottlerConfig")) {
            root.problems().add("Throttle", "LagThrottlerConfig and Throttle are the same setting; keep LagThrottlerConfig");
            return null;
        }
        String key = fromThrottle ? "Throttle" : "LagThrottlerConfig";
        var value = root.get(key);
        if (value == null || UnsupportedKeys.isOff(value, null)) {
            return null; // an all-zero object, as a Go config writes it, means no throttler
        }
        JsonSection s = root.section(key);
        if (s == null) {
            return null;
        }
        JsonSection connectionSection = s.section("Connection");
        DatabaseConfig connection = null;
        if (connectionSection != null) {
            connection = databases.read(connectionSection);
        } else if (!s.has("Connection")) {
            s.problems().add(s.path("Connection"), "required; give the server the lag query runs on ({\"Host\": ..., \"User\": ...})");
        }
        Long maxLag = s.integer("MaxLag", 0, Long.MAX_VALUE);
        if (maxLag == null && !s.has("MaxLag")) {
            s.problems().add(s.path("MaxLag"), "required; give the largest lag the query may report before the copy waits");
        }
        String query = s.string("Query");
        if (query == null && !s.has("Query")) {
            s.problems().add(s.path("Query"), "required; give a query whose first column is the lag, e.g. "
                    + "SELECT TIMESTAMPDIFF(SECOND, ts, NOW()) FROM heartbeat.heartbeat");
        } else if (query != null && query.isBlank()) {
            s.problems().add(s.path("Query"), new JsonPrimitive(query), "must not be empty; give the lag query");
            query = null;
        }
        String interval = s.string("UpdateInterval");
        Duration every = Defaults.LAG_THROTTLER_UPDATE_INTERVAL;
        if (interval != null && !interval.isEmpty()) {
            every = GoDuration.parse(interval);
            if (every == null || every.isZero() || every.isNegative()) {
                s.problems().add(s.path("UpdateInterval"), new JsonPrimitive(interval),
                        "must be a positive Go duration such as \"1s\" or \"500ms\"");
                every = null;
            }
        }
        Boolean replication = s.bool("ThrottleReplication");
        s.rejectUnknownKeys();
        if (connection == null || maxLag == null || query == null || every == null) {
            return null;
        }
        return new LagThrottlerConfig(connection, maxLag, query, every, replication != null && replication);
    }
}

package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ProgressCallback}, {@code ProgressReportFrequency} (milliseconds), {@code ErrorCallback} and the lag
 * throttler into an {@link OperationsConfig}. The lag throttler is a {@code LagThrottlerConfig} object
 * ({@code Connection, MaxLag, Query, UpdateInterval}, plus ferry's {@code ThrottleReplication}); it is read from the
 * key {@code LagThrottlerConfig}, or from {@code Throttle}, the key Ghostferry's sharding tool reads it from.
 */
final class OperationsSection {
    private static final long MAX_FREQUENCY_MS = 24L * 3600 * 1000;
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

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
            every = goDuration(interval);
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

    /** Go's {@code time.ParseDuration} for non-negative values: {@code 1h30m}, {@code 1.5s}, {@code 250ms}; else {@code null}. */
    static Duration goDuration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            String number = m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1);
            nanos = nanos.add(new BigDecimal(number.startsWith(".") ? "0" + number : number).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        return at == 0 ? null : Duration.ofNanos(nanos.longValue());
    }
}

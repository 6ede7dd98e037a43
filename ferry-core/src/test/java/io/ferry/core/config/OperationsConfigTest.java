package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProgressCallback, ProgressReportFrequency, ErrorCallback and the lag throttler keys. */
class OperationsConfigTest {
    private static final String SERVERS = "'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'}";

    @TempDir
    Path dir;

    private CopydbConfig parse(String extra) {
        return ConfigLoader.parse(("{" + SERVERS + (extra.isEmpty() ? "" : ", " + extra) + "}").replace('\'', '"'),
                Map.of("LAG_PASS", "lag-secret-9"), dir);
    }

    private List<String> problems(String extra) {
        return assertThrows(ConfigException.class, () -> parse(extra)).problems();
    }

    @Test
    void nothingConfiguredMeansNoCallbacksAndNoThrottler() {
        assertEquals(OperationsConfig.NONE, parse("").operations());
        OperationsConfig off = parse("'ProgressCallback': {'URI': '', 'Payload': ''}, 'ProgressReportFrequency': 0, "
                + "'ErrorCallback': {}, 'Throttle': {'MaxLag': 0, 'Query': '', 'UpdateInterval': ''}").operations();
        assertNull(off.progressCallback());
        assertNull(off.errorCallback());
        assertNull(off.lagThrottler());
        assertEquals(Duration.ofMillis(500), off.progressReportFrequency());
    }

    @Test
    void callbacksAndFrequencyAreRead() {
        OperationsConfig o = parse("'ProgressCallback': {'URI': 'http://ops/progress', 'Payload': 'run-42'}, "
                + "'ProgressReportFrequency': 250, 'ErrorCallback': {'URI': 'https://ops/error'}").operations();
        assertEquals("http://ops/progress", o.progressCallback().uri().toString());
        assertEquals("run-42", o.progressCallback().payload());
        assertEquals(Duration.ofMillis(250), o.progressReportFrequency());
        assertEquals("https://ops/error", o.errorCallback().uri().toString());
        assertTrue(parse("'ProgressCallback': {'URI': 'http://ops/progress'}").describe().contains("progress to http://ops/progress every 500 ms"));
    }

    @Test
    void theLagThrottlerIsReadFromEitherSpelling() {
        LagThrottlerConfig lag = parse("""
                'LagThrottlerConfig': {'Connection': {'Host': 'replica', 'User': 'mon', 'PassFromEnv': 'LAG_PASS'},
                  'MaxLag': 3, 'Query': 'SELECT lag FROM meta.heartbeat', 'UpdateInterval': '1m1.5s',
                  'ThrottleReplication': true}""").operations().lagThrottler();
        assertEquals("replica", lag.connection().host());
        assertEquals(3, lag.maxLag());
        assertEquals("SELECT lag FROM meta.heartbeat", lag.query());
        assertEquals(Duration.ofMillis(61_500), lag.updateInterval());
        assertTrue(lag.throttleReplication());

        CopydbConfig viaThrottle = parse("'Throttle': {'Connection': {'Host': 'replica', 'User': 'mon', 'Pass': 'lag-secret-9'}, "
                + "'MaxLag': 0, 'Query': 'SELECT 1'}");
        LagThrottlerConfig sharding = viaThrottle.operations().lagThrottler();
        assertEquals(Duration.ofSeconds(1), sharding.updateInterval());
        assertFalse(sharding.throttleReplication());
        assertFalse(viaThrottle.describe().contains("lag-secret-9"), viaThrottle.describe());
        assertTrue(viaThrottle.describe().contains("lag throttler on "), viaThrottle.describe());
    }

    @Test
    void lagThrottlerProblemsAreAllReported() {
        assertEquals(List.of(
                        "LagThrottlerConfig.Connection: required; give the server the lag query runs on ({\"Host\": ..., \"User\": ...})",
                        "LagThrottlerConfig.MaxLag = -1: must be at least 0",
                        "LagThrottlerConfig.Query = \" \": must not be empty; give the lag query",
                        "LagThrottlerConfig.UpdateInterval = \"5 seconds\": must be a positive Go duration such as \"1s\" or \"500ms\"",
                        "LagThrottlerConfig.Interval: unknown key; remove it"),
                problems("'LagThrottlerConfig': {'MaxLag': -1, 'Query': ' ', 'UpdateInterval': '5 seconds', 'Interval': 1}"));
        assertEquals(List.of("Throttle: LagThrottlerConfig and Throttle are the same setting; keep LagThrottlerConfig"),
                problems("'Throttle': {'MaxLag': 1}, 'LagThrottlerConfig': {'MaxLag': 1}"));
    }
}

package io.ferry.copy.internal.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ferry.core.control.Throughput;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyRateTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final CopyRate rate = new CopyRate();

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void unknownBeforeTheCopyStarts() {
        assertEquals(Throughput.UNKNOWN, rate.measure(at(5), 0, 100));
    }

    @Test
    void rateAndEtaFollowRowsOverTime() {
        rate.started(T0, 0);
        Throughput t = rate.measure(at(10), 1000, 500);
        assertEquals(100, t.rowsPerSecond(), 1e-9);
        assertEquals(Duration.ofSeconds(5), t.eta());
    }

    @Test
    void etaIsUnknownWithoutProgressAndZeroWhenNothingRemains() {
        rate.started(T0, 0);
        assertNull(rate.measure(at(3), 0, 500).eta());
        assertEquals(Duration.ZERO, rate.measure(at(4), 0, 0).eta());
    }

    @Test
    void onlyTheRecentWindowCounts() {
        rate.started(T0, 0);
        rate.measure(at(10), 1000, 500);
        // Paused for a long time: the speed drops to zero once the fast period left the window.
        Throughput stalled = rate.measure(at(100), 1000, 500);
        assertEquals(0, stalled.rowsPerSecond(), 1e-9);
        assertNull(stalled.eta());
        // Resumed: measured from the newest sample at or before the window start (t=10; no poll in between).
        Throughput resumed = rate.measure(at(110), 1500, 250);
        assertEquals(5, resumed.rowsPerSecond(), 1e-9);
        assertEquals(Duration.ofSeconds(50), resumed.eta());
        // Polled again within the window: the baseline moves up to t=100.
        Throughput later = rate.measure(at(131), 3600, 100);
        assertEquals(2600 / 31.0, later.rowsPerSecond(), 1e-9);
    }
}

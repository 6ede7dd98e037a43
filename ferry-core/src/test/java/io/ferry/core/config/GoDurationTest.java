package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void durationsParseAsGoParsesThem() {
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ofMinutes(165), GoDuration.parse("2h45m"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
        assertEquals(Duration.ofNanos(300), GoDuration.parse("300ns"));
        assertEquals(Duration.ofNanos(2500), GoDuration.parse("2us500ns"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
    }

    @Test
    void whatGoRefusesIsNotADuration() {
        assertNull(GoDuration.parse("10"));
        assertNull(GoDuration.parse("1d"));
        assertNull(GoDuration.parse(""));
        assertNull(GoDuration.parse("s"));
        assertNull(GoDuration.parse("1s "));
    }
}

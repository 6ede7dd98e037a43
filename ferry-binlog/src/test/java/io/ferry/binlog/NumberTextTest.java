package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.binlog.internal.NumberText;
import io.ferry.binlog.internal.TemporalText;
import org.junit.jupiter.api.Test;

/** The server's text forms for doubles and temporal storage formats, checked against MariaDB 10.11's output. */
class NumberTextTest {

    @Test
    void doublesPrintLikeTheServer() {
        assertEquals("3.4028234663852886e38", NumberText.ofDouble((double) 3.4028234e38f));
        assertEquals("1e15", NumberText.ofDouble(1e15));
        assertEquals("100000000000000", NumberText.ofDouble(1e14));
        assertEquals("1234567890123456.8", NumberText.ofDouble(1234567890123456.7));
        assertEquals("1.2345678901234568e17", NumberText.ofDouble(123456789012345678d));
        assertEquals("0.000000000000001", NumberText.ofDouble(1e-15));
        assertEquals("-0.00000015", NumberText.ofDouble(-1.5e-7));
        assertEquals("-2.5e-300", NumberText.ofDouble(-2.5e-300));
        assertEquals("0.10000000149011612", NumberText.ofDouble((double) 0.1f));
        assertEquals("0", NumberText.ofDouble(0));
        assertEquals("-0", NumberText.ofDouble(-0.0));
    }

    @Test
    void negativeTimesWithFractionsDecode() {
        // -00:00:00.01 as TIME(2): intpart 0x7FFFFF, fraction 0xFF (stored reversed for sort order)
        assertEquals("-00:00:00.01", TemporalText.time2(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, 2));
        assertEquals("00:00:00.00", TemporalText.time2(new byte[] {(byte) 0x80, 0, 0, 0}, 2));
        assertEquals("0000", TemporalText.year(0));
        assertEquals("0000-00-00 00:00:00.000", TemporalText.timestamp(0, 0, 3));
    }
}

package io.ferry.binlog.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Temporal values as the server prints them in a text result set (sessions run in UTC), built from their binlog
 * storage formats (mysql-8.0 mysys/my_time.cc {@code my_time_packed_from_binary},
 * {@code my_datetime_packed_from_binary}, {@code my_timestamp_from_binary}). Zero and partly-zero dates print as
 * stored ({@code 0000-00-00}, {@code 2020-00-00}); fractions print with exactly {@code fsp} digits.
 */
public final class TemporalText {
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;

    private TemporalText() {
    }

    /** YEAR: one byte, 0 for the zero year, else years after 1900. */
    public static String year(int stored) {
        return stored == 0 ? "0000" : String.valueOf(1900 + stored);
    }

    /** DATE: 3 bytes little-endian, day in bits 0-4, month in 5-8, year above. */
    public static String date(int stored) {
        var sb = new StringBuilder(10);
        appendDate(sb, stored >>> 9, (stored >>> 5) & 15, stored & 31);
        return sb.toString();
    }

    /** TIME2: 3 bytes big-endian plus {@code (fsp + 1) / 2} fraction bytes, as {@code bytes}. */
    public static String time2(byte[] bytes, int fsp) {
        long intPart;
        long frac;
        switch (fsp) {
            case 0 -> {
                intPart = bigEndian(bytes, 0, 3) - TIMEF_INT_OFS;
                frac = 0;
            }
            case 1, 2 -> {
                intPart = bigEndian(bytes, 0, 3) - TIMEF_INT_OFS;
                frac = bytes[3] & 0xFF;
                // Negative values store the fraction in reverse order, for binary sort order.
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                frac *= 10_000;
            }
            case 3, 4 -> {
                intPart = bigEndian(bytes, 0, 3) - TIMEF_INT_OFS;
                frac = bigEndian(bytes, 3, 2);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                frac *= 100;
            }
            case 5, 6 -> {
                long packed = bigEndian(bytes, 0, 6) - TIMEF_OFS;
                return timeFromPacked(packed, fsp);
            }
            default -> throw new IllegalArgumentException("TIME precision " + fsp);
        }
        return timeFromPacked((intPart << 24) + frac, fsp);
    }

    /** The pre-5.6 TIME: a signed 3-byte integer HHMMSS. */
    public static String timeOld(int hhmmss) {
        var sb = new StringBuilder(10);
        if (hhmmss < 0) {
            sb.append('-');
        }
        int v = Math.abs(hhmmss);
        appendTime(sb, v / 10000, v / 100 % 100, v % 100);
        return sb.toString();
    }

    /** DATETIME2: 5 bytes big-endian plus fraction bytes. */
    public static String datetime2(byte[] bytes, int fsp) {
        long intPart = bigEndian(bytes, 0, 5) - DATETIMEF_INT_OFS;
        long frac = fraction(bytes, 5, fsp);
        long ymdhms = intPart; // datetimes are never negative
        long ymd = ymdhms >> 17;
        long ym = ymd >> 5;
        long hms = ymdhms % (1 << 17);
        var sb = new StringBuilder(26);
        appendDate(sb, (int) (ym / 13), (int) (ym % 13), (int) (ymd % (1 << 5)));
        sb.append(' ');
        appendTime(sb, (int) (hms >> 12), (int) ((hms >> 6) % (1 << 6)), (int) (hms % (1 << 6)));
        appendFraction(sb, frac, fsp);
        return sb.toString();
    }

    /** The pre-5.6 DATETIME: an 8-byte integer YYYYMMDDhhmmss. */
    public static String datetimeOld(long value) {
        long date = value / 1_000_000;
        long time = value % 1_000_000;
        var sb = new StringBuilder(19);
        appendDate(sb, (int) (date / 10000), (int) (date / 100 % 100), (int) (date % 100));
        sb.append(' ');
        appendTime(sb, (int) (time / 10000), (int) (time / 100 % 100), (int) (time % 100));
        return sb.toString();
    }

    /** TIMESTAMP2: 4 bytes big-endian seconds since the epoch plus fraction bytes, printed in UTC. */
    public static String timestamp2(byte[] bytes, int fsp) {
        return timestamp(bigEndian(bytes, 0, 4), fraction(bytes, 4, fsp), fsp);
    }

    /** TIMESTAMP as seconds since the epoch (0 is the zero timestamp), printed in UTC. */
    public static String timestamp(long seconds, long micros, int fsp) {
        var sb = new StringBuilder(26);
        if (seconds == 0 && micros == 0) {
            sb.append("0000-00-00 00:00:00");
        } else {
            LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            appendDate(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
            sb.append(' ');
            appendTime(sb, t.getHour(), t.getMinute(), t.getSecond());
        }
        appendFraction(sb, micros, fsp);
        return sb.toString();
    }

    /** Bytes of the fractional part for precision {@code fsp}. */
    public static int fractionBytes(int fsp) {
        return (fsp + 1) / 2;
    }

    private static String timeFromPacked(long packed, int fsp) {
        var sb = new StringBuilder(17);
        long v = packed;
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        long hms = v >> 24;
        appendTime(sb, (int) ((hms >> 12) % (1 << 10)), (int) ((hms >> 6) % (1 << 6)), (int) (hms % (1 << 6)));
        appendFraction(sb, v % (1 << 24), fsp);
        return sb.toString();
    }

    private static long fraction(byte[] bytes, int offset, int fsp) {
        return switch (fsp) {
            case 0 -> 0;
            case 1, 2 -> (bytes[offset] & 0xFF) * 10_000L;
            case 3, 4 -> bigEndian(bytes, offset, 2) * 100;
            case 5, 6 -> bigEndian(bytes, offset, 3);
            default -> throw new IllegalArgumentException("fractional precision " + fsp);
        };
    }

    private static void appendDate(StringBuilder sb, int year, int month, int day) {
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2);
    }

    private static void appendTime(StringBuilder sb, int hour, int minute, int second) {
        pad(sb, hour, 2).append(':');
        pad(sb, minute, 2).append(':');
        pad(sb, second, 2);
    }

    private static void appendFraction(StringBuilder sb, long micros, int fsp) {
        if (fsp > 0) {
            String six = Long.toString(1_000_000 + micros).substring(1);
            sb.append('.').append(six, 0, fsp);
        }
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        return sb.repeat('0', Math.max(0, width - s.length())).append(s);
    }

    static long bigEndian(byte[] bytes, int offset, int length) {
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }
}

package io.ferry.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} format ({@code 300ms}, {@code 1.5h}, {@code 2h45m}), which Ghostferry configs use. */
final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern ALL = Pattern.compile("(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h))+");

    private GoDuration() {
    }

    /** The duration, or {@code null} when {@code text} is not one (a bare {@code 0} is zero, as in Go). */
    static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (!ALL.matcher(text).matches()) {
            return null;
        }
        Matcher m = WHOLE.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find()) {
            BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(3)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** {@code d} as Go prints it, roughly: {@code 1.5s}, {@code 250ms}. */
    static String format(Duration d) {
        if (d.toNanos() % 1_000_000 == 0 && d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}

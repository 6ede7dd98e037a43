package io.ferry.binlog.internal;

import java.math.BigDecimal;

/**
 * Floating-point numbers as the server prints them in a text result set. The server uses the shortest digits that
 * read back as the same double ({@code dtoa} mode 0) and picks between plain and E notation by the rule of
 * {@code my_gcvt} (strings/dtoa.c): plain when {@code -14 <= decpt <= 15}, or when the digits reach past the decimal
 * point; else {@code d.ddde[-]x}, with a lower-case {@code e} and no plus sign.
 */
public final class NumberText {
    /** my_gcvt's MAX_DECPT_FOR_F_FORMAT (DBL_DIG). */
    private static final int MAX_DECPT_FOR_F_FORMAT = 15;

    private NumberText() {
    }

    public static String ofDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("the server never stores " + d);
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0"; // MySQL keeps and prints the sign of -0.0
        }
        // Since JDK 19 Double.toString yields the shortest digits that round-trip, like dtoa mode 0.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int len = digits.length();
        int decpt = len - exact.scale();
        var sb = new StringBuilder(len + 8);
        if (d < 0) {
            sb.append('-');
        }
        boolean plain = decpt >= -MAX_DECPT_FOR_F_FORMAT + 1 && (decpt <= MAX_DECPT_FOR_F_FORMAT || len > decpt);
        if (plain) {
            if (decpt <= 0) {
                sb.append("0.").repeat('0', -decpt).append(digits);
            } else if (decpt < len) {
                sb.append(digits, 0, decpt).append('.').append(digits, decpt, len);
            } else {
                sb.append(digits).repeat('0', decpt - len);
            }
        } else {
            sb.append(digits.charAt(0));
            if (len > 1) {
                sb.append('.').append(digits, 1, len);
            }
            sb.append('e').append(decpt - 1);
        }
        return sb.toString();
    }
}

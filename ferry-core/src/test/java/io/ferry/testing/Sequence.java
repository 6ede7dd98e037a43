package io.ferry.testing;

/**
 * Row sources for fixtures that work on every engine: MariaDB's {@code seq_1_to_N} tables do not exist on MySQL,
 * and both engines stop recursive CTEs at 1,000 iterations by default.
 */
public final class Sequence {
    private static final String DIGITS = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"
            + " UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8"
            + " UNION ALL SELECT 9)";

    private Sequence() {
    }

    /**
     * A derived table with one column {@code n} holding 1..{@code count} (at most 1,000,000), in no particular order:
     * add {@code ORDER BY n} where the order matters.
     */
    public static String upTo(int count) {
        if (count < 1 || count > 1_000_000) {
            throw new IllegalArgumentException("count must be 1..1000000: " + count);
        }
        StringBuilder from = new StringBuilder();
        StringBuilder n = new StringBuilder();
        int places = String.valueOf(count - 1).length();
        for (int i = 0; i < places; i++) {
            from.append(i == 0 ? "" : " CROSS JOIN ").append(DIGITS).append(" d").append(i);
            n.append(i == 0 ? "" : " + ").append("d").append(i).append(".d * ").append((int) Math.pow(10, i));
        }
        return "(SELECT n FROM (SELECT " + n + " + 1 AS n FROM " + from + ") digits WHERE n <= " + count + ") seq";
    }
}

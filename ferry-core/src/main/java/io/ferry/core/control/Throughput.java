package io.ferry.core.control;

import java.time.Duration;

/**
 * How fast the row copy goes, measured over a recent window.
 *
 * @param rowsPerSecond  rows (= pagination keys) copied per second
 * @param eta            estimated time until the row copy is done, from the tables' estimated row counts, or
 *                       {@code null} while unknown (nothing copied yet); zero once the copy is done
 */
public record Throughput(double rowsPerSecond, Duration eta) {
    public static final Throughput UNKNOWN = new Throughput(0, null);
}

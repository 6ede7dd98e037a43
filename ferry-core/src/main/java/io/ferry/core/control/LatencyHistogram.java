package io.ferry.core.control;

import java.util.List;

/**
 * A cumulative latency histogram in Prometheus' shape.
 *
 * @param upperBounds  bucket upper bounds in seconds, ascending (the implicit last bucket is +Inf)
 * @param cumulative   observations at or below each bound, same length as {@code upperBounds}
 * @param count        all observations
 * @param sumSeconds   their sum
 */
public record LatencyHistogram(List<Double> upperBounds, List<Long> cumulative, long count, double sumSeconds) {
    public LatencyHistogram {
        upperBounds = List.copyOf(upperBounds);
        cumulative = List.copyOf(cumulative);
        if (upperBounds.size() != cumulative.size()) {
            throw new IllegalArgumentException("one cumulative count per bound: " + upperBounds + " / " + cumulative);
        }
    }

    public static final LatencyHistogram EMPTY = new LatencyHistogram(List.of(), List.of(), 0, 0);
}

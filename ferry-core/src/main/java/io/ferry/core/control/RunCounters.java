package io.ferry.core.control;

import java.time.Duration;
import java.util.Objects;

/**
 * Monotonic counters of a run, for metrics.
 *
 * @param batchesCopied  row batches committed on the target by the copy
 * @param copyErrors     SQL errors the row copy met, retried or not
 * @param copyRetries    row batches tried again after a retriable error
 * @param batchLatency   duration of each copied batch (locked read, target write and commit)
 * @param cutoverWindow  from the {@code CutoverLock} answer to the {@code CutoverUnlock} call (the application's
 *                       downtime as far as ferry is concerned); {@code null} until the cutover is done
 */
public record RunCounters(long batchesCopied, long copyErrors, long copyRetries, LatencyHistogram batchLatency,
                          Duration cutoverWindow) {
    public RunCounters {
        Objects.requireNonNull(batchLatency, "batchLatency");
    }

    public static final RunCounters NONE = new RunCounters(0, 0, 0, LatencyHistogram.EMPTY, null);
}

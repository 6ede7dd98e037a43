package io.ferry.copy.internal.operations;

import io.ferry.core.control.LatencyHistogram;
import io.ferry.core.control.RunCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the row copy shared by all table copiers of a run; lock-free, read by status reporting. */
public final class RunMetrics {
    /** Batch latency bucket bounds in seconds: a batch is two round-trip chains and a commit, ms to many seconds. */
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final LongAdder batches = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length);
    private volatile Duration cutoverWindow;

    public void batchCopied(long nanos) {
        batches.increment();
        latencyNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets.incrementAndGet(i);
                break;
            }
        }
    }

    public void copyError(boolean retried) {
        errors.increment();
        if (retried) {
            retries.increment();
        }
    }

    /** The cutover held the application's lock this long (CutoverLock answered to CutoverUnlock sent). */
    public void cutoverDone(Duration window) {
        cutoverWindow = window;
    }

    public RunCounters counters() {
        List<Double> bounds = new ArrayList<>(BOUNDS.length);
        List<Long> cumulative = new ArrayList<>(BOUNDS.length);
        long sum = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            sum += buckets.get(i);
            bounds.add(BOUNDS[i]);
            cumulative.add(sum);
        }
        long count = batches.sum();
        var latency = new LatencyHistogram(bounds, cumulative, Math.max(count, sum), latencyNanos.sum() / 1e9);
        return new RunCounters(count, errors.sum(), retries.sum(), latency, cutoverWindow);
    }
}

package io.ferry.copy.internal.operations;

import io.ferry.core.control.Throughput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copy speed over the last {@link #WINDOW} and the ETA it implies. Samples are taken when someone asks (status
 * polls), at most one per second; the speed is measured from the oldest sample still inside the window, so it
 * follows pauses and batch size changes within that window.
 */
public final class CopyRate {
    static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private record Sample(Instant at, long rows) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** The copy starts now with {@code rows} rows already copied. */
    public void started(Instant at, long rows) {
        lock.lock();
        try {
            samples.clear();
            samples.add(new Sample(at, rows));
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param rowsCopied    rows copied so far
     * @param rowsRemaining estimated rows still to copy; 0 when the copy is done
     */
    public Throughput measure(Instant now, long rowsCopied, long rowsRemaining) {
        lock.lock();
        try {
            if (samples.isEmpty()) {
                return Throughput.UNKNOWN;
            }
            if (Duration.between(samples.getLast().at(), now).compareTo(SAMPLE_EVERY) >= 0) {
                samples.add(new Sample(now, rowsCopied));
            }
            // Keep one sample at or before the window start as the baseline.
            Instant windowStart = now.minus(WINDOW);
            while (samples.size() > 2 && !second().at().isAfter(windowStart)) {
                samples.removeFirst();
            }
            Sample base = samples.getFirst();
            double seconds = Duration.between(base.at(), now).toNanos() / 1e9;
            double rate = seconds < 0.5 ? 0 : Math.max(0, rowsCopied - base.rows()) / seconds;
            Duration eta;
            if (rowsRemaining <= 0) {
                eta = Duration.ZERO;
            } else if (rate > 0) {
                eta = Duration.ofMillis((long) Math.ceil(rowsRemaining / rate * 1000));
            } else {
                eta = null;
            }
            return new Throughput(rate, eta);
        } finally {
            lock.unlock();
        }
    }

    private Sample second() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}

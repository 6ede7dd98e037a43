package io.ferry.core.db;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retry {@code n} (counted as {@link RetryPolicy} counts) of a statement that failed
 * transiently. A lost connection or a restarting server needs seconds, so waits double from half a second up to ten
 * (five retries span about fifteen seconds); lock conflicts clear in milliseconds and wait little.
 */
public final class Backoff {
    private static final long FIRST_MILLIS = 500;
    private static final long MAX_MILLIS = 10_000;

    private Backoff() {
    }

    /** The wait before retry {@code retry} (1 for the first) after a lost connection or server error. */
    public static Duration afterFailure(int retry) {
        long base = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(20, Math.max(0, retry - 1)));
        // A little jitter, so that the copiers of a run do not all reconnect at the same instant.
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 10 + 1));
    }

    /** The wait before retry {@code retry} after a lock conflict. */
    public static Duration afterLockConflict(int retry) {
        return Duration.ofMillis(Math.min(1000, 50L * Math.max(1, retry)));
    }
}

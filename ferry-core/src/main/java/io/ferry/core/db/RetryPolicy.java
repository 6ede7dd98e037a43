package io.ferry.core.db;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * How an operation that failed is tried again, the one retry loop of ferry.
 * <p>
 * {@code retries} counts <em>retries after the first try</em>, as Ghostferry's {@code DBReadRetries} and
 * {@code DBWriteRetries} do: 0 means one try, 5 means up to six. Every retry count in ferry has this meaning; a
 * setting that counts attempts in total ({@code MaxCutoverRetries}) is converted where it is read, with
 * {@link #ofAttempts}. Only failures {@code retriable} accepts are tried again, after the wait {@code schedule}
 * gives; the failure that is not retried is rethrown unchanged, so each caller reports it in its own words.
 * An {@link InterruptedException} is never retried, and an interrupted thread does not start a retry.
 *
 * @param retries   retries after the first try, >= 0
 * @param schedule  the wait before each retry
 * @param retriable the failures worth another try
 */
public record RetryPolicy(int retries, Schedule schedule, Predicate<? super Exception> retriable) {

    /** The wait before retry {@code retry} (1 for the first) after {@code failure}. */
    @FunctionalInterface
    public interface Schedule {
        Duration before(int retry, Exception failure);
    }

    /** What is tried. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T call() throws E, InterruptedException;
    }

    /** Told of each retry before its wait, so that the caller logs it with its table, key or callback. */
    @FunctionalInterface
    public interface OnRetry {
        OnRetry SILENT = (retry, failure, wait) -> { };

        void retrying(int retry, Exception failure, Duration wait);
    }

    /** {@link Backoff}'s waits: short after a lock conflict, seconds after a lost connection or server error. */
    public static final Schedule BACKOFF = (retry, e) -> SqlErrors.isLockConflict(e)
            ? Backoff.afterLockConflict(retry) : Backoff.afterFailure(retry);
    /** The short waits of a lock conflict after every failure. */
    public static final Schedule SHORT = (retry, e) -> Backoff.afterLockConflict(retry);
    /** No wait: the next try starts at once. */
    public static final Schedule IMMEDIATE = (retry, e) -> Duration.ZERO;

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, not " + retries);
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(retriable, "retriable");
    }

    /** {@code retries} retries of transient SQL errors ({@link #isTransient}), waiting {@link #BACKOFF}. */
    public static RetryPolicy of(int retries) {
        return new RetryPolicy(retries, BACKOFF, RetryPolicy::isTransient);
    }

    /** The policy for a setting that counts tries in total (>= 1): {@code attempts - 1} retries. */
    public static RetryPolicy ofAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, not " + attempts);
        }
        return of(attempts - 1);
    }

    /** The same wait before every retry. */
    public static Schedule every(Duration wait) {
        Objects.requireNonNull(wait, "wait");
        return (retry, e) -> wait;
    }

    /**
     * An {@link SQLException} that {@link SqlErrors#isRetriable} accepts. Unchecked exceptions are not: a
     * {@code RunFailed} is a decision already made, often by a nested operation whose own retries ran out.
     */
    public static boolean isTransient(Exception e) {
        return e instanceof SQLException && SqlErrors.isRetriable(e);
    }

    public RetryPolicy waiting(Schedule waits) {
        return new RetryPolicy(retries, waits, retriable);
    }

    public RetryPolicy retrying(Predicate<? super Exception> which) {
        return new RetryPolicy(retries, schedule, which);
    }

    /** Tries in total: the first and the retries. */
    public int attempts() {
        return (int) Math.min(Integer.MAX_VALUE, retries + 1L);
    }

    /** Logs each retry of {@code what} as a warning: {@code <what> failed (<error>); retry n of m in k ms}. */
    public OnRetry warning(Logger log, String what) {
        return (retry, failure, wait) -> log.warn("{} failed ({}); retry {} of {} in {} ms", what,
                SqlErrors.describe(failure), retry, retries, wait.toMillis());
    }

    /** A fresh count of this policy's retries for one operation. */
    public Budget budget(OnRetry onRetry) {
        return new Budget(this, onRetry);
    }

    /** Runs {@code call} until it succeeds; rethrows the failure that is not retriable or outlasts the retries. */
    public <T, E extends Exception> T run(Call<T, E> call, OnRetry onRetry) throws E, InterruptedException {
        return run(call, budget(onRetry));
    }

    /**
     * Runs {@code call} until it succeeds, charging each failure to the first budget whose policy finds it
     * retriable, so that different failures can be counted and waited for separately. Rethrows the failure no
     * budget accepts, or whose budget is spent.
     */
    public static <T, E extends Exception> T run(Call<T, E> call, Budget... budgets) throws E, InterruptedException {
        while (true) {
            try {
                return call.call();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Budget charged = null;
                for (Budget b : budgets) {
                    if (b.policy.retriable.test(e)) {
                        charged = b;
                        break;
                    }
                }
                if (charged == null) {
                    throw RetryPolicy.<E>rethrow(e);
                }
                try {
                    charged.failed(e);
                } catch (InterruptedException i) {
                    throw i;
                } catch (Exception last) {
                    throw RetryPolicy.<E>rethrow(last);
                }
            }
        }
    }

    /** {@code e} is what the call threw: an {@code E} or unchecked. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException rethrow(Exception e) throws E {
        throw (E) e;
    }

    /**
     * The retries one operation has used, for a loop that is not a single call (a stream that reconnects) or whose
     * caller reports how many tries it took.
     */
    public static final class Budget {
        private final RetryPolicy policy;
        private final OnRetry onRetry;
        private int retried;

        private Budget(RetryPolicy policy, OnRetry onRetry) {
            this.policy = policy;
            this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
        }

        /** Tries so far, the current (or last) one included. */
        public int tries() {
            return retried + 1;
        }

        /** Counts from zero again: the operation progressed since its last failure. */
        public void restart() {
            retried = 0;
        }

        /**
         * Rethrows {@code failure} when it is not retriable or the retries are spent; otherwise tells the
         * {@link OnRetry}, waits, and returns for the caller to try again.
         */
        public <E extends Exception> void failed(E failure) throws E, InterruptedException {
            Objects.requireNonNull(failure, "failure");
            if (!policy.retriable.test(failure) || retried >= policy.retries) {
                throw failure;
            }
            retried++;
            Duration wait = policy.schedule.before(retried, failure);
            onRetry.retrying(retried, failure, wait);
            if (wait.isPositive()) {
                Thread.sleep(wait);
            } else if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before retry " + retried);
            }
        }
    }
}

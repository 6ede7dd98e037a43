package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link RetryPolicy}: what its count means, what it retries, how long it waits, what it rethrows. */
class RetryPolicyTest {
    private static final SQLException LOST = new SQLException("Communications link failure", "08S01", 0);
    private static final SQLException DEADLOCK = new SQLException("Deadlock found", "40001", SqlErrors.DEADLOCK);
    private static final SQLException SYNTAX = new SQLSyntaxErrorException("You have an error", "42000", 1064);

    /** The policy without waits, so that the tests do not sleep. */
    private static RetryPolicy quick(int retries) {
        return RetryPolicy.of(retries).waiting(RetryPolicy.IMMEDIATE);
    }

    /** A call that fails with {@code failures} in order, then returns the number of tries. */
    private static RetryPolicy.Call<Integer, SQLException> failing(AtomicInteger tries, SQLException... failures) {
        return () -> {
            int n = tries.incrementAndGet();
            if (n <= failures.length) {
                throw failures[n - 1];
            }
            return n;
        };
    }

    @Test
    void retriesCountTheTriesAfterTheFirst() throws Exception {
        var tries = new AtomicInteger();
        var e = assertThrows(SQLException.class,
                () -> quick(2).run(failing(tries, LOST, LOST, LOST, LOST), RetryPolicy.OnRetry.SILENT));
        assertSame(LOST, e, "the last failure is rethrown as it is");
        assertEquals(3, tries.get(), "two retries: three tries");
        assertEquals(3, quick(2).attempts());

        tries.set(0);
        assertThrows(SQLException.class, () -> quick(0).run(failing(tries, LOST), RetryPolicy.OnRetry.SILENT));
        assertEquals(1, tries.get(), "no retries: one try");
    }

    @Test
    void aCallThatPassesWithinTheRetriesReturnsItsResult() throws Exception {
        var tries = new AtomicInteger();
        List<Integer> retries = new ArrayList<>();
        int result = quick(2).run(failing(tries, LOST, DEADLOCK), (retry, failure, wait) -> retries.add(retry));
        assertEquals(3, result);
        assertEquals(List.of(1, 2), retries, "each retry is reported, numbered from 1");
    }

    @Test
    void attemptsAreConvertedToRetries() {
        assertEquals(0, RetryPolicy.ofAttempts(1).retries());
        assertEquals(2, RetryPolicy.ofAttempts(3).retries());
        assertEquals(3, RetryPolicy.ofAttempts(3).attempts());
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.ofAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(-1));
    }

    @Test
    void onlyTransientSqlErrorsAreRetriedByDefault() {
        var tries = new AtomicInteger();
        assertSame(SYNTAX, assertThrows(SQLException.class,
                () -> quick(5).run(failing(tries, SYNTAX), RetryPolicy.OnRetry.SILENT)));
        assertEquals(1, tries.get(), "a rejected statement is not tried again");

        // An unchecked exception is a decision already made, even when it carries a lost connection.
        var decided = new IllegalStateException("retries ran out", LOST);
        var unchecked = new AtomicInteger();
        assertSame(decided, assertThrows(IllegalStateException.class, () -> quick(5).run(() -> {
            unchecked.incrementAndGet();
            throw decided;
        }, RetryPolicy.OnRetry.SILENT)));
        assertEquals(1, unchecked.get());

        assertTrue(RetryPolicy.isTransient(LOST));
        assertTrue(RetryPolicy.isTransient(DEADLOCK));
        assertFalse(RetryPolicy.isTransient(SYNTAX));
        assertFalse(RetryPolicy.isTransient(new IOException("reset")));
    }

    @Test
    void theClassificationCanBeReplaced() throws Exception {
        var tries = new AtomicInteger();
        RetryPolicy anyIo = quick(3).retrying(e -> e instanceof IOException);
        int result = anyIo.run(() -> {
            if (tries.incrementAndGet() < 3) {
                throw new IOException("connection refused");
            }
            return tries.get();
        }, RetryPolicy.OnRetry.SILENT);
        assertEquals(3, result);
    }

    @Test
    void waitsFollowTheScheduleAndTheKindOfFailure() throws Exception {
        List<Duration> waits = new ArrayList<>();
        var tries = new AtomicInteger();
        RetryPolicy.of(2).waiting((retry, e) -> Duration.ofMillis(retry)).run(failing(tries, LOST, LOST),
                (retry, failure, wait) -> waits.add(wait));
        assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(2)), waits);

        // Lock conflicts clear in milliseconds; a lost connection needs seconds.
        assertEquals(Duration.ofMillis(50), RetryPolicy.BACKOFF.before(1, DEADLOCK));
        assertEquals(Duration.ofMillis(100), RetryPolicy.BACKOFF.before(2, DEADLOCK));
        Duration first = RetryPolicy.BACKOFF.before(1, LOST);
        Duration fifth = RetryPolicy.BACKOFF.before(5, LOST);
        assertTrue(first.toMillis() >= 500 && first.toMillis() <= 550, first.toString());
        assertTrue(fifth.toMillis() >= 8000 && fifth.toMillis() <= 8800, fifth.toString());
        assertTrue(RetryPolicy.BACKOFF.before(30, LOST).toMillis() <= 11_000, "waits stop growing at ten seconds");
        assertEquals(Duration.ofMillis(50), RetryPolicy.SHORT.before(1, LOST));
        assertEquals(Duration.ofSeconds(3), RetryPolicy.every(Duration.ofSeconds(3)).before(7, LOST));
    }

    @Test
    void separateBudgetsCountTheirOwnFailures() throws Exception {
        RetryPolicy locks = quick(1).retrying(SqlErrors::isLockConflict);
        RetryPolicy failures = quick(1);
        List<String> seen = new ArrayList<>();
        var lockBudget = locks.budget((retry, e, wait) -> seen.add("lock " + retry));
        var failureBudget = failures.budget((retry, e, wait) -> seen.add("failure " + retry));
        var tries = new AtomicInteger();
        int result = RetryPolicy.run(failing(tries, DEADLOCK, LOST), lockBudget, failureBudget);
        assertEquals(3, result);
        assertEquals(List.of("lock 1", "failure 1"), seen, "a failure is charged to the first budget that takes it");

        var again = new AtomicInteger();
        var spent = assertThrows(SQLException.class, () -> RetryPolicy.run(failing(again, DEADLOCK, DEADLOCK),
                locks.budget(RetryPolicy.OnRetry.SILENT), failures.budget(RetryPolicy.OnRetry.SILENT)));
        assertSame(DEADLOCK, spent, "a spent lock budget is not topped up by the other one");
        assertEquals(2, again.get());
    }

    @Test
    void aBudgetCountsTriesAndCanStartAgain() throws Exception {
        var budget = quick(1).budget(RetryPolicy.OnRetry.SILENT);
        assertEquals(1, budget.tries());
        budget.failed(LOST);
        assertEquals(2, budget.tries());
        assertSame(LOST, assertThrows(SQLException.class, () -> budget.failed(LOST)), "the retry is spent");
        budget.restart();
        budget.failed(LOST);
        assertEquals(2, budget.tries(), "after progress the count starts again");
    }

    @Test
    void anInterruptedThreadDoesNotRetry() {
        var tries = new AtomicInteger();
        for (RetryPolicy policy : List.of(quick(5), RetryPolicy.of(5).waiting(RetryPolicy.every(Duration.ofMillis(1))))) {
            tries.set(0);
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedException.class,
                        () -> policy.run(failing(tries, LOST, LOST), RetryPolicy.OnRetry.SILENT));
                assertEquals(1, tries.get());
            } finally {
                Thread.interrupted();
            }
        }

        var interrupted = new InterruptedException("stop");
        tries.set(0);
        assertSame(interrupted, assertThrows(InterruptedException.class, () -> quick(5).run(() -> {
            tries.incrementAndGet();
            throw interrupted;
        }, RetryPolicy.OnRetry.SILENT)));
        assertEquals(1, tries.get(), "an InterruptedException from the call is never retried");
    }
}

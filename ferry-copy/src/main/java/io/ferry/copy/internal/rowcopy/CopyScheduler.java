package io.ferry.copy.internal.rowcopy;

import io.ferry.copy.internal.replication.Replication;
import io.ferry.copy.internal.schema.CascadingForeignKeys;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tables' copy tasks: at most {@code DataIterationConcurrency} at once, each after the tables it waits for
 * (its parents through cascading foreign keys, see {@link CascadingForeignKeys#copyWaits}). A replication failure ends the copy at once; a stop request lets running batches finish
 * (copies that cannot stop between batches get a grace period). With {@code FailOnFirstTableCopyError=false} the
 * other tables are still copied and the first error is reported afterwards.
 */
public final class CopyScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(CopyScheduler.class);
    /** How long a stop waits for copies that cannot stop between batches before interrupting them. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final int concurrency;
    private final boolean failOnFirstError;
    private final Replication replication;
    private final Map<TableId, Set<TableId>> waits;
    private final BooleanSupplier stopRequested;
    private final AtomicInteger busy = new AtomicInteger();

    public CopyScheduler(int concurrency, boolean failOnFirstError, Replication replication,
                         Map<TableId, Set<TableId>> waits, BooleanSupplier stopRequested) {
        this.concurrency = concurrency;
        this.failOnFirstError = failOnFirstError;
        this.replication = replication;
        this.waits = waits;
        this.stopRequested = stopRequested;
    }

    /** Copies every table of {@code tasks}; returns when all are done, or throws why the copy ended early. */
    public void copyAll(Map<TableId, CopyTask> tasks, Map<TableId, TableProgress> progressByTable)
            throws InterruptedException {
        var slots = new Semaphore(concurrency);
        Queue<RuntimeException> deferred = new ConcurrentLinkedQueue<>();
        var finished = new AtomicInteger();
        try (var scope = new TaskScope("ferry-copy")) {
            tasks.forEach((table, task) -> scope.fork(() -> {
                for (TableId parent : waits.getOrDefault(table, Set.of())) {
                    progressByTable.get(parent).awaitCompleted();
                }
                slots.acquire();
                busy.incrementAndGet();
                try {
                    return stopRequested.getAsBoolean() ? 0L : task.run();
                } catch (RuntimeException e) {
                    if (failOnFirstError) {
                        throw e;
                    }
                    LOG.error("copying {} failed; the other tables are copied first: {}", table, e.getMessage());
                    deferred.add(e);
                    return 0L;
                } finally {
                    busy.decrementAndGet();
                    slots.release();
                    finished.incrementAndGet();
                }
            }));
            awaitOrEndEarly(scope, finished, tasks.size());
            scope.join();
            replication.throwIfFailed();
            if (stopRequested.getAsBoolean()) {
                throw new RunFailed("run stopped on request before cutover; the target is incomplete");
            }
            scope.throwIfFailed();
            if (!deferred.isEmpty()) {
                throw deferred.size() == 1 ? deferred.peek() : new RunFailed(deferred.size() + " tables failed to copy"
                        + " (the others were copied); the first error: " + deferred.peek().getMessage(), deferred.peek());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RunFailed("row copy failed: " + e.getCause(), e.getCause());
        }
    }

    private void awaitOrEndEarly(TaskScope scope, AtomicInteger finished, int tasks) throws InterruptedException {
        long stopDeadline = 0;
        while (finished.get() < tasks) {
            if (replication.failure() != null || scope.failure() != null) {
                scope.shutdown();
                return;
            }
            if (stopRequested.getAsBoolean()) {
                stopDeadline = stopDeadline == 0 ? System.nanoTime() + STOP_GRACE.toNanos() : stopDeadline;
                if (busy.get() == 0 || System.nanoTime() > stopDeadline) {
                    scope.shutdown(); // copiers still waiting to start are interrupted
                    return;
                }
            }
            Thread.sleep(50);
        }
    }
}

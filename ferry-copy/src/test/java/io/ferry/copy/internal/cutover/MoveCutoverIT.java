package io.ferry.copy.internal.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.config.Partition;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.state.BinlogPosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cutover of a partitioned move as its workers run it against the target's state database. */
@MySqlPair
class MoveCutoverIT {
    private static final Duration ALIVE = Duration.ofSeconds(3);
    private static final BinlogPosition STOP = new BinlogPosition("mysql-bin.000042", 4242);
    private final TestPair pair;

    MoveCutoverIT(TestPair pair) {
        this.pair = pair;
    }

    /** Leader steps that count their calls; every worker's source would say {@code position}. */
    private static final class Counted implements MoveCutover.LeaderSteps {
        final AtomicInteger locks = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger unlocks = new AtomicInteger();
        final BinlogPosition position;
        /** The process "dies" right after the next CutoverUnlock was answered, before anything else. */
        volatile boolean dieAfterUnlock;

        Counted(BinlogPosition position) {
            this.position = position;
        }

        @Override
        public void lock() {
            locks.incrementAndGet();
        }

        @Override
        public BinlogPosition sourcePosition() {
            reads.incrementAndGet();
            return position;
        }

        @Override
        public void unlock() {
            unlocks.incrementAndGet();
            if (dieAfterUnlock) {
                dieAfterUnlock = false;
                throw new IllegalStateException("killed");
            }
        }
    }

    private record Worker(WorkerRegistry registry, WorkerHeartbeat heartbeat, MoveCutover cutover)
            implements AutoCloseable {
        @Override
        public void close() {
            heartbeat.close();
        }
    }

    private static Worker worker(PooledDataSource target, String db, int index, int count, Duration timeout) {
        var registry = new WorkerRegistry(target, db, 5353, new Partition(index, count));
        registry.register();
        var heartbeat = new WorkerHeartbeat(registry, Duration.ofMillis(200));
        return new Worker(registry, heartbeat, new MoveCutover(registry, heartbeat, new Partition(index, count), ALIVE,
                timeout, InstantSource.system()));
    }

    @Test
    void everyWorkerStopsAtTheLeadersPositionAndTheLeaderLocksAndUnlocksOnce() throws Exception {
        String db = pair.newDatabase("movecutover");
        pair.dropAfterwards(db);
        Counted steps = new Counted(STOP);
        try (var target = DataSources.open("move-test", pair.target().endpoint().ferryConfig(), 8, Map.of());
             var pool = Executors.newFixedThreadPool(3)) {
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(worker(target, db, i, 3, Duration.ofMinutes(1)));
            }
            List<Future<BinlogPosition>> stops = new ArrayList<>();
            for (Worker w : workers) {
                stops.add(pool.submit((Callable<BinlogPosition>) () -> {
                    BinlogPosition stop = w.cutover().stopPosition(steps);
                    w.cutover().finish(steps);
                    return stop;
                }));
            }
            for (Future<BinlogPosition> f : stops) {
                assertEquals(STOP, f.get());
            }
            assertEquals(1, steps.locks.get(), "CutoverLock posts");
            assertEquals(1, steps.reads.get(), "source position reads");
            assertEquals(1, steps.unlocks.get(), "CutoverUnlock posts");
            assertEquals(0, workers.get(1).registry().cutover().orElseThrow().leader(), "the lowest worker leads");
            workers.forEach(Worker::close);

            // A leader that restarts after the cutover went through neither locks nor unlocks again.
            try (Worker again = worker(target, db, 0, 3, Duration.ofMinutes(1))) {
                assertEquals(STOP, again.cutover().stopPosition(steps));
                again.cutover().finish(steps);
            }
            assertEquals(1, steps.locks.get());
            assertEquals(1, steps.unlocks.get());
        }
    }

    @Test
    void aLeaderKilledBetweenTheUnlockAndItsMarkUnlocksAgainRatherThanNever() throws Exception {
        String db = pair.newDatabase("moveunlock");
        pair.dropAfterwards(db);
        Counted steps = new Counted(STOP);
        steps.dieAfterUnlock = true;
        try (var target = DataSources.open("move-unlock", pair.target().endpoint().ferryConfig(), 4, Map.of())) {
            try (Worker leader = worker(target, db, 0, 1, Duration.ofMinutes(1))) {
                assertEquals(STOP, leader.cutover().stopPosition(steps));
                assertThrows(IllegalStateException.class, () -> leader.cutover().finish(steps));
            }
            try (Worker restarted = worker(target, db, 0, 1, Duration.ofMinutes(1))) {
                assertEquals(STOP, restarted.cutover().stopPosition(steps));
                restarted.cutover().finish(steps);
                restarted.cutover().finish(steps);
            }
            assertEquals(1, steps.locks.get(), "the lock was marked: not posted again");
            assertEquals(2, steps.unlocks.get(), "the unlock was not marked: posted again, once");
        }
    }

    @Test
    void aStopRequestEndsTheWaitForTheOtherWorkers() throws Exception {
        String db = pair.newDatabase("movestop");
        pair.dropAfterwards(db);
        try (var target = DataSources.open("move-stop", pair.target().endpoint().ferryConfig(), 4, Map.of());
             Worker first = worker(target, db, 0, 2, Duration.ofMinutes(1))) {
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Future<?> waiting;
            try (var pool = Executors.newSingleThreadExecutor()) {
                waiting = pool.submit(() -> {
                    first.cutover().awaitEveryWorkerCaughtUp(stop::get);
                    return null;
                });
                Thread.sleep(500);
                assertTrue(!waiting.isDone(), "worker 1 is missing: worker 0 waits");
                stop.set(true);
                var e = assertThrows(java.util.concurrent.ExecutionException.class, waiting::get);
                assertTrue(e.getCause() instanceof RunFailed && e.getCause().getMessage().contains("stopped on request"),
                        String.valueOf(e.getCause()));
            }
            assertTrue(first.registry().cutover().isEmpty(), "no cutover was claimed");
        }
    }

    @Test
    void aWorkerThatNeverComesIsNamedWhenTheWaitTimesOut() throws Exception {
        String db = pair.newDatabase("movetimeout");
        pair.dropAfterwards(db);
        Counted steps = new Counted(STOP);
        try (var target = DataSources.open("move-timeout", pair.target().endpoint().ferryConfig(), 4, Map.of());
             Worker first = worker(target, db, 0, 2, Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            RunFailed e = assertThrows(RunFailed.class, () -> first.cutover().stopPosition(steps));
            assertTrue(e.getMessage().contains("worker 0/2 gave up waiting for the common stop position after 1 s:"
                    + " worker 1 never registered (of 2 workers)"), e.getMessage());
            assertTrue(e.getMessage().contains("Restart the missing worker(s)"), e.getMessage());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos());
            assertEquals(0, steps.locks.get(), "nothing is locked while a worker is missing");
        }
    }
}

package io.ferry.copy.internal.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.internal.cutover.WorkerRegistry.WorkerPhase;
import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.config.Partition;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.BinlogPosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Three workers of one move meeting in the target's state database: who leads, and each claim taken once. */
@MySqlPair
class WorkerRegistryIT {
    private static final Duration ALIVE = Duration.ofSeconds(30);
    private final TestPair pair;

    WorkerRegistryIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void threeWorkersCutOverOnceLedByTheLowestAliveWorker() throws Exception {
        String db = pair.newDatabase("workers");
        pair.dropAfterwards(db);
        try (var target = DataSources.open("workers-test", pair.target().endpoint().ferryConfig(), 6, Map.of())) {
            List<WorkerRegistry> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(new WorkerRegistry(target, db, 4242, new Partition(i, 3)));
            }
            workers.get(1).register();
            workers.get(2).register();
            assertEquals("waiting for worker 0 never registered, worker 1 still copying, worker 2 still copying (of 3 workers)",
                    workers.get(1).missing(WorkerPhase.CAUGHT_UP, ALIVE).orElseThrow());
            assertTrue(workers.get(1).leads(ALIVE), "worker 0 is not there yet: worker 1 is the lowest alive");
            workers.get(0).register();
            assertTrue(workers.get(0).leads(ALIVE));
            assertFalse(workers.get(1).leads(ALIVE));
            workers.forEach(w -> w.report(WorkerPhase.CAUGHT_UP));
            assertTrue(workers.get(2).missing(WorkerPhase.CAUGHT_UP, ALIVE).isEmpty());

            // Every worker races for the claim at once; exactly one wins, and all agree on who.
            try (var pool = Executors.newFixedThreadPool(3)) {
                List<Future<Boolean>> claims = new ArrayList<>();
                for (WorkerRegistry w : workers) {
                    claims.add(pool.submit((Callable<Boolean>) w::claimCutover));
                }
                int won = 0;
                for (Future<Boolean> c : claims) {
                    won += c.get() ? 1 : 0;
                }
                assertEquals(1, won, "exactly one worker holds the cutover");
            }
            int leader = workers.getFirst().cutover().orElseThrow().leader();
            WorkerRegistry lead = workers.get(leader);
            assertTrue(lead.claimCutover(), "a restarted leader still holds its claim");
            WorkerRegistry other = workers.get((leader + 1) % 3);
            assertFalse(other.markLocked(), "only the leader locks");
            assertFalse(lead.publishStop(new BinlogPosition("bin.000001", 4)), "no stop position before the lock");
            assertTrue(lead.markLocked());
            assertFalse(lead.markLocked(), "the lock is taken once");
            var stop = new BinlogPosition("bin.000042", 123_456);
            assertTrue(lead.publishStop(stop));
            assertFalse(lead.publishStop(new BinlogPosition("bin.000043", 4)), "the first stop position stands");
            for (WorkerRegistry w : workers) {
                assertEquals(stop, w.cutover().orElseThrow().stop(), "every worker reads the same stop position");
            }
            assertFalse(other.markUnlocked());
            workers.forEach(w -> w.report(WorkerPhase.DONE));
            assertTrue(lead.missing(WorkerPhase.DONE, ALIVE).isEmpty());
            assertTrue(lead.markUnlocked());
            assertFalse(lead.markUnlocked(), "the unlock is posted once");
            assertTrue(lead.cutover().orElseThrow().unlocked());

            // A worker restarted after the others caught up must catch up again before a cutover.
            workers.get(2).register();
            assertTrue(lead.missing(WorkerPhase.CAUGHT_UP, ALIVE).orElseThrow().contains("worker 2 still copying"));
            assertTrue(lead.missing(WorkerPhase.CAUGHT_UP, Duration.ofNanos(1)).orElseThrow().contains("silent for"));

            // The first proposal of each table's part stands, whatever later workers propose.
            var orders = new TableId("shop", "orders");
            var items = new TableId("shop", "items");
            assertEquals(Map.of(orders, 0), workers.get(0).agreeOnParts(Map.of(orders, 0)));
            assertEquals(Map.of(orders, 0, items, 1), workers.get(1).agreeOnParts(Map.of(orders, 2, items, 1)));
            assertEquals(Map.of(orders, 0, items, 1), workers.get(2).agreeOnParts(Map.of(orders, 1, items, 2)));

            ConfigException mismatch = assertThrows(ConfigException.class,
                    () -> new WorkerRegistry(target, db, 4242, new Partition(3, 4)).register());
            assertTrue(mismatch.getMessage().contains("registered for 3 parts"), mismatch.getMessage());
        }
    }
}

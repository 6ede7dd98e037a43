package io.ferry.copy.internal.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.TableId;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The applier stops exactly at a barrier's position, holds while the copier works, and never passes it early. */
@Timeout(20)
class ApplyBarriersTest {
    private static final TableId T = new TableId("db", "t");
    private final ApplyBarriers barriers = new ApplyBarriers();
    private final List<Long> applied = new CopyOnWriteArrayList<>();

    private static BinlogPosition at(long offset) {
        return new BinlogPosition("binlog.000007", offset);
    }

    private static List<BinlogEvent> events(long... offsets) {
        return LongStream.of(offsets).<BinlogEvent>mapToObj(o -> new TransactionCommitted(ResumablePosition.at(at(o)),
                Instant.EPOCH)).toList();
    }

    private void record(List<BinlogEvent> part) {
        part.forEach(e -> applied.add(e.position().event().offset()));
    }

    private Thread applyInBackground(List<BinlogEvent> batch) {
        return Thread.ofVirtual().start(() -> {
            try {
                barriers.apply(batch, this::record, () -> {
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void theApplierAppliesUpToThePositionThenHoldsUntilReleased() throws Exception {
        var barrier = barriers.register(T);
        assertTrue(barrier.positionAt(at(200)));
        Thread applier = applyInBackground(events(100, 200, 300, 400));
        assertTrue(barrier.awaitReached(() -> false, 10));
        assertEquals(List.of(100L, 200L), applied, "everything up to the position, nothing after it");
        Thread.sleep(100);
        assertEquals(List.of(100L, 200L), applied, "held while the barrier is open");
        barrier.close();
        applier.join();
        assertEquals(List.of(100L, 200L, 300L, 400L), applied);
    }

    @Test
    void aBarrierWithoutAPositionStopsTheApplierBeforeItStartsAnything() throws Exception {
        var barrier = barriers.register(T);
        Thread applier = applyInBackground(events(100, 200));
        Thread.sleep(100);
        assertEquals(List.of(), applied, "nothing applied while the snapshot's position is unknown");
        assertTrue(barrier.positionAt(at(150)));
        assertTrue(barrier.awaitReached(() -> false, 10));
        assertEquals(List.of(100L), applied);
        barrier.close();
        applier.join();
        assertEquals(List.of(100L, 200L), applied);
    }

    @Test
    void aSnapshotOlderThanWhatTheApplierWasHandedIsRefused() throws Exception {
        barriers.apply(events(100, 300), this::record, () -> {
        });
        var barrier = barriers.register(T);
        assertFalse(barrier.positionAt(at(200)), "the applier already applied 300");
        assertTrue(barrier.positionAt(at(300)));
        barrier.close();
    }

    @Test
    void anIdleApplierHoldsOnceTheStreamerReadThroughThePosition() throws Exception {
        barriers.startingAt(at(50));
        var barrier = barriers.register(T);
        assertTrue(barrier.positionAt(at(120)));
        barriers.idle(at(100), true, () -> {
        }); // not read through yet: returns at once
        assertFalse(barrier.awaitReached(() -> true, 1));
        Thread idle = Thread.ofVirtual().start(() -> {
            try {
                barriers.idle(at(120), true, () -> {
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(barrier.awaitReached(() -> false, 10));
        assertTrue(idle.isAlive(), "holds until released");
        barrier.close();
        idle.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(idle.isAlive());
    }

    @Test
    void twoBarriersAreReachedInBinlogOrder() throws Exception {
        var late = barriers.register(T);
        var early = barriers.register(new TableId("db", "u"));
        assertTrue(late.positionAt(at(300)));
        assertTrue(early.positionAt(at(100)));
        Thread applier = applyInBackground(events(100, 200, 300, 400));
        assertTrue(early.awaitReached(() -> false, 10));
        assertEquals(List.of(100L), applied);
        assertFalse(late.awaitReached(() -> true, 1));
        early.close();
        assertTrue(late.awaitReached(() -> false, 10));
        assertEquals(List.of(100L, 200L, 300L), applied);
        late.close();
        applier.join();
        assertEquals(List.of(100L, 200L, 300L, 400L), applied);
    }

    @Test
    void waitingForABarrierGivesUpWhenToldTo() throws Exception {
        var barrier = barriers.register(T);
        assertTrue(barrier.positionAt(at(100)));
        assertFalse(barrier.awaitReached(() -> true, 10));
        barrier.close();
    }
}

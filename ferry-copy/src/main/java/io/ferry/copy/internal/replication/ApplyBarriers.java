package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogEvent;
import io.ferry.copy.internal.rowcopy.FullTableCopier;
import io.ferry.core.TableId;
import io.ferry.core.state.BinlogPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Stops the binlog applier at exactly a given source position, between two transactions, for as long as a full-table
 * copy rewrites its table on the target (see {@link FullTableCopier}).
 *
 * <p>A copier {@linkplain #register registers} a barrier <em>before</em> it opens its source snapshot; from then on
 * the applier starts no new part of a batch until the barrier has a position. The copier then
 * {@linkplain Barrier#positionAt offers} the binlog position P its snapshot corresponds to; the offer is refused
 * when the applier has already been handed an event after P (the snapshot is older than what the target holds),
 * and the copier takes a fresh snapshot. Once accepted, the applier applies every event up to P, none after it, and
 * {@linkplain #holdAt holds} there until the copier {@linkplain Barrier#close releases} the barrier; then events after P
 * apply on top of the copied rows. The applier knows it has reached P when the next event is after P, or, on an idle
 * stream, when the streamer has read through P and the queue is empty.
 *
 * <p>Several barriers may exist at once (several full copies): the applier stops at the earliest position and holds
 * while any barrier at or before it is open. The applier is one ordered stream for all tables, so while it holds,
 * replication of every table waits: this is the price of a full-table copy.
 */
public final class ApplyBarriers {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Barrier> open = new ArrayList<>();
    /** The position of the last event handed to the applier, or NONE; every event up to it counts as applied. */
    private BinlogPosition handedOut = BinlogPosition.NONE;

    /** One copier's stop point. Closing releases it (or withdraws it before it has a position). */
    public final class Barrier implements AutoCloseable {
        private final TableId table;
        private BinlogPosition position;
        private boolean reached;

        private Barrier(TableId table) {
            this.table = table;
        }

        /**
         * Sets the stop position when the applier has not been handed any event after {@code p}; returns false (and
         * stays without a position) otherwise.
         */
        public boolean positionAt(BinlogPosition p) {
            lock.lock();
            try {
                if (!handedOut.isNone() && handedOut.compareTo(p) > 0) {
                    return false;
                }
                position = p;
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until the applier has applied everything up to the position and holds there. Checks {@code abandon}
         * every {@code checkMillis} and returns false when it says to give up (the replication failed, say).
         */
        public boolean awaitReached(BooleanSupplier abandon, long checkMillis) throws InterruptedException {
            lock.lock();
            try {
                while (!reached) {
                    if (abandon.getAsBoolean()) {
                        return false;
                    }
                    changed.await(checkMillis, TimeUnit.MILLISECONDS);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        public TableId table() {
            return table;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                open.remove(this);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A new barrier without a position: the applier starts nothing new until it has one or is closed. */
    public Barrier register(TableId table) {
        lock.lock();
        try {
            var b = new Barrier(table);
            open.add(b);
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** Every event up to {@code p} counts as applied (the position replication starts from). */
    void startingAt(BinlogPosition p) {
        lock.lock();
        try {
            handedOut = p;
        } finally {
            lock.unlock();
        }
    }

    /** What the applier does with one part of a batch. */
    @FunctionalInterface
    interface PartApplier {
        void apply(List<BinlogEvent> part) throws InterruptedException;
    }

    /**
     * Applies {@code batch} in order through {@code applyPart}, in parts that never pass a barrier's position, and
     * holds at each barrier reached on the way. {@code waiting} runs about once a second while held (to show the
     * applier is alive).
     */
    void apply(List<BinlogEvent> batch, PartApplier applyPart, Runnable waiting) throws InterruptedException {
        int from = 0;
        while (from < batch.size()) {
            BinlogPosition limit;
            int to;
            lock.lock();
            try {
                while (hasUnpositioned()) {
                    changed.await(1, TimeUnit.SECONDS);
                    waiting.run();
                }
                limit = earliest();
                to = limit == null ? batch.size() : firstAfter(batch, from, limit);
                if (to > from) {
                    handedOut = max(handedOut, batch.get(to - 1).position().event());
                }
            } finally {
                lock.unlock();
            }
            if (to > from) {
                applyPart.apply(batch.subList(from, to));
            }
            if (to < batch.size()) {
                holdAt(limit, waiting); // the next event is after the limit: everything up to it is applied
            }
            from = to;
        }
    }

    /**
     * For an idle applier: holds at the earliest barrier when the streamer had read through its position
     * ({@code readThrough}, read <em>before</em> the queue was seen empty) and nothing is queued.
     */
    void idle(BinlogPosition readThrough, boolean queueEmpty, Runnable waiting) throws InterruptedException {
        BinlogPosition limit;
        lock.lock();
        try {
            limit = earliest();
        } finally {
            lock.unlock();
        }
        if (limit != null && queueEmpty && readThrough.compareTo(limit) >= 0) {
            holdAt(limit, waiting);
        }
    }

    /** Everything up to {@code limit} is applied, nothing after it: holds while a barrier at or before it is open. */
    private void holdAt(BinlogPosition limit, Runnable waiting) throws InterruptedException {
        lock.lock();
        try {
            handedOut = max(handedOut, limit);
            while (true) {
                boolean hold = false;
                for (Barrier b : open) {
                    if (b.position == null) {
                        hold = true; // its position will be at or after the limit: wait to see where
                    } else if (b.position.compareTo(limit) <= 0) {
                        if (!b.reached) {
                            b.reached = true;
                            changed.signalAll();
                        }
                        hold = true;
                    }
                }
                if (!hold) {
                    return;
                }
                changed.await(1, TimeUnit.SECONDS);
                waiting.run();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean hasUnpositioned() {
        return open.stream().anyMatch(b -> b.position == null);
    }

    private BinlogPosition earliest() {
        BinlogPosition out = null;
        for (Barrier b : open) {
            if (b.position != null && (out == null || b.position.compareTo(out) < 0)) {
                out = b.position;
            }
        }
        return out;
    }

    /** The index of the first event of {@code batch} from {@code from} on that ends after {@code limit}. */
    private static int firstAfter(List<BinlogEvent> batch, int from, BinlogPosition limit) {
        for (int i = from; i < batch.size(); i++) {
            if (batch.get(i).position().event().compareTo(limit) > 0) {
                return i;
            }
        }
        return batch.size();
    }

    private static BinlogPosition max(BinlogPosition a, BinlogPosition b) {
        if (a.isNone()) {
            return b;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}

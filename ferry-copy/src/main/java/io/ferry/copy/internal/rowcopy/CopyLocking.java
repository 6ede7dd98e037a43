package io.ferry.copy.internal.rowcopy;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * How a batch's read and write are kept atomic with respect to binlog apply (DESIGN invariant 2): no binlog change
 * to a batch's rows may be applied between the batch's read from the source and its commit on the target.
 */
public sealed interface CopyLocking permits CopyLocking.OnSource, CopyLocking.InProcess, CopyLocking.Unlocked {

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held NOTHING = () -> {
    };

    /** The locking clause of the batch SELECT ({@code ""} for none). */
    String readClause(ServerInfo source);

    /** Held by the copier from before its read until after its target commit. */
    default Held acquire(TableId table) {
        return NOTHING;
    }

    /**
     * Held by the binlog applier while it applies events touching {@code tables}, the last of them at
     * {@code through}.
     */
    default Held acquireForApply(Collection<TableId> tables, BinlogPosition through) {
        return NOTHING;
    }

    /**
     * {@code LockOnSourceDB}: the batch is read with shared row locks in a source transaction that stays open until
     * the target commit, so a conflicting source write waits and reaches the binlog only after the copied rows are
     * on the target.
     */
    record OnSource() implements CopyLocking {
        @Override
        public String readClause(ServerInfo source) {
            return source.shareLockClause();
        }
    }

    /**
     * {@code LockInGhostferry}: a per-table lock inside ferry, taken by the copier around read+write and by the
     * applier around each transaction touching the table. Needs no write or lock privilege on the source, so it works
     * on read-only replicas and managed servers.
     *
     * <p>The lock alone leaves one gap: a source transaction is in the binlog (and may be applied, as a no-op on rows
     * not copied yet) a moment before its rows are visible to other sessions, so a batch read in that moment would
     * copy the rows as they were before it and nothing would ever bring the change. The copier closes the gap by
     * reading in a snapshot that includes every change the applier has already applied: on MariaDB one whose binlog
     * position covers the table's last applied change ({@link #lastApplied}), on MySQL one taken after every
     * transaction the streamer has read is in {@code gtid_executed} ({@link #gtidsSeen}); see {@link ReadView}.
     */
    final class InProcess implements CopyLocking {
        // Copiers of one table's ranges share the lock (their rows are disjoint); the applier takes it exclusively.
        // Fair, so a waiting applier is not starved by a stream of batches.
        private final Map<TableId, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();
        private final Map<TableId, BinlogPosition> applied = new ConcurrentHashMap<>();
        private final Supplier<String> gtidsSeen;

        /** @param gtidsSeen the streamer's GTID set (MySQL; see {@code BinlogStreamer.gtidsSeen}) */
        public InProcess(Supplier<String> gtidsSeen) {
            this.gtidsSeen = gtidsSeen;
        }

        @Override
        public String readClause(ServerInfo source) {
            return "";
        }

        @Override
        public Held acquire(TableId table) {
            var lock = lockOf(table).readLock();
            lock.lock();
            return lock::unlock;
        }

        @Override
        public Held acquireForApply(Collection<TableId> tables, BinlogPosition through) {
            // A fixed order (by name) keeps two lock sets from deadlocking.
            List<TableId> sorted = tables.stream().distinct().sorted().toList();
            List<ReentrantReadWriteLock.WriteLock> held = sorted.stream().map(t -> lockOf(t).writeLock()).toList();
            held.forEach(ReentrantReadWriteLock.WriteLock::lock);
            return () -> {
                sorted.forEach(t -> applied.merge(t, through, (a, b) -> a.compareTo(b) >= 0 ? a : b));
                held.reversed().forEach(ReentrantReadWriteLock.WriteLock::unlock);
            };
        }

        /**
         * The position of the newest applied event touching {@code table}, or {@code null}. Stable while the caller
         * holds the table's copy lock.
         */
        BinlogPosition lastApplied(TableId table) {
            return applied.get(table);
        }

        /**
         * A GTID set that holds every transaction the applier has applied, or {@code null} (MariaDB, streaming not
         * started). Read it while holding the table's copy lock: it only grows, and the applier applies only what the
         * streamer has read.
         */
        String gtidsSeen() {
            return gtidsSeen.get();
        }

        private ReentrantReadWriteLock lockOf(TableId table) {
            return locks.computeIfAbsent(table, t -> new ReentrantReadWriteLock(true));
        }
    }

    /** {@code None}: no lock. Unsafe when rows are updated or deleted while they are being copied. */
    record Unlocked() implements CopyLocking {
        @Override
        public String readClause(ServerInfo source) {
            return "";
        }
    }
}

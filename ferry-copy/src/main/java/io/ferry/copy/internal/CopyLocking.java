package io.ferry.copy.internal;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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

    /** Held by the binlog applier while it applies a transaction touching {@code tables}. */
    default Held acquireForApply(Collection<TableId> tables) {
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
     */
    final class InProcess implements CopyLocking {
        // Copiers of one table's ranges share the lock (their rows are disjoint); the applier takes it exclusively.
        // Fair, so a waiting applier is not starved by a stream of batches.
        private final Map<TableId, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

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
        public Held acquireForApply(Collection<TableId> tables) {
            // A fixed order (by name) keeps two lock sets from deadlocking.
            List<ReentrantReadWriteLock.WriteLock> held = tables.stream().distinct().sorted()
                    .map(t -> lockOf(t).writeLock()).toList();
            held.forEach(ReentrantReadWriteLock.WriteLock::lock);
            return () -> held.reversed().forEach(ReentrantReadWriteLock.WriteLock::unlock);
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

package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.BinlogStreamer;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.copy.RunHooks;
import io.ferry.copy.Throttler;
import io.ferry.copy.internal.rowcopy.CopyLocking;
import io.ferry.copy.internal.rowcopy.FullTableCopier;
import io.ferry.copy.internal.schema.CascadingForeignKeys;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.ReplicationStatus;
import io.ferry.core.control.WriterState;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.verify.ChangedRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the target in step with the source binlog: one platform thread streams events into a bounded queue, one
 * thread applies them in order. Either thread's failure stops both and is reported by {@link #failure()}.
 */
public final class Replication {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);
    private static final int QUEUE_CAPACITY = 20_000;
    private static final int MAX_DRAIN = 5_000;

    private final BinlogStreamer streamer;
    private final BinlogApplier applier;
    private final CopyLocking locking;
    private final Throttler pause;
    private final RunHooks hooks;
    private final CascadingForeignKeys cascades;
    private final ChangedRows changedRows;
    private final ChangeFilter changeFilter;
    private final BlockingQueue<BinlogEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ReplicationProgress progress;
    private final ApplyBarriers barriers = new ApplyBarriers();
    /** Row changes up to here were applied before an interruption (see {@link #start(ResumablePosition, BinlogPosition)}). */
    private BinlogPosition skipThrough;
    private volatile boolean streamerDone;
    private volatile boolean applying;
    private volatile boolean stopping;
    private final BooleanSupplier stopApplying;
    private volatile WriterMark writer = new WriterMark(WriterState.INIT, Instant.now());
    private Thread streamThread;
    private Thread applyThread;

    /**
     * @param changedRows  told of the rows each applied batch touched (for the verifier)
     * @param progress     where the apply's progress and any failure are published
     * @param stopApplying makes the applier stop for good, between two target transactions, once it says so (a stop
     *                     request); the applier's listener must ask the same (see {@link ApplyHooks})
     * @param rows         which row changes reach the target (see {@link ChangeFilter})
     */
    public Replication(BinlogStreamer streamer, BinlogApplier applier, CopyLocking locking, Throttler pause, RunHooks hooks,
                       CascadingForeignKeys cascades, ChangedRows changedRows, ReplicationProgress progress,
                       BooleanSupplier stopApplying, RowFilter rows) {
        this.changedRows = changedRows;
        this.changeFilter = new ChangeFilter(rows);
        this.cascades = cascades;
        this.streamer = streamer;
        this.applier = applier;
        this.locking = locking;
        this.pause = pause;
        this.hooks = hooks;
        this.progress = progress;
        this.stopApplying = stopApplying;
    }

    /**
     * Starts streaming at {@code from} and applying what follows {@code appliedThrough}: a resumed stream starts
     * at the lowest saved position of its consumers (the inline verifier's may lag the applier's), and row changes
     * up to the applier's own are already on the target. Replaying them would be harmless for keyed tables but not
     * for tables without a key (a duplicate row, another identical row changed), so they are only reported to the
     * verifier.
     */
    public void start(ResumablePosition from, BinlogPosition appliedThrough) {
        this.skipThrough = appliedThrough.isNone() || appliedThrough.compareTo(from.event()) <= 0 ? null : appliedThrough;
        barriers.startingAt(from.event());
        streamThread = Thread.ofPlatform().name("ferry-binlog-streamer").daemon().start(() -> {
            try {
                streamer.run(from, queue::put);
            } catch (Throwable e) {
                fail(e);
            } finally {
                streamerDone = true;
            }
        });
        applyThread = Thread.ofVirtual().name("ferry-binlog-applier").start(this::applyLoop);
    }

    /** Waits until the streamer is connected (or failed), at most {@code timeout}. */
    public void awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!streamer.isConnected() && progress.failure() == null && !streamerDone) {
            if (System.nanoTime() > deadline) {
                throw new RunFailed("the binlog streamer did not connect to the source within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
        throwIfFailed();
    }

    private void applyLoop() {
        List<BinlogEvent> batch = new ArrayList<>(MAX_DRAIN);
        try {
            while (!stopping) {
                enter(WriterState.WAITING_FOR_EVENTS); // refreshed on every idle poll: an idle applier is alive
                BinlogEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (streamerDone || progress.failure() != null) {
                        return;
                    }
                    BinlogPosition read = streamer.readThrough(); // before looking at the queue
                    barriers.idle(read, queue.isEmpty(), this::holding);
                    continue;
                }
                applying = true;
                batch.add(first);
                queue.drainTo(batch, MAX_DRAIN - 1);
                if (skipThrough != null && skipApplied(batch)) {
                    applying = false;
                    continue;
                }
                if (changeFilter.filters()) {
                    changeFilter.filter(batch);
                }
                enter(WriterState.PROCESSING_EVENTS);
                pause.awaitUnthrottled();
                if (stopApplying.getAsBoolean()) {
                    return;
                }
                barriers.apply(batch, this::applyPart, this::holding);
                batch.clear();
                applying = false;
                if (stopApplying.getAsBoolean()) {
                    return; // the applier may have stopped inside the batch: nothing after it may be applied
                }
            }
        } catch (Throwable e) {
            fail(e);
        } finally {
            applying = false;
        }
    }

    private void applyPart(List<BinlogEvent> events) throws InterruptedException {
        for (List<BinlogEvent> part : StatementBoundaries.split(events)) {
            if (stopApplying.getAsBoolean()) {
                return; // stopped inside an earlier part: nothing after it may be applied
            }
            // A parent's change also changes the children its cascading keys reach.
            try (var held = locking.acquireForApply(cascades.withChildren(tables(part)),
                    part.getLast().position().event())) {
                enter(WriterState.APPLYING_EVENTS);
                applier.apply(part); // the binlog hooks run around each of its target transactions (ApplyHooks)
            }
            RowChangeReport.report(changedRows, part);
            progress.applied(applier.lastApplied(), true);
            enter(WriterState.APPLIED_EVENTS);
        }
    }

    /**
     * Drops from {@code batch} the row changes at or before {@link #skipThrough} (reporting them to the verifier);
     * true when nothing is left to apply. Past that position nothing is dropped any more.
     */
    private boolean skipApplied(List<BinlogEvent> batch) {
        List<BinlogEvent> applied = new ArrayList<>();
        for (var it = batch.iterator(); it.hasNext(); ) {
            BinlogEvent e = it.next();
            if (e.position().event().compareTo(skipThrough) > 0) {
                LOG.info("binlog: row changes up to {} were applied before the interruption; applying from there",
                        skipThrough);
                skipThrough = null;
                break;
            }
            if (e instanceof RowsInserted || e instanceof RowsUpdated || e instanceof RowsDeleted) {
                applied.add(e);
                it.remove();
            }
        }
        RowChangeReport.report(changedRows, applied);
        return batch.isEmpty();
    }

    /** Held at a full-table copy's barrier: alive, with events pending. */
    private void holding() {
        enter(WriterState.PROCESSING_EVENTS);
    }

    /** Where full-table copies stop the applier (see {@link FullTableCopier}). */
    public ApplyBarriers barriers() {
        return barriers;
    }

    private void enter(WriterState state) {
        writer = new WriterMark(state, Instant.now());
    }

    /** Positions, lag and the applier's state, for status reporting. */
    public ReplicationStatus status() {
        WriterMark w = writer;
        return new ReplicationStatus(streamer.lastStreamed(), applier.lastApplied().event(), lagSeconds(), rowsApplied(),
                w.state(), w.at());
    }

    /** The applier's state and when it was entered or last refreshed. */
    private record WriterMark(WriterState state, Instant at) {
    }

    private void fail(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (progress.fail(e)) {
            LOG.debug("replication stopped by failure", e);
            if (Thread.currentThread() != streamThread) {
                try {
                    streamer.stop();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            if (applyThread != null && Thread.currentThread() != applyThread) {
                applyThread.interrupt();
            }
        }
    }

    /** The first failure of streaming or applying, or {@code null}. */
    public Throwable failure() {
        return progress.failure();
    }

    public void throwIfFailed() {
        Throwable e = progress.failure();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e != null) {
            throw new RunFailed("binlog replication failed: " + e, e);
        }
    }

    /** True when every streamed event has been applied. */
    public boolean caughtUp() {
        return queue.isEmpty() && !applying;
    }

    /** Seconds the target trails the source: age of the newest streamed event not yet applied, 0 when caught up. */
    public double lagSeconds() {
        if (caughtUp()) {
            return 0;
        }
        Instant applied = applier.lastEventTime();
        if (applied == null) {
            return 0;
        }
        return Math.max(0, Duration.between(applied, Instant.now()).toMillis() / 1000.0);
    }

    /** Streams up to {@code position}, applies everything streamed, then returns. */
    public void stopAt(BinlogPosition position) throws InterruptedException {
        LOG.info("binlog: stopping at source position {}", position);
        streamer.stopAt(position);
        streamThread.join();
        applyThread.join();
        throwIfFailed();
    }

    /**
     * Stops at a clean point for an interrupted run: streaming stops, the transaction being applied commits, events
     * still queued are dropped (they are streamed again on resume). {@link #lastApplied()} is then final.
     */
    public void stopCleanly() throws InterruptedException {
        stopping = true;
        streamer.stop();
        if (streamThread != null) {
            streamThread.join();
        }
        if (applyThread != null && !applyThread.join(Duration.ofSeconds(30))) {
            LOG.warn("the binlog applier did not finish its transaction within 30 s; interrupting it");
            applyThread.interrupt();
            applyThread.join();
        }
    }

    /** Stops at once without draining; for aborted runs. */
    public void stop() throws InterruptedException {
        streamer.stop();
        if (streamThread != null) {
            streamThread.join();
        }
        if (applyThread != null) {
            applyThread.interrupt();
            applyThread.join();
        }
    }

    public ResumablePosition lastApplied() {
        return applier.lastApplied();
    }

    public long rowsApplied() {
        return applier.rowsApplied();
    }

    public BinlogPosition lastStreamed() {
        return streamer.lastStreamed();
    }

    private static Set<TableId> tables(List<BinlogEvent> batch) {
        Set<TableId> out = new LinkedHashSet<>();
        for (BinlogEvent e : batch) {
            switch (e) {
                case RowsInserted r -> out.add(r.table());
                case RowsUpdated r -> out.add(r.table());
                case RowsDeleted r -> out.add(r.table());
                default -> {
                }
            }
        }
        return out;
    }
}

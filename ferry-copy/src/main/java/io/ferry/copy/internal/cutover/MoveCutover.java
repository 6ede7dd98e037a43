package io.ferry.copy.internal.cutover;

import io.ferry.copy.internal.cutover.WorkerRegistry.Cutover;
import io.ferry.copy.internal.cutover.WorkerRegistry.WorkerPhase;
import io.ferry.core.RunFailed;
import io.ferry.core.config.Partition;
import io.ferry.core.state.BinlogPosition;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cutover for all workers of a partitioned move. Every worker reports itself caught up and waits for the
 * others; the lowest-numbered worker (alive, once all are caught up) claims the cutover, posts {@code CutoverLock},
 * reads the source's position and publishes it as the common stop position; every worker applies its binlog up to
 * that position and reports done; the leader posts {@code CutoverUnlock} once all are done. Each of the leader's
 * steps is marked in the move's cutover row, so a leader that restarts goes on from the last mark instead of
 * locking again or reading another stop position.
 *
 * <p>A worker that is still copying or catching up is waited for as long as it takes; one that never registered or
 * fell silent (it died, its orchestrator has to restart it) is waited for {@code timeout}, then the run fails with
 * a message naming it.
 */
public final class MoveCutover {
    private static final Logger LOG = LoggerFactory.getLogger(MoveCutover.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    /** What only the leader does, in this order; {@code lock} and {@code unlock} post the callbacks. */
    public interface LeaderSteps {
        void lock() throws InterruptedException;

        BinlogPosition sourcePosition() throws InterruptedException;

        void unlock() throws InterruptedException;
    }

    private final WorkerRegistry registry;
    private final WorkerHeartbeat heartbeat;
    private final Partition me;
    private final Duration alive;
    private final Duration timeout;
    private final InstantSource clock;

    /**
     * @param alive   how long a worker may be silent and still count as alive (several heartbeat intervals)
     * @param timeout how long the cutover waits for a worker that is gone before the run fails
     */
    public MoveCutover(WorkerRegistry registry, WorkerHeartbeat heartbeat, Partition me, Duration alive,
                       Duration timeout, InstantSource clock) {
        this.registry = registry;
        this.heartbeat = heartbeat;
        this.me = me;
        this.alive = alive;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Reports this worker caught up and waits until every worker is (or the cutover has begun); gives up with
     * {@link RunFailed} when {@code stopRequested} says so, as the wait may be long when parts differ in size.
     */
    public void awaitEveryWorkerCaughtUp(BooleanSupplier stopRequested) throws InterruptedException {
        heartbeat.report(WorkerPhase.CAUGHT_UP);
        LOG.info("worker {}: caught up; waiting for every worker of the move to be", me);
        await(WorkerPhase.CAUGHT_UP, "every worker caught up", () -> {
            if (stopRequested.getAsBoolean()) {
                throw new RunFailed("run stopped on request before cutover, while waiting for the other workers");
            }
            boolean there = registry.cutover().isPresent() || registry.missing(WorkerPhase.CAUGHT_UP, alive).isEmpty();
            return there ? Optional.of(true) : Optional.empty();
        });
    }

    /**
     * Reports this worker caught up, waits until every worker is, and returns the move's common stop position,
     * leading the cutover up to there when this worker is the one to lead.
     */
    public BinlogPosition stopPosition(LeaderSteps leader) throws InterruptedException {
        heartbeat.report(WorkerPhase.CAUGHT_UP);
        Cutover cutover = await(WorkerPhase.CAUGHT_UP, "the common stop position", () -> {
            Optional<Cutover> c = registry.cutover();
            if (c.isEmpty() && registry.missing(WorkerPhase.CAUGHT_UP, alive).isEmpty() && registry.leads(alive)) {
                registry.claimCutover();
                c = registry.cutover();
            }
            return c.filter(row -> row.leader() == me.index() || !row.stop().isNone());
        });
        if (cutover.leader() == me.index()) {
            lead(cutover, leader);
            cutover = registry.cutover().orElseThrow();
        }
        LOG.info("worker {}: the move stops at source position {} (cutover led by worker {})", me, cutover.stop(),
                cutover.leader());
        return cutover.stop();
    }

    private void lead(Cutover cutover, LeaderSteps leader) throws InterruptedException {
        LOG.info("worker {}: every worker is caught up; this worker leads the cutover", me);
        if (!cutover.locked()) {
            // Posted before it is marked: a leader killed in between posts the lock again when it restarts, rather
            // than never (which would let the application write past the stop position).
            leader.lock();
            registry.markLocked();
        }
        if (cutover.stop().isNone()) {
            registry.publishStop(leader.sourcePosition());
        }
    }

    /**
     * Reports this worker done (its part applied up to the stop position); the leader then waits for every worker
     * to be done and posts {@code CutoverUnlock}, once for the move.
     */
    public void finish(LeaderSteps leader) throws InterruptedException {
        heartbeat.report(WorkerPhase.DONE);
        if (registry.cutover().map(c -> c.leader() != me.index()).orElse(true)) {
            LOG.info("worker {}: done; the leading worker unlocks once every worker is done", me);
            return;
        }
        await(WorkerPhase.DONE, "every worker done",
                () -> registry.missing(WorkerPhase.DONE, alive).isEmpty() ? Optional.of(true) : Optional.empty());
        if (!registry.cutover().orElseThrow().unlocked()) {
            // Posted before it is marked, as the lock: a leader killed in between posts the unlock again when it
            // restarts, rather than never (which would leave the application locked).
            leader.unlock();
            registry.markUnlocked();
        }
    }

    /**
     * Polls {@code reached} until it gives a value; fails once some worker short of {@code phase} has been gone for
     * {@code timeout}.
     */
    private <T> T await(WorkerPhase phase, String what, Supplier<Optional<T>> reached) throws InterruptedException {
        Instant goneSince = null;
        Instant logged = clock.instant();
        while (true) {
            Optional<T> value = reached.get();
            if (value.isPresent()) {
                return value.get();
            }
            Instant now = clock.instant();
            Optional<String> gone = registry.absent(phase, alive);
            if (gone.isEmpty()) {
                goneSince = null;
            } else if (goneSince == null) {
                goneSince = now;
            } else if (Duration.between(goneSince, now).compareTo(timeout) > 0) {
                throw new RunFailed("worker " + me + " gave up waiting for " + what + " after "
                        + timeout.toSeconds() + " s: " + gone.get() + ". Restart the missing worker(s) with the same"
                        + " config and partition (each resumes from its own state); then restart this one"
                        + cutoverNote());
            }
            if (Duration.between(logged, now).compareTo(LOG_EVERY) >= 0) {
                LOG.info("worker {}: waiting for {}: {}", me, what,
                        registry.missing(phase, alive).orElse("every worker is there"));
                logged = now;
            }
            Thread.sleep(POLL);
        }
    }

    private String cutoverNote() {
        return registry.cutover().filter(Cutover::locked).filter(c -> !c.unlocked())
                .map(c -> "; CutoverLock was called (by worker " + c.leader() + ") and CutoverUnlock was not: the"
                        + " application stays locked until the workers finish or you release it")
                .orElse("");
    }
}

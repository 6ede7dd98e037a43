package io.ferry.copy.internal.phase;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.copy.RunSummary;
import io.ferry.copy.internal.cutover.CutoverCallbacks;
import io.ferry.copy.internal.cutover.MoveCutover;
import io.ferry.copy.internal.cutover.ReplicaCatchUp;
import io.ferry.copy.internal.operations.RunMetrics;
import io.ferry.copy.internal.operations.StatusView;
import io.ferry.core.RunFailed;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 8: {@code CutoverLock} (the application stops writing), the binlog applied up to the source's position at
 * that moment, the tables a selective copy copies at cutover ({@link CutoverCopies}), the verifier's final
 * comparison, {@code CutoverUnlock}. A replica source ({@code RunFerryFromReplica})
 * is first waited for until it has applied the master's binlog up to the master's position after the lock. In a
 * partitioned move ({@link MoveCutover}) only the leading worker locks, reads the stop position and unlocks, once for
 * the move; every worker applies its part's changes up to that position and verifies its part.
 */
public final class CutoverPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverPhase.class);
    private final CopydbConfig config;
    private final RunParts parts;
    private final StatusView status;
    private final RunMetrics metrics;
    private final MoveCutover move;
    private volatile BinlogPosition stopPosition = BinlogPosition.NONE;
    private volatile RunSummary summary;

    /** @param move the cutover shared with the other workers of a partitioned move; {@code null} for a whole run */
    public CutoverPhase(CopydbConfig config, RunParts parts, StatusView status, MoveCutover move) {
        this.status = status;
        this.config = config;
        this.parts = parts;
        this.metrics = status.metrics();
        this.move = move;
    }

    @Override
    public String name() {
        return "cutover";
    }

    @Override
    public RunPhase status() {
        return RunPhase.CUTOVER;
    }

    @Override
    public void run() throws InterruptedException {
        var callbacks = new CutoverCallbacks(config.maxCutoverRetries(), config.cutoverRetryWait());
        MoveCutover.LeaderSteps steps = new MoveCutover.LeaderSteps() {
            @Override
            public void lock() throws InterruptedException {
                callbacks.post("CutoverLock", config.cutoverLock());
            }

            @Override
            public BinlogPosition sourcePosition() throws InterruptedException {
                if (config.replicaSource() != null) {
                    new ReplicaCatchUp(config.replicaSource(), config.dbReadRetries(), InstantSource.system())
                            .await(parts.sourcePool());
                }
                return readSourcePosition();
            }

            @Override
            public void unlock() throws InterruptedException {
                callbacks.post("CutoverUnlock", config.cutoverUnlock());
            }
        };
        BinlogPosition stop;
        long locked;
        if (move == null) {
            steps.lock();
            locked = System.nanoTime();
            stop = steps.sourcePosition();
        } else {
            stop = move.stopPosition(steps);
            locked = System.nanoTime();
        }
        parts.replication().stopAt(stop);
        long applied = System.nanoTime();
        stopPosition = stop;
        LOG.info("binlog applied up to {}", stop);
        if (parts.targetVerifier() != null) {
            parts.targetVerifier().finish(); // every write of ferry's is in the target's binlog by now
        }
        parts.verification().copiedAtCutover(CutoverCopies.run(config, parts, status));
        String verified = parts.verification().duringCutover();
        Duration window = Duration.ofNanos(System.nanoTime() - locked);
        metrics.cutoverDone(window);
        // The application's downtime as far as ferry is concerned, with its two parts; a worker of a partitioned
        // move counts from the moment it learnt the stop position.
        LOG.info("cutover window: {} ms from the {} to the {} (binlog catch-up {} ms, verification {} ms)",
                window.toMillis(), move == null ? "CutoverLock answer" : "common stop position",
                move == null ? "CutoverUnlock call" : "end of this worker's part", (applied - locked) / 1_000_000,
                (System.nanoTime() - applied) / 1_000_000);
        if (move == null) {
            steps.unlock();
        } else {
            move.finish(steps);
        }
        summary = new RunSummary(parts.prepared().preflight().order().size(), verified, parts.verification().enabled());
    }

    private BinlogPosition readSourcePosition() throws InterruptedException {
        try {
            // The application waits behind the lock: retried like any read, each retry logged.
            var reads = RetryPolicy.of(config.dbReadRetries());
            return reads.run(() -> {
                try (Connection c = parts.sourcePool().getConnection()) {
                    return BinlogStreamer.currentPosition(c);
                }
            }, reads.warning(LOG, "reading the source binlog position for cutover"));
        } catch (SQLException e) {
            throw new RunFailed("reading the source binlog position for cutover failed: " + e.getMessage()
                    + "; CutoverLock was called and CutoverUnlock was not: release the application's lock", e);
        }
    }

    /** Where the binlog apply stopped; {@link BinlogPosition#NONE} before. */
    public BinlogPosition stopPosition() {
        return stopPosition;
    }

    /** What the run did and checked; after {@link #run()}. */
    public RunSummary summary() {
        return summary;
    }
}

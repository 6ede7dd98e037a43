package io.ferry.copy.internal.replication;

import io.ferry.core.state.ResumablePosition;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the binlog apply has done so far, published by {@link Replication} for the parts of a run that are built
 * before it and follow it: the schema cache (a DDL is followed once applied) and the run state (saved positions).
 * Sharing this value instead of the {@link Replication} itself keeps the run's wiring free of cycles.
 */
public final class ReplicationProgress {
    private volatile ResumablePosition applied = ResumablePosition.NONE;
    private volatile ResumablePosition reportedThrough = ResumablePosition.NONE;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** The last position applied to the target; {@link ResumablePosition#NONE} before the first. */
    public ResumablePosition applied() {
        return applied;
    }

    /**
     * Through where the verifier's binlog listener has heard of every applied row change (the inline verifier's
     * position); {@link ResumablePosition#NONE} before the first applied part.
     */
    public ResumablePosition reportedThrough() {
        return reportedThrough;
    }

    /** The failure that stopped the streamer or the applier, or {@code null}. */
    public Throwable failure() {
        return failure.get();
    }

    void applied(ResumablePosition position, boolean reported) {
        applied = position;
        if (reported) {
            reportedThrough = position;
        }
    }

    /** Records the first failure; false when one was recorded before. */
    boolean fail(Throwable e) {
        return failure.compareAndSet(null, e);
    }
}

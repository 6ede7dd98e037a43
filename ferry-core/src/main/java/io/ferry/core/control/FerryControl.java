package io.ferry.core.control;

/**
 * What an operator (the control server, the CLI, a library user) may see of and do to a running ferry.
 * Implemented by the run itself; the control server depends on nothing else. Every method is safe to call from any
 * thread at any time.
 */
public interface FerryControl {
    RunStatus status();

    /** Pauses the row copy ({@link ThrottleScope#MIGRATION}), the binlog apply, or both. */
    void pause(ThrottleScope scope);

    void unpause(ThrottleScope scope);

    /** Sets whether the run cuts over by itself once the copy is done and the binlog caught up. */
    void setAutomaticCutover(boolean automatic);

    /** Asks the run to stop at a clean point, keeping its state so it can be resumed. */
    void requestStop();

    /** The settings that can change while the run goes on, as they are now. */
    UpdatableConfig updatableConfig();

    /**
     * Sets the rows per copy batch; batches that start afterwards use it.
     *
     * @throws io.ferry.core.ConfigException when {@code rows} is outside 1..{@link UpdatableConfig#MAX_BATCH_SIZE}
     */
    void setBatchSize(int rows);

    /**
     * Starts the run's verifier in the background (Ghostferry's {@code /api/verify}); its progress and verdict show in
     * {@link RunStatus#verifier()}.
     *
     * @throws IllegalStateException when the run has no verifier, it is not ready yet, or a verification is running
     */
    default void startVerification() {
        throw new IllegalStateException("this run has no verifier");
    }

    /** What a pause applies to. */
    enum ThrottleScope {
        /** the row copy */
        MIGRATION,
        /** the binlog apply */
        REPLICATION,
        /** both */
        ALL
    }
}

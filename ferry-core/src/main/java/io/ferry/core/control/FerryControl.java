package io.ferry.core.control;

/**
 * What an operator (the control server, the CLI, a library user) may see of and do to a running ferry.
 * Implemented by the run itself; the control server depends on nothing else.
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

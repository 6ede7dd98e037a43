package io.ferry.copy.internal.phase;

import io.ferry.core.control.RunPhase;
import java.util.Optional;

/** One step of a run, logged as {@code step N - name} (or {@code skipped}) by the coordinator that runs it. */
public interface Phase {
    /** The name in the step's log line. */
    String name();

    /** What the run's status says while this phase runs. */
    RunPhase status();

    /** Why this phase does nothing in this run, or empty when it runs. */
    default Optional<String> skipped() {
        return Optional.empty();
    }

    void run() throws InterruptedException;
}

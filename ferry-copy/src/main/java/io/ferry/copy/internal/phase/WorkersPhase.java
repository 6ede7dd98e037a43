package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.cutover.MoveCutover;
import io.ferry.core.control.RunPhase;
import java.util.Optional;

/**
 * Step 7 of a worker of a partitioned move: its part is copied, caught up and verified; it waits for the other
 * workers to be, while its binlog apply keeps its part in step. A stop request ends the wait (the state is saved
 * as at any point before the cutover).
 */
public final class WorkersPhase implements Phase {
    private final MoveCutover move;
    private final RunControls controls;

    /** @param move the move's cutover, {@code null} for a whole run (the phase is skipped) */
    public WorkersPhase(MoveCutover move, RunControls controls) {
        this.move = move;
        this.controls = controls;
    }

    @Override
    public String name() {
        return "other workers";
    }

    @Override
    public RunPhase status() {
        return RunPhase.WAIT_FOR_CUTOVER;
    }

    @Override
    public Optional<String> skipped() {
        return move == null ? Optional.of("not a partitioned move") : Optional.empty();
    }

    @Override
    public void run() throws InterruptedException {
        move.awaitEveryWorkerCaughtUp(controls::stopRequested);
    }
}

package io.ferry.copy.internal.phase;

import io.ferry.copy.RunHooks;
import io.ferry.core.RunFailed;
import io.ferry.core.control.RunPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5: every row is copied; the binlog apply keeps the target in step until a cutover is allowed (automatic, or
 * requested through the control server) and the target trails the source by little. With {@code DisableCutover} no
 * cutover is ever allowed: the target follows the source until the run is stopped.
 */
public final class CatchUpPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpPhase.class);
    /** The applier is caught up enough to start a cutover when it trails the source by less than this. */
    private static final double CUTOVER_MAX_LAG_SECONDS = 10;
    private final RunParts parts;
    private final RunHooks hooks;
    private final RunControls controls;
    private final boolean disableCutover;

    public CatchUpPhase(RunParts parts, RunHooks hooks, RunControls controls, boolean disableCutover) {
        this.parts = parts;
        this.hooks = hooks;
        this.controls = controls;
        this.disableCutover = disableCutover;
    }

    @Override
    public String name() {
        return "catch-up";
    }

    @Override
    public RunPhase status() {
        return RunPhase.WAIT_FOR_CUTOVER;
    }

    @Override
    public void run() throws InterruptedException {
        hooks.rowCopyCompleted();
        var replication = parts.replication();
        if (disableCutover) {
            LOG.info("copy complete; DisableCutover: no cutover, the target follows the source until the run is stopped");
            while (!controls.stopRequested()) {
                replication.throwIfFailed();
                Thread.sleep(100);
            }
            throw new RunFailed("run stopped on request (DisableCutover: there is no cutover); the target followed the"
                    + " source up to the last applied change");
        }
        LOG.info("copy complete; waiting for cutover (automatic: {})", controls.automaticCutover());
        while (!(controls.automaticCutover() && replication.lagSeconds() < CUTOVER_MAX_LAG_SECONDS)) {
            replication.throwIfFailed();
            if (controls.stopRequested()) {
                throw new RunFailed("run stopped on request before cutover; the target is incomplete");
            }
            Thread.sleep(100);
        }
    }
}

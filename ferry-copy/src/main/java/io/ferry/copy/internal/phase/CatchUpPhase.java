package io.ferry.copy.internal.phase;

import io.ferry.copy.RunHooks;
import io.ferry.core.RunFailed;
import io.ferry.core.control.RunPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5: every row is copied; the binlog apply keeps the target in step until a cutover is allowed (automatic, or
 * requested through the control server) and the target trails the source by little.
 */
public final class CatchUpPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpPhase.class);
    /** The applier is caught up enough to start a cutover when it trails the source by less than this. */
    private static final double CUTOVER_MAX_LAG_SECONDS = 10;
    private final RunParts parts;
    private final RunHooks hooks;
    private final RunControls controls;

    public CatchUpPhase(RunParts parts, RunHooks hooks, RunControls controls) {
        this.parts = parts;
        this.hooks = hooks;
        this.controls = controls;
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
        LOG.info("copy complete; waiting for cutover (automatic: {})", controls.automaticCutover());
        var replication = parts.replication();
        while (!(controls.automaticCutover() && replication.lagSeconds() < CUTOVER_MAX_LAG_SECONDS)) {
            replication.throwIfFailed();
            if (controls.stopRequested()) {
                throw new RunFailed("run stopped on request before cutover; the target is incomplete");
            }
            Thread.sleep(100);
        }
    }
}

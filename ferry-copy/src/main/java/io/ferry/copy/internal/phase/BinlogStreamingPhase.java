package io.ferry.copy.internal.phase;

import io.ferry.copy.RunHooks;
import io.ferry.core.control.RunPhase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3: starts saving the run's state and streaming the source binlog into the target, from the start position
 * (fresh run) or the lowest saved position (resumed run), and the target verifier when it runs. Streaming goes on
 * until the cutover.
 */
public final class BinlogStreamingPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogStreamingPhase.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private final RunParts parts;
    private final RunHooks hooks;

    public BinlogStreamingPhase(RunParts parts, RunHooks hooks) {
        this.parts = parts;
        this.hooks = hooks;
    }

    @Override
    public String name() {
        return "binlog streaming";
    }

    @Override
    public RunPhase status() {
        return RunPhase.STARTING;
    }

    @Override
    public void run() throws InterruptedException {
        if (parts.stateTables() != null) {
            parts.stateTables().create();
        }
        parts.stateSaver().start();
        var prepared = parts.prepared();
        parts.replication().start(prepared.from(), prepared.applierStart().event());
        parts.replication().awaitConnected(CONNECT_TIMEOUT);
        if (parts.targetVerifier() != null) {
            parts.targetVerifier().start();
        }
        hooks.binlogStreamingStarted();
        LOG.info("binlog streaming from {}", prepared.from().resumeFrom());
    }
}

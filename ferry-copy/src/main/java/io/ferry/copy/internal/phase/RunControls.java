package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.operations.PauseGate;
import io.ferry.copy.internal.operations.Throttlers;
import io.ferry.core.control.UpdatableConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The switches an operator flips while a run goes on (through the control server or the library): pauses and
 * throttlers of the copy and of the binlog apply, the batch size, automatic cutover, a stop request. The phases
 * read them; nothing else in a run changes after it is built.
 */
public final class RunControls {
    private final PauseGate copyPause = new PauseGate();
    private final PauseGate applyPause = new PauseGate();
    private final Throttlers migrationThrottlers = new Throttlers(copyPause);
    private final Throttlers replicationThrottlers = new Throttlers(applyPause);
    private final AtomicInteger batchSize;
    private volatile boolean automaticCutover;
    private volatile boolean stopRequested;

    public RunControls(int batchSize, boolean automaticCutover) {
        this.batchSize = new AtomicInteger(batchSize);
        this.automaticCutover = automaticCutover;
    }

    /** The copy's throttlers: the control server's pause first (Ghostferry's {@code MigrationThrottler}). */
    public Throttlers migrationThrottlers() {
        return migrationThrottlers;
    }

    /** The binlog apply's throttlers: the control server's pause first (Ghostferry's {@code ReplicationThrottler}). */
    public Throttlers replicationThrottlers() {
        return replicationThrottlers;
    }

    public void pause(boolean copy, boolean apply) {
        if (copy) {
            copyPause.pause();
        }
        if (apply) {
            applyPause.pause();
        }
    }

    public void unpause(boolean copy, boolean apply) {
        if (copy) {
            copyPause.resume();
        }
        if (apply) {
            applyPause.resume();
        }
    }

    /** Rows per batch of batches started from now on. */
    public int batchSize() {
        return batchSize.get();
    }

    /** Sets the batch size; returns the one before. */
    public int setBatchSize(int rows) {
        return batchSize.getAndSet(new UpdatableConfig(rows).dataIterationBatchSize());
    }

    public boolean automaticCutover() {
        return automaticCutover;
    }

    public void setAutomaticCutover(boolean automatic) {
        automaticCutover = automatic;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Asks the run to stop at its next clean point; pauses are lifted so that it gets there. */
    public void requestStop() {
        stopRequested = true;
        copyPause.resume();
        applyPause.resume();
    }
}

package io.ferry.copy.internal.cutover;

import io.ferry.copy.internal.cutover.WorkerRegistry.WorkerPhase;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's row in the move's worker table fresh: its phase, and a heartbeat every {@code interval}, so
 * the other workers can tell one that is slow from one that is gone. A failed beat is logged and tried again at the
 * next; the others only notice a worker silent for longer than their liveness bound.
 */
public final class WorkerHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHeartbeat.class);
    private final WorkerRegistry registry;
    /** Held while a phase is written, so a beat never writes an older phase over a newer one. */
    private final ReentrantLock writing = new ReentrantLock();
    private volatile WorkerPhase phase = WorkerPhase.COPYING;
    private final Thread thread;

    public WorkerHeartbeat(WorkerRegistry registry, Duration interval) {
        this.registry = registry;
        this.thread = Thread.ofVirtual().name("ferry-worker-heartbeat").start(() -> beat(interval));
    }

    /** Reports {@code next} now and with every later beat. */
    public void report(WorkerPhase next) {
        writing.lock();
        try {
            phase = next;
            registry.report(next);
        } finally {
            writing.unlock();
        }
    }

    private void beat(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                writing.lockInterruptibly();
                try {
                    registry.report(phase);
                } finally {
                    writing.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("worker heartbeat failed, trying again in {} ms: {}", interval.toMillis(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ferry.core.verify;

import io.ferry.core.control.VerifierStatus;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs verifications one at a time, in the caller's thread or in the background, and remembers the last outcome:
 * the {@code StartInBackground}/{@code Wait}/{@code Result} part of a {@link Verifier}, shared by the verifiers.
 */
public final class VerificationTracker {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationTracker.class);
    private final ReentrantLock lock = new ReentrantLock();
    private boolean running;
    private boolean started;
    private boolean done;
    private VerificationResult result;
    private String error = "";
    private Thread background;

    /** Runs {@code work} now, in this thread, recording its outcome; rethrows its failure. */
    public VerificationResult run(Callable<VerificationResult> work) throws Exception {
        begin();
        try {
            VerificationResult r = work.call();
            finish(r, "");
            return r;
        } catch (Exception | Error e) {
            finish(null, e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
    }

    /** Starts {@code work} on a virtual thread; its failure is recorded, not thrown. */
    public void startInBackground(String name, Callable<VerificationResult> work) {
        begin();
        lock.lock();
        try {
            background = Thread.ofVirtual().name(name).start(() -> {
                try {
                    finish(work.call(), "");
                } catch (Exception | Error e) {
                    LOG.warn("{} failed: {}", name, e.toString());
                    finish(null, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the background verification, if any. */
    public void await() throws InterruptedException {
        Thread t;
        lock.lock();
        try {
            t = background;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.join();
        }
    }

    /** The status, given whether the verifier could be started now (when nothing runs). */
    public VerifierStatus status(boolean available) {
        lock.lock();
        try {
            Boolean correct = done && result != null ? result.dataCorrect() : null;
            String message = !error.isEmpty() ? error : result == null ? "" : result.message();
            return new VerifierStatus(true, available && !running, started, done, correct, message);
        } finally {
            lock.unlock();
        }
    }

    /** The last completed result, or {@code null}. */
    public VerificationResult lastResult() {
        lock.lock();
        try {
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void begin() {
        lock.lock();
        try {
            if (running) {
                throw new IllegalStateException("a verification is already running; wait for it to finish");
            }
            running = true;
            started = true;
            done = false;
            result = null;
            error = "";
        } finally {
            lock.unlock();
        }
    }

    private void finish(VerificationResult r, String failure) {
        lock.lock();
        try {
            running = false;
            done = true;
            result = r;
            error = failure;
        } finally {
            lock.unlock();
        }
    }
}

package io.ferry.copy.internal.operations;

import io.ferry.core.config.HttpCallback;
import io.ferry.core.control.RunStatus;
import io.ferry.core.state.BinlogPosition;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the run's {@link ProgressPayload} to the progress callback every {@code ProgressReportFrequency}, and once
 * more when the run ends. A failed post never stops the run: it is logged (once per failure streak) and the next
 * report is tried on schedule.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final HttpCallback callback;
    private final Duration every;
    private final Supplier<RunStatus> status;
    private final Supplier<BinlogPosition> finalPosition;
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;

    private ProgressReporter(HttpCallback callback, Duration every, Supplier<RunStatus> status,
                             Supplier<BinlogPosition> finalPosition) {
        this.callback = callback;
        this.finalPosition = finalPosition;
        this.every = every;
        this.status = status;
        this.thread = Thread.ofVirtual().name("ferry-progress-callback").unstarted(this::loop);
    }

    public static ProgressReporter start(HttpCallback callback, Duration every, Supplier<RunStatus> status,
                                         Supplier<BinlogPosition> finalPosition) {
        var r = new ProgressReporter(callback, every, status, finalPosition);
        LOG.info("posting progress to {} every {} ms", callback.describe(), every.toMillis());
        r.thread.start();
        return r;
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(every.toMillis());
                if (!closed) {
                    report();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void report() throws InterruptedException {
        String error;
        try {
            int code = CallbackPost.post(callback, ProgressPayload.of(status.get(), callback.payload(), finalPosition.get()).toString(),
                    Duration.ofSeconds(10));
            if (code / 100 == 2) {
                if (failing) {
                    LOG.info("progress callback to {} answers again", callback.describe());
                }
                failing = false;
                return;
            }
            error = "HTTP " + code;
        } catch (IOException e) {
            error = e.toString();
        }
        if (!failing) {
            LOG.warn("posting progress to {} failed, the run goes on: {}", callback.describe(), error);
        }
        failing = true;
    }

    /** Stops the schedule and posts the final progress. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join();
        report();
    }
}

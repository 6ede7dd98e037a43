package io.ferry.copy.internal.operations;

import io.ferry.copy.LagThrottler;
import io.ferry.core.config.OperationsConfig;
import io.ferry.core.control.RunStatus;
import io.ferry.core.state.BinlogPosition;
import java.util.List;
import java.util.function.Supplier;

/**
 * The parts of a run that report on it and hold it back, from {@link OperationsConfig}: the progress callback, the
 * error callback and the lag throttler. Started before the first step and closed after the last.
 */
public final class RunOperations implements AutoCloseable {
    private final OperationsConfig config;
    private final ErrorReporter errors;
    private final Throttlers migration;
    private final Throttlers replication;
    private LagThrottler lag;
    private ProgressReporter progress;

    /** @param secrets values never to send in a callback (passwords, tokens) */
    public RunOperations(OperationsConfig config, List<String> secrets, Throttlers migration, Throttlers replication) {
        this.config = config;
        this.errors = new ErrorReporter(config.errorCallback(), secrets);
        this.migration = migration;
        this.replication = replication;
    }

    /**
     * Starts the lag throttler (its first query runs now) and the progress reports.
     *
     * @param finalPosition where replication stopped at cutover, {@link BinlogPosition#NONE} before
     */
    public void start(Supplier<RunStatus> status, Supplier<BinlogPosition> finalPosition) {
        if (config.lagThrottler() != null) {
            lag = LagThrottler.start(config.lagThrottler());
            migration.add(lag);
            if (config.lagThrottler().throttleReplication()) {
                replication.add(lag);
            }
        }
        if (config.progressCallback() != null) {
            progress = ProgressReporter.start(config.progressCallback(), config.progressReportFrequency(), status,
                    finalPosition);
        }
    }

    /** Reports the run's fatal error to the error callback, if one is configured. */
    public void failed(String from, Throwable error, String stateDump) {
        errors.report(from, error, stateDump);
    }

    /** Posts the final progress and stops the lag throttler. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (progress != null) {
                progress.close();
            }
        } finally {
            if (lag != null) {
                migration.remove(lag);
                replication.remove(lag);
                lag.close();
            }
        }
    }
}

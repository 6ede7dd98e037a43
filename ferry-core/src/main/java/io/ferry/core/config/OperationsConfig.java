package io.ferry.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run reports on itself and is held back: Ghostferry's {@code ProgressCallback} (posted every
 * {@code ProgressReportFrequency} ms), {@code ErrorCallback} (posted once when the run fails) and the lag throttler.
 *
 * @param progressCallback        where progress is posted, or {@code null}
 * @param progressReportFrequency time between two progress posts
 * @param errorCallback           where a fatal error is posted, or {@code null}
 * @param lagThrottler            the lag throttler, or {@code null}
 */
public record OperationsConfig(HttpCallback progressCallback, Duration progressReportFrequency,
                               HttpCallback errorCallback, LagThrottlerConfig lagThrottler) {
    /** No callbacks, no lag throttler. */
    public static final OperationsConfig NONE =
            new OperationsConfig(null, Defaults.PROGRESS_REPORT_FREQUENCY, null, null);

    public OperationsConfig {
        Objects.requireNonNull(progressReportFrequency, "progressReportFrequency");
    }

    /** One phrase for the start-up log, without payloads or credentials; empty when nothing is configured. */
    public String describe() {
        var sb = new StringBuilder();
        if (progressCallback != null) {
            sb.append("progress to ").append(progressCallback.describe()).append(" every ")
                    .append(progressReportFrequency.toMillis()).append(" ms");
        }
        if (errorCallback != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("errors to ").append(errorCallback.describe());
        }
        if (lagThrottler != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append(lagThrottler.describe());
        }
        return sb.toString();
    }
}

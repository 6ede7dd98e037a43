package io.ferry.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Ghostferry's {@code LogLevel} and {@code LogBackend} (also read from {@code GHOSTFERRY_LOG_LEVEL} and
 * {@code GHOSTFERRY_LOG_BACKEND} when the config leaves them out).
 *
 * @param level   the level of ferry's own loggers, or {@code null} for INFO; {@code --verbose} raises it to DEBUG
 * @param backend how log lines are written
 */
public record LoggingConfig(Level level, Backend backend) {
    public static final LoggingConfig DEFAULT = new LoggingConfig(null, Backend.TEXT);

    public LoggingConfig {
        backend = backend == null ? Backend.TEXT : backend;
    }

    /** logrus' levels; {@code fatal} and {@code panic} log errors only, as ferry has nothing above ERROR. */
    public enum Level {
        TRACE("trace"), DEBUG("debug"), INFO("info"), WARN("warn", "warning"), ERROR("error", "fatal", "panic");

        private final String[] names;

        Level(String... names) {
            this.names = names;
        }

        static Optional<Level> parse(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(l -> Arrays.asList(l.names).contains(lower)).findFirst();
        }

        static String validNames() {
            return "trace, debug, info, warn (warning), error, fatal or panic";
        }
    }

    /** Ghostferry's {@code logrus} writes text lines, {@code zerolog} JSON; ferry also takes {@code text} and {@code json}. */
    public enum Backend {
        /** {@code logrus} / {@code text}: one readable line per event. */
        TEXT("logrus", "text"),
        /** {@code zerolog} / {@code json}: one JSON object per line, for log collectors. */
        JSON("zerolog", "json");

        private final String[] names;

        Backend(String... names) {
            this.names = names;
        }

        static Optional<Backend> parse(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(b -> Arrays.asList(b.names).contains(lower)).findFirst();
        }
    }
}

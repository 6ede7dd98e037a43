package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.ferry.core.config.LoggingConfig;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging set-up: everything goes to stderr through logback, including the java.util.logging output of libraries.
 * The config's {@code LogLevel} sets the level of ferry's own loggers and {@code LogBackend} the format; with
 * {@code --verbose} the more detailed of DEBUG and {@code LogLevel} applies.
 */
final class Logging {
    private static volatile boolean verbose;
    private static volatile boolean json;

    private Logging() {
    }

    static void init() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** DEBUG for ferry's own loggers ({@code --verbose}). */
    static void verbose() {
        verbose = true;
        ferryLogger().setLevel(Level.DEBUG);
    }

    /** Applies the config's {@code LogLevel} and {@code LogBackend}. */
    static void configure(LoggingConfig config) {
        Level level = config.level() == null ? null : switch (config.level()) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
        if (verbose && (level == null || level.isGreaterOrEqual(Level.INFO))) {
            level = Level.DEBUG;
        }
        if (level != null) {
            ferryLogger().setLevel(level);
        }
        if (config.backend() == LoggingConfig.Backend.JSON) {
            json();
        }
    }

    /**
     * One JSON object per line ({@code timestamp}, {@code level}, {@code loggerName}, {@code formattedMessage},
     * key-values, {@code throwable}) on the same stderr appender. What ferry logs never holds a password, whatever the
     * format.
     */
    private static void json() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender(LogbackSetup.APPENDER) instanceof ConsoleAppender<ILoggingEvent> console)) {
            return; // a library user's own logback set-up: theirs to choose
        }
        var encoder = new JsonEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
        json = true;
    }

    /** Whether log lines are JSON objects, so nothing else may write to stderr. */
    static boolean isJson() {
        return json;
    }

    /**
     * Prints the command's closing error line to {@code err}, or, with the JSON backend on stderr, logs it as one
     * more JSON object, so that every line there parses.
     */
    static void failure(PrintStream err, String line) {
        if (json && err == System.err) {
            LoggerFactory.getLogger("io.ferry.cli").error(line);
        } else {
            err.println(line);
        }
    }

    private static Logger ferryLogger() {
        return (Logger) LoggerFactory.getLogger("io.ferry");
    }
}

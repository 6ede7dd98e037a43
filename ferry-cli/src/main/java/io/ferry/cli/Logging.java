package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Logging set-up: everything goes to stderr through logback, including the java.util.logging output of libraries. */
final class Logging {
    private Logging() {
    }

    static void init() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** DEBUG for ferry's own loggers ({@code --verbose}). */
    static void verbose() {
        ((Logger) LoggerFactory.getLogger("io.ferry")).setLevel(Level.DEBUG);
    }
}

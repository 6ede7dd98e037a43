package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * The command's logback set-up, found by logback's service lookup before it would look for a {@code logback.xml}:
 * lines go to stderr (stdout is kept for machine output: state dumps, plans) as
 * {@code HH:mm:ss.SSS LEVEL logger - message}; the root level is {@code FERRY_LOG_LEVEL} (default INFO), and the
 * libraries' chatter is held to warnings. Built in code because reading an XML configuration loads an XML parser
 * and some 450 classes more at every start.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
    static final String APPENDER = "STDERR";
    private static final List<String> QUIET = List.of("com.zaxxer.hikari", "com.github.shyiko", "io.javalin",
            "org.eclipse.jetty");

    public LogbackSetup() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // Levels set here reach java.util.logging too, so libraries logging through it skip disabled lines cheaply.
        var propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);

        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        var stderr = new ConsoleAppender<ILoggingEvent>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        for (String library : QUIET) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("FERRY_LOG_LEVEL"), Level.INFO));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

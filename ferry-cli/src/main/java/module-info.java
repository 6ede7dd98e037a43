/** The {@code ferry} command: reads a config file, wires a run from the other modules and reports its outcome. */
module io.ferry.cli {
    requires io.ferry.core;
    requires io.ferry.copy;
    requires io.ferry.verify;
    requires io.ferry.server;
    requires org.slf4j;
    requires jul.to.slf4j;
    requires ch.qos.logback.classic; // --verbose sets a level in code
    requires ch.qos.logback.core;
    requires jdk.httpserver; // the demo answers its own cutover callbacks
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM stop a run cleanly instead of shutting the JVM down

    provides ch.qos.logback.classic.spi.Configurator with io.ferry.cli.LogbackSetup;
}

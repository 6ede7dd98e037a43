/**
 * The HTTP control server: status JSON and page, pause/unpause, cutover, stop, runtime config, {@code /api/health}
 * and Prometheus metrics. It talks to a run only through {@link io.ferry.core.control.FerryControl}.
 */
module io.ferry.server {
    requires transitive io.ferry.core;
    requires org.slf4j;
    requires io.javalin;
    requires com.google.gson;

    exports io.ferry.server;

    // Gson writes the JSON DTO records reflectively.
    opens io.ferry.server.api to com.google.gson;
}

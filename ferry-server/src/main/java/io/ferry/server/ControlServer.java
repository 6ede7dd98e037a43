package io.ferry.server;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.control.FerryControl;
import io.ferry.server.internal.Routes;
import io.javalin.Javalin;

/**
 * ferry's HTTP control server (Ghostferry's control server and the fork's {@code /api/health}): a status page at
 * {@code /}, JSON status, actions, runtime config and Prometheus metrics, all through a {@link FerryControl}.
 *
 * <pre>{@code
 * try (var server = ControlServer.start(ferry, ControlServerSettings.defaults())) {
 *     ferry.run();
 * }
 * }</pre>
 */
public final class ControlServer implements AutoCloseable {
    private final Javalin app;
    private final String host;
    private final Routes routes;

    private ControlServer(Javalin app, String host, Routes routes) {
        this.app = app;
        this.host = host;
        this.routes = routes;
    }

    /**
     * Starts serving {@code control} on {@code settings}' address; returns once the port is bound.
     *
     * @throws PreconditionFailed when the address cannot be bound (port in use, unknown host)
     */
    public static ControlServer start(FerryControl control, ControlServerSettings settings) {
        var routes = new Routes(control, settings);
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            routes.register(config.routes);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            routes.close();
            throw new PreconditionFailed("the control server cannot listen on " + settings.host() + ":" + settings.port()
                    + " (" + e.getMessage() + "); free the port or set ControlServerConfig.ServerBindAddr", e);
        }
        return new ControlServer(app, settings.host(), routes);
    }

    /** The bound port (the chosen one when the settings asked for port 0). */
    public int port() {
        return app.port();
    }

    /** The address of the status page, e.g. {@code http://127.0.0.1:8000/}. */
    public String url() {
        String h = host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/";
    }

    @Override
    public void close() {
        app.stop();
        routes.close(); // a custom script still running ends with the server
    }
}

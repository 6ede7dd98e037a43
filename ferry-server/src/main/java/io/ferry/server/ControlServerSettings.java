package io.ferry.server;

import io.ferry.core.config.Secret;
import java.util.Objects;

/**
 * Where the control server listens and who may use it.
 *
 * @param host         address to bind, e.g. {@code 127.0.0.1} (the default) or {@code 0.0.0.0}
 * @param port         TCP port; 0 picks a free one (see {@link ControlServer#port()})
 * @param bearerToken  when not empty, every {@code /api} route and {@code /metrics} require
 *                     {@code Authorization: Bearer <token>}
 * @param version      the ferry version reported as {@code GhostferryVersion}
 */
public record ControlServerSettings(String host, int port, Secret bearerToken, String version) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;

    public ControlServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        bearerToken = bearerToken == null ? Secret.NONE : bearerToken;
        version = version == null ? "" : version;
    }

    /** {@code 127.0.0.1:8000}, no token. */
    public static ControlServerSettings defaults() {
        return new ControlServerSettings(DEFAULT_HOST, DEFAULT_PORT, Secret.NONE, "");
    }
}

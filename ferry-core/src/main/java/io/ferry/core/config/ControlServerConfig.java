package io.ferry.core.config;

import java.util.Objects;

/**
 * Ghostferry's {@code ControlServerConfig}: whether the HTTP control server runs and where. {@code BearerToken}
 * (or {@code BearerTokenFromEnv}) is a ferry extension that guards the API and metrics.
 *
 * @param enabled      whether to start the server
 * @param host         address to bind ({@code 0.0.0.0} for every interface)
 * @param port         TCP port
 * @param bearerToken  the token every {@code /api} and {@code /metrics} request must carry, or {@link Secret#NONE}
 */
public record ControlServerConfig(boolean enabled, String host, int port, Secret bearerToken) {
    public static final ControlServerConfig DISABLED =
            new ControlServerConfig(false, Defaults.CONTROL_SERVER_HOST, Defaults.CONTROL_SERVER_PORT, Secret.NONE);

    public ControlServerConfig {
        Objects.requireNonNull(host, "host");
        bearerToken = bearerToken == null ? Secret.NONE : bearerToken;
    }

    /** {@code host:port}, as {@code ServerBindAddr} spells it. */
    public String bindAddress() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package io.ferry.core.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ghostferry's {@code ControlServerConfig}: whether the HTTP control server runs and where. {@code BearerToken}
 * (or {@code BearerTokenFromEnv}) is a ferry extension that guards the API and metrics.
 *
 * @param enabled      whether to start the server
 * @param host         address to bind ({@code 0.0.0.0} for every interface)
 * @param port         TCP port
 * @param bearerToken  the token every {@code /api} and {@code /metrics} request must carry, or {@link Secret#NONE}
 * @param customScripts {@code CustomScripts}: commands (a program and its arguments) the status page can run, by name
 * @param webBasedir   {@code WebBasedir}: the directory of a custom status page, or {@code null} for the built-in one
 */
public record ControlServerConfig(boolean enabled, String host, int port, Secret bearerToken,
                                  Map<String, List<String>> customScripts, Path webBasedir) {
    public static final ControlServerConfig DISABLED =
            new ControlServerConfig(false, Defaults.CONTROL_SERVER_HOST, Defaults.CONTROL_SERVER_PORT, Secret.NONE);

    public ControlServerConfig {
        Objects.requireNonNull(host, "host");
        bearerToken = bearerToken == null ? Secret.NONE : bearerToken;
        Map<String, List<String>> scripts = new LinkedHashMap<>();
        (customScripts == null ? Map.<String, List<String>>of() : customScripts)
                .forEach((name, command) -> scripts.put(name, List.copyOf(command)));
        customScripts = java.util.Collections.unmodifiableMap(scripts);
    }

    /** No custom scripts, the built-in page. */
    public ControlServerConfig(boolean enabled, String host, int port, Secret bearerToken) {
        this(enabled, host, port, bearerToken, Map.of(), null);
    }

    /** {@code host:port}, as {@code ServerBindAddr} spells it. */
    public String bindAddress() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

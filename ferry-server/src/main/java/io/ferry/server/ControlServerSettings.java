package io.ferry.server;

import io.ferry.core.config.Secret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the control server listens, who may use it, and what it offers beyond the run's controls.
 *
 * @param host          address to bind, e.g. {@code 127.0.0.1} (the default) or {@code 0.0.0.0}
 * @param port          TCP port; 0 picks a free one (see {@link ControlServer#port()})
 * @param bearerToken   when not empty, every {@code /api} route and {@code /metrics} require
 *                      {@code Authorization: Bearer <token>}
 * @param version       the ferry version reported as {@code GhostferryVersion}
 * @param customScripts commands the status page and {@code POST /api/script} may run, by name (each a program and
 *                      its arguments); empty for none
 * @param webBasedir    a directory whose {@code index.html} replaces the built-in status page (and whose
 *                      {@code static/} files are served under {@code /static/}), or {@code null}
 */
public record ControlServerSettings(String host, int port, Secret bearerToken, String version,
                                    Map<String, List<String>> customScripts, Path webBasedir) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;

    public ControlServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        bearerToken = bearerToken == null ? Secret.NONE : bearerToken;
        version = version == null ? "" : version;
        Map<String, List<String>> scripts = new HashMap<>();
        (customScripts == null ? Map.<String, List<String>>of() : customScripts).forEach((name, command) -> {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("custom script " + name + " has no command");
            }
            scripts.put(name, List.copyOf(command));
        });
        customScripts = Map.copyOf(scripts); // shown in name order
    }

    /** No custom scripts, the built-in page. */
    public ControlServerSettings(String host, int port, Secret bearerToken, String version) {
        this(host, port, bearerToken, version, Map.of(), null);
    }

    /** {@code 127.0.0.1:8000}, no token. */
    public static ControlServerSettings defaults() {
        return new ControlServerSettings(DEFAULT_HOST, DEFAULT_PORT, Secret.NONE, "");
    }
}

package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import java.util.Map;

/**
 * Reads {@code ControlServerConfig} {Enabled, ServerBindAddr, BearerToken, BearerTokenFromEnv} and the deprecated
 * top-level {@code ServerBindAddr}, which enables the server at that address (Ghostferry always ran it there).
 */
final class ControlServerSection {
    private ControlServerSection() {
    }

    static ControlServerConfig read(JsonSection root, Map<String, String> environment) {
        String topLevel = root.string("ServerBindAddr");
        JsonSection s = root.section("ControlServerConfig");
        if (s == null) {
            if (topLevel == null || topLevel.isEmpty()) {
                return ControlServerConfig.DISABLED;
            }
            HostPort at = parse(root, "ServerBindAddr", topLevel);
            return at == null ? null : new ControlServerConfig(true, at.host(), at.port(), Secret.NONE);
        }
        Boolean enabled = s.bool("Enabled");
        String addr = s.string("ServerBindAddr");
        String token = s.secretString("BearerToken");
        String tokenEnv = s.string("BearerTokenFromEnv");
        for (String notYet : new String[] {"WebBasedir", "CustomScripts"}) {
            var value = s.get(notYet); // the page is built in; off values are accepted for old configs
            if (value != null && !UnsupportedKeys.isOff(value, null)) {
                s.problems().add(s.path(notYet), "not supported by this version of ferry yet; remove it");
            }
        }
        s.rejectUnknownKeys();
        if (topLevel != null && !topLevel.isEmpty()) {
            if (addr != null && !addr.isEmpty() && !addr.equals(topLevel)) {
                root.problems().add("ServerBindAddr", new JsonPrimitive(topLevel), "differs from "
                        + s.path("ServerBindAddr") + " = " + addr + "; keep only ControlServerConfig.ServerBindAddr");
            }
            addr = addr == null || addr.isEmpty() ? topLevel : addr;
        }
        HostPort at = addr == null || addr.isEmpty()
                ? new HostPort(Defaults.CONTROL_SERVER_HOST, Defaults.CONTROL_SERVER_PORT)
                : parse(s, "ServerBindAddr", addr);
        Secret secret = token(s, token, tokenEnv, environment);
        return at == null ? null : new ControlServerConfig(enabled != null && enabled, at.host(), at.port(), secret);
    }

    private static Secret token(JsonSection s, String token, String fromEnv, Map<String, String> environment) {
        if (token != null && !token.isEmpty() && fromEnv != null) {
            s.problems().add(s.path(), "BearerToken and BearerTokenFromEnv cannot both be set; keep one");
            return Secret.NONE;
        }
        if (fromEnv == null) {
            return new Secret(token);
        }
        String value = fromEnv.isEmpty() ? null : environment.get(fromEnv);
        if (value == null || value.isEmpty()) {
            s.problems().add(s.path("BearerTokenFromEnv"), new JsonPrimitive(fromEnv),
                    "environment variable " + (fromEnv.isEmpty() ? "\"\"" : fromEnv) + " is not set or empty; export it before starting ferry");
            return Secret.NONE;
        }
        return new Secret(value);
    }

    private record HostPort(String host, int port) {
    }

    /** Go's {@code host:port}: {@code :8000} binds every interface, IPv6 hosts go in brackets. */
    private static HostPort parse(JsonSection s, String key, String addr) {
        int colon = addr.lastIndexOf(':');
        String host = colon < 0 ? "" : addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = colon < 0 ? -1 : Integer.parseInt(addr.substring(colon + 1));
            if (port >= 0 && port <= 65535 && !host.contains(" ")) {
                return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.problems().add(s.path(key), new JsonPrimitive(addr), "must be host:port with a port in 0..65535, e.g. 127.0.0.1:8000");
        return null;
    }
}

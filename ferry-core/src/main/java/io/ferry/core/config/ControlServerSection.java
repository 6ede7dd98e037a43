package io.ferry.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code ControlServerConfig} {Enabled, ServerBindAddr, BearerToken, BearerTokenFromEnv, CustomScripts,
 * WebBasedir} and Ghostferry's deprecated top-level spellings: {@code ServerBindAddr}, which enables the server at
 * that address (Ghostferry always ran it there), {@code ControlServerCustomScripts} and {@code WebBasedir}.
 */
final class ControlServerSection {
    private ControlServerSection() {
    }

    static ControlServerConfig read(JsonSection root, Map<String, String> environment, Path baseDir) {
        String topLevel = root.string("ServerBindAddr");
        Map<String, List<String>> topScripts = scripts(root, "ControlServerCustomScripts");
        Path topWeb = webBasedir(root, "WebBasedir", baseDir);
        JsonSection s = root.section("ControlServerConfig");
        if (s == null) {
            if (topLevel == null || topLevel.isEmpty()) {
                return new ControlServerConfig(false, Defaults.CONTROL_SERVER_HOST, Defaults.CONTROL_SERVER_PORT,
                        Secret.NONE, topScripts, topWeb);
            }
            HostPort at = parse(root, "ServerBindAddr", topLevel);
            return at == null ? null : new ControlServerConfig(true, at.host(), at.port(), Secret.NONE, topScripts, topWeb);
        }
        Boolean enabled = s.bool("Enabled");
        String addr = s.string("ServerBindAddr");
        String token = s.secretString("BearerToken");
        String tokenEnv = s.string("BearerTokenFromEnv");
        Map<String, List<String>> scripts = scripts(s, "CustomScripts");
        Path web = webBasedir(s, "WebBasedir", baseDir);
        s.rejectUnknownKeys();
        if (!topScripts.isEmpty() && !scripts.isEmpty() && !topScripts.equals(scripts)) {
            root.problems().add("ControlServerCustomScripts", "differs from " + s.path("CustomScripts")
                    + "; keep only ControlServerConfig.CustomScripts");
        }
        scripts = scripts.isEmpty() ? topScripts : scripts;
        if (topWeb != null && web != null && !topWeb.equals(web)) {
            root.problems().add("WebBasedir", "differs from " + s.path("WebBasedir") + "; keep only ControlServerConfig.WebBasedir");
        }
        web = web == null ? topWeb : web;
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
        return at == null ? null : new ControlServerConfig(enabled != null && enabled, at.host(), at.port(), secret,
                scripts, web);
    }

    /**
     * {@code {name: [program, argument, ...]}}. A program named with a path (it has a {@code /}) is found, as Ghostferry
     * runs it, from ferry's working directory, and must be an executable file; a bare name is looked up on PATH when
     * the script runs.
     */
    private static Map<String, List<String>> scripts(JsonSection s, String key) {
        JsonElement value = s.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isJsonObject()) {
            s.problems().add(s.path(key), value, "must be an object of {\"name\": [\"program\", \"argument\", ...]}, not "
                    + Problems.typeOf(value));
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var entry : value.getAsJsonObject().entrySet()) {
            String path = s.path(key) + "." + entry.getKey();
            JsonElement command = entry.getValue();
            if (entry.getKey().isBlank()) {
                s.problems().add(s.path(key), "a script needs a name (its button's label); give the \"\" entry one");
                continue;
            }
            if (!command.isJsonArray() || command.getAsJsonArray().isEmpty()) {
                s.problems().add(path, command, "must be a non-empty array: the program, then its arguments");
                continue;
            }
            List<String> words = new ArrayList<>();
            for (JsonElement w : command.getAsJsonArray()) {
                if (!w.isJsonPrimitive() || !w.getAsJsonPrimitive().isString()) {
                    s.problems().add(path, command, "every element must be a string (no shell: one argument per element)");
                    words = null;
                    break;
                }
                words.add(w.getAsString());
            }
            if (words == null) {
                continue;
            }
            String program = words.getFirst();
            if (program.isEmpty()) {
                s.problems().add(path, command, "the first element must name the program to run");
            } else if (program.contains("/") && !Files.isExecutable(Path.of(program))) {
                s.problems().add(path, command, program + " is not an executable file (relative to ferry's working"
                        + " directory " + Path.of("").toAbsolutePath() + "); fix the path or chmod +x it");
            } else {
                out.put(entry.getKey(), List.copyOf(words));
            }
        }
        return out;
    }

    /**
     * A custom status page: a directory holding {@code index.html} (or Ghostferry's {@code webui/index.html}), relative
     * to the config's directory. {@code ""} and Ghostferry's default {@code "."} mean the built-in page.
     */
    private static Path webBasedir(JsonSection s, String key, Path baseDir) {
        String dir = s.string(key);
        if (dir == null || dir.isEmpty() || dir.equals(".")) {
            return null;
        }
        Path resolved = baseDir.resolve(dir).normalize();
        if (!Files.isRegularFile(resolved.resolve("index.html")) && !Files.isRegularFile(resolved.resolve("webui/index.html"))) {
            s.problems().add(s.path(key), new JsonPrimitive(dir), resolved + " holds no index.html (nor webui/index.html);"
                    + " give the directory of your status page, or remove " + key + " for the built-in page");
            return null;
        }
        return resolved;
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

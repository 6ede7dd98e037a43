package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a {@code Source} or {@code Target} section into a {@link DatabaseConfig}. */
final class DatabaseSectionReader {
    /** Connector/J takes the socket timeout in milliseconds as an int. */
    private static final long MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;
    /** ghostferry-copydb's default user of its Source and Target (its other server sections have none). */
    static final String COPYDB_DEFAULT_USER = "ghostferry";
    private static final Set<String> COPYDB_SERVERS = Set.of("Source", "Target");
    private static final Pattern COLLATION = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9.-]+");

    private final Map<String, String> environment;
    private final Path baseDir;

    DatabaseSectionReader(Map<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    /** The server settings, or {@code null} when a required value is missing (the problem is recorded). */
    DatabaseConfig read(JsonSection s) {
        Problems problems = s.problems();
        String host = s.string("Host");
        if (host == null && !s.has("Host")) {
            problems.add(s.path("Host"), "required; set the server's host name or address");
        } else if (host != null && host.isBlank()) {
            problems.add(s.path("Host"), new JsonPrimitive(host), "must not be empty; set the server's host name or address");
            host = null;
        }
        Long port = s.integer("Port", 1, 65535);
        readNet(s);
        String user = s.string("User");
        if (user == null && !s.has("User") && COPYDB_SERVERS.contains(s.path())) {
            user = COPYDB_DEFAULT_USER;
        } else if (user == null && !s.has("User")) {
            problems.add(s.path("User"), "required; set the user ferry connects as");
        } else if (user != null && user.isEmpty()) {
            problems.add(s.path("User"), new JsonPrimitive(user), "must not be empty; set the user ferry connects as");
            user = null;
        }
        Secret password = readPassword(s);
        String collation = s.string("Collation");
        if (collation != null && !COLLATION.matcher(collation).matches()) {
            problems.add(s.path("Collation"), new JsonPrimitive(collation),
                    "must be a collation name such as utf8mb4_unicode_ci");
        }
        ParamsSection.Read params = ParamsSection.read(s);
        collation = agree(s, "Collation", collation, "collation", params.collation());
        TlsConfig tls = readTls(s);
        if (tls != null && params.driver().tls() != null && params.driver().tls() != DriverOptions.Tls.VERIFY_IDENTITY) {
            problems.add(s.path("Params") + ".tls", new JsonPrimitive(params.driver().tls().goValue()),
                    "contradicts the TLS section, which verifies the server's certificate; keep one of them");
        }
        Duration readTimeout = timeout(s, "ReadTimeout", params.readTimeout());
        Duration writeTimeout = timeout(s, "WriteTimeout", params.writeTimeout());
        String marginalia = s.string("Marginalia");
        if (marginalia != null && marginalia.contains("*/")) {
            problems.add(s.path("Marginalia"), new JsonPrimitive(marginalia),
                    "must not contain */ (it goes into an SQL comment); remove it");
        } else if (marginalia != null && (marginalia.startsWith("!") || marginalia.startsWith("M!")
                || marginalia.startsWith("+"))) {
            problems.add(s.path("Marginalia"), new JsonPrimitive(marginalia), "must not start with ! , M! or + (the"
                    + " server would run the comment as code or as an optimizer hint); start it with a name, e.g."
                    + " application:ferry");
        }
        s.rejectUnknownKeys();
        if (host == null || user == null) {
            return null;
        }
        return new DatabaseConfig(host, port == null ? Defaults.PORT : port.intValue(), Defaults.NET, user, password,
                collation == null || collation.isEmpty() ? null : collation, params.sessionVariables(), tls, readTimeout,
                writeTimeout, marginalia, params.driver());
    }

    private static void readNet(JsonSection s) {
        String net = s.string("Net");
        if (net == null || net.equals("tcp")) {
            return;
        }
        var value = new JsonPrimitive(net);
        if (net.equals("unix")) {
            s.problems().add(s.path("Net"), value, "only tcp is supported; connect through Host and Port instead");
        } else {
            s.problems().add(s.path("Net"), value, "must be \"tcp\" (the default); remove Net or set it to \"tcp\"");
        }
    }

    private Secret readPassword(JsonSection s) {
        String pass = s.secretString("Pass");
        String fromEnv = s.string("PassFromEnv");
        String fromFile = s.string("PassFromFile");
        List<String> given = new ArrayList<>();
        if (pass != null && !pass.isEmpty()) {
            given.add("Pass");
        }
        if (fromEnv != null) {
            given.add("PassFromEnv");
        }
        if (fromFile != null) {
            given.add("PassFromFile");
        }
        if (given.size() > 1) {
            String names = given.size() == 2 ? given.get(0) + " and " + given.get(1) + " cannot both be set"
                    : "Pass, PassFromEnv and PassFromFile cannot all be set";
            s.problems().add(s.path(), names + "; keep one");
            return Secret.NONE;
        }
        if (fromEnv != null) {
            return passwordFromEnv(s, fromEnv);
        }
        if (fromFile != null) {
            return passwordFromFile(s, fromFile);
        }
        return pass == null ? Secret.NONE : new Secret(pass);
    }

    private Secret passwordFromEnv(JsonSection s, String name) {
        var value = new JsonPrimitive(name);
        if (name.isEmpty()) {
            s.problems().add(s.path("PassFromEnv"), value, "must name an environment variable");
            return Secret.NONE;
        }
        String password = environment.get(name);
        if (password == null) {
            s.problems().add(s.path("PassFromEnv"), value,
                    "environment variable " + name + " is not set; export it before starting ferry");
            return Secret.NONE;
        }
        return new Secret(password);
    }

    private Secret passwordFromFile(JsonSection s, String name) {
        var value = new JsonPrimitive(name);
        if (name.isEmpty()) {
            s.problems().add(s.path("PassFromFile"), value, "must name a file");
            return Secret.NONE;
        }
        Path file = baseDir.resolve(name);
        try {
            String content = Files.readString(file);
            if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - (content.endsWith("\r\n") ? 2 : 1));
            }
            return new Secret(content);
        } catch (IOException e) {
            s.problems().add(s.path("PassFromFile"), value,
                    "cannot read " + file + " (" + reason(e) + "); check the path and its permissions");
            return Secret.NONE;
        }
    }

    /** A value given both as a key of the section and as its Go driver spelling in {@code Params}: they must agree. */
    private static String agree(JsonSection s, String key, String value, String param, String fromParams) {
        if (fromParams == null) {
            return value;
        }
        if (value != null && !value.isEmpty() && !value.equalsIgnoreCase(fromParams)) {
            s.problems().add(s.path("Params") + "." + param, new JsonPrimitive(fromParams),
                    "differs from " + s.path(key) + " = " + value + "; keep one of them");
        }
        return fromParams;
    }

    private TlsConfig readTls(JsonSection s) {
        JsonSection tls = s.section("TLS");
        if (tls == null) {
            return null;
        }
        String certPath = tls.string("CertPath");
        String serverName = tls.string("ServerName");
        String modeName = tls.string("Mode");
        tls.rejectUnknownKeys();
        TlsConfig.Mode mode = TlsConfig.Mode.VERIFY_IDENTITY;
        if (modeName != null && !modeName.isEmpty()) {
            mode = TlsConfig.Mode.fromConfigName(modeName).orElse(null);
            if (mode == null) {
                tls.problems().add(tls.path("Mode"), new JsonPrimitive(modeName), "must be Required (encrypted, the"
                        + " certificate not checked), VerifyCA or VerifyIdentity (the default: CA and name checked)");
                mode = TlsConfig.Mode.VERIFY_IDENTITY;
            }
        }
        String resolved = null;
        if (certPath != null && !certPath.isEmpty()) {
            Path file = baseDir.resolve(certPath);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                tls.problems().add(tls.path("CertPath"), new JsonPrimitive(certPath),
                        file + " is not a readable file; give the PEM file of the CA that signed the server certificate");
            }
            resolved = file.toString();
        }
        String name = serverName == null || serverName.isEmpty() ? null : serverName;
        if (name != null && !SERVER_NAME.matcher(name).matches()) {
            tls.problems().add(tls.path("ServerName"), new JsonPrimitive(name), "must be a host name or an IPv4"
                    + " address (letters, digits, . and -), the name the server's certificate carries");
            name = null;
        }
        if (mode == TlsConfig.Mode.REQUIRED && (resolved != null || name != null)) {
            tls.problems().add(tls.path("Mode"), new JsonPrimitive(modeName), "Required checks no certificate, so "
                    + (resolved != null ? "CertPath" : "ServerName") + " would be ignored; remove it, or use VerifyCA"
                    + " or VerifyIdentity");
        } else if (mode == TlsConfig.Mode.VERIFY_CA && name != null) {
            tls.problems().add(tls.path("ServerName"), new JsonPrimitive(name), "VerifyCA checks no name; remove"
                    + " ServerName, or use Mode VerifyIdentity (the default)");
        }
        return new TlsConfig(resolved, name, mode);
    }

    /**
     * {@code key} in seconds, or the Go driver's {@code Params.readTimeout}/{@code writeTimeout} (a Go duration); the
     * two must agree when both are given. Absent: {@link DatabaseConfig#DEFAULT_TIMEOUT}, so that a frozen server
     * cannot hold a run silently; 0: none.
     */
    private static Duration timeout(JsonSection s, String key, Duration fromParams) {
        Long seconds = s.integer(key, 0, MAX_TIMEOUT_SECONDS);
        Duration given = seconds == null ? null : Duration.ofSeconds(seconds);
        if (fromParams != null && given != null && !given.equals(fromParams)) {
            String param = Character.toLowerCase(key.charAt(0)) + key.substring(1);
            s.problems().add(s.path("Params") + "." + param, new JsonPrimitive(GoDuration.format(fromParams)),
                    "differs from " + s.path(key) + " = " + seconds + " (seconds); keep one of them");
        }
        Duration chosen = fromParams != null ? fromParams : given;
        if (chosen == null) {
            return DatabaseConfig.DEFAULT_TIMEOUT;
        }
        return chosen.isZero() ? null : chosen;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

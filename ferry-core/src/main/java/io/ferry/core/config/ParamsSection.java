package io.ferry.core.config;

import com.google.gson.JsonPrimitive;
import io.ferry.core.db.DataSources;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a server's {@code Params} as Ghostferry means them: parameters of the Go MySQL driver's DSN. A few are
 * driver options, mapped to what ferry's driver does with them; a few only change how Go hands values to Go code
 * and mean nothing to ferry, which reads and writes every value as exact bytes (accepted, ignored); every other key
 * is a session variable set on each connection. Refused: what would contradict the session ferry forces
 * ({@link DataSources#FORCED_SESSION}, its connection character set, its transactions).
 */
final class ParamsSection {
    private static final Pattern SESSION_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9_]+");
    /** Connector/J takes these in milliseconds or bytes as an int. */
    private static final long MAX_INT = Integer.MAX_VALUE;

    /** What Go checks in the value of an option ferry ignores: ferry refuses what Go would refuse. */
    private enum GoValue { BOOL, TEXT, DURATION, ZONE }

    /**
     * Driver options that only change how the Go driver converts values for Go code, or what it allows Go code to
     * do; ferry has no such code path. Each is accepted with a value Go would accept, and ignored.
     */
    private static final Map<String, GoValue> IGNORED = Map.ofEntries(
            Map.entry("parseTime", GoValue.BOOL),            // DATETIME as time.Time: ferry copies the text form
            Map.entry("interpolateParams", GoValue.BOOL),    // placeholders filled in by the client: ferry's are
            Map.entry("columnsWithAlias", GoValue.BOOL),     // result column names: ferry reads columns by position
            Map.entry("clientFoundRows", GoValue.BOOL),      // affected-row counts: ferry does not act on them
            Map.entry("multiStatements", GoValue.BOOL),      // Ghostferry forces it on; ferry's connections allow it
            Map.entry("allowNativePasswords", GoValue.BOOL), // Ghostferry forces it on; Connector/J always can
            Map.entry("allowCleartextPasswords", GoValue.BOOL), // Connector/J answers mysql_clear_password over TLS
            Map.entry("allowAllFiles", GoValue.BOOL),        // LOAD DATA LOCAL INFILE: ferry never uses it
            Map.entry("allowFallbackToPlaintext", GoValue.BOOL), // ferry's default (tls=preferred) falls back already
            Map.entry("checkConnLiveness", GoValue.BOOL),    // ferry's pool checks a connection before handing it out
            Map.entry("rejectReadOnly", GoValue.BOOL),       // ferry checks read_only itself at preflight
            Map.entry("serverPubKey", GoValue.TEXT),         // a key registered by Go code; ferry asks the server
            Map.entry("timeTruncate", GoValue.DURATION),     // truncates time.Time arguments: ferry sends none
            Map.entry("loc", GoValue.ZONE));                 // the zone of parseTime's time.Time values

    /** Session variables that decide how ferry's bytes are read and written; {@code charset} and {@code collation} choose them. */
    private static final Set<String> CONNECTION_CHARSET = Set.of(
            "character_set_client", "character_set_connection", "character_set_results", "collation_connection");

    /** What Ghostferry itself forces: a config may repeat it (Ghostferry accepts that), and ferry's own value applies. */
    private static final Map<String, String> GHOSTFERRY_FORCED = Map.of(
            "time_zone", "+00:00",
            "sql_mode", "STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES");

    /** The result: session variables, driver options, and the entries that set {@link DatabaseConfig} fields. */
    record Read(Map<String, String> sessionVariables, DriverOptions driver, String collation, Duration readTimeout,
                Duration writeTimeout) {
    }

    private ParamsSection() {
    }

    static Read read(JsonSection s) {
        Map<String, String> session = new LinkedHashMap<>();
        List<String> charsets = List.of();
        Duration connectTimeout = DriverOptions.DEFAULT_CONNECT_TIMEOUT;
        DriverOptions.Tls tls = null;
        Long maxAllowedPacket = null;
        boolean compress = false;
        String attributes = null;
        String collation = null;
        Duration readTimeout = null;
        Duration writeTimeout = null;
        boolean target = s.path().equals("Target");
        for (var e : s.stringMap("Params").entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            String path = s.path("Params") + "." + name;
            var problems = new Local(s.problems(), path, new JsonPrimitive(value));
            switch (driverKey(name)) {
                case "charset" -> charsets = charsets(problems, value);
                case "collation" -> {
                    if (CHARSET.matcher(value).matches()) {
                        collation = value;
                    } else {
                        problems.add("must be a collation name such as utf8mb4_unicode_ci");
                    }
                }
                case "timeout" -> {
                    Duration d = duration(problems, value);
                    connectTimeout = d == null || d.isZero() ? connectTimeout : d;
                }
                case "readTimeout" -> readTimeout = duration(problems, value);
                case "writeTimeout" -> writeTimeout = duration(problems, value);
                case "tls" -> tls = tls(problems, value);
                case "maxAllowedPacket" -> maxAllowedPacket = maxAllowedPacket(problems, value);
                case "compress" -> compress = Boolean.TRUE.equals(goBool(problems, value));
                case "connectionAttributes" -> attributes = connectionAttributes(problems, value);
                case "allowOldPasswords" -> {
                    if (Boolean.TRUE.equals(goBool(problems, value))) {
                        problems.add("pre-4.1 password hashes are not supported by ferry's driver; give the user a"
                                + " mysql_native_password or caching_sha2_password password and remove allowOldPasswords");
                    }
                }
                case "" -> sessionVariable(problems, name, value, target).ifPresent(v -> session.put(name, v));
                default -> ignored(problems, driverKey(name), value);
            }
        }
        return new Read(session, new DriverOptions(charsets, connectTimeout, tls, maxAllowedPacket, compress, attributes),
                collation, readTimeout, writeTimeout);
    }

    /** The driver option {@code name} spells (any case), or {@code ""} for a session variable. */
    private static String driverKey(String name) {
        for (String key : List.of("charset", "collation", "timeout", "readTimeout", "writeTimeout", "tls",
                "maxAllowedPacket", "compress", "connectionAttributes", "allowOldPasswords")) {
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return IGNORED.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse("");
    }

    private static Optional<String> sessionVariable(Local problems, String name, String value, boolean target) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!SESSION_VARIABLE.matcher(name).matches()) {
            problems.add("not a session variable name (letters, digits and _) nor an option of Ghostferry's driver; fix the name");
        } else if (DataSources.FORCED_SESSION.containsKey(lower)) {
            if (!sameAsForced(lower, value)) {
                problems.add("ferry sets " + lower + " to " + DataSources.FORCED_SESSION.get(lower)
                        + " itself on every connection (values are copied as exact text); remove it from Params");
            }
            return Optional.empty(); // a repeat of the forced value: ferry's own applies
        } else if (CONNECTION_CHARSET.contains(lower)) {
            problems.add("ferry reads values as the server stores them and chooses the connection character set"
                    + " itself; to change it use \"charset\" (and \"collation\") instead of " + lower);
        } else if (lower.equals("autocommit")) {
            problems.add("ferry commits its own transactions and needs autocommit on between them; remove it from Params");
        } else if (target && lower.equals("foreign_key_checks") && !isOff(value)) {
            problems.add("ferry writes the target with foreign_key_checks=0 (rows arrive in key order, not in"
                    + " foreign-key order); remove it or set it to 0");
        } else {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    /** {@code time_zone} or {@code sql_mode} set to what ferry or Ghostferry forces anyway. */
    private static boolean sameAsForced(String name, String value) {
        String given = unquote(value);
        String ours = unquote(DataSources.FORCED_SESSION.get(name));
        if (name.equals("time_zone")) {
            return given.equals(ours) || given.equals(GHOSTFERRY_FORCED.get(name));
        }
        return modes(given).equals(modes(ours)) || modes(given).equals(modes(GHOSTFERRY_FORCED.get(name)));
    }

    private static Set<String> modes(String sqlMode) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : sqlMode.split(",")) {
            if (!m.isBlank()) {
                out.add(m.strip().toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        String t = v.strip();
        return t.length() >= 2 && t.startsWith("'") && t.endsWith("'") ? t.substring(1, t.length() - 1) : t;
    }

    private static boolean isOff(String value) {
        String v = unquote(value).toLowerCase(Locale.ROOT);
        return v.equals("0") || v.equals("off") || v.equals("false");
    }

    private static List<String> charsets(Local problems, String value) {
        List<String> out = new ArrayList<>();
        for (String cs : value.split(",", -1)) {
            String name = cs.strip();
            if (!CHARSET.matcher(name).matches()) {
                problems.add("must be a character set name, or several separated by commas (the first the server"
                        + " knows is used), e.g. utf8mb4");
                return List.of();
            }
            out.add(name);
        }
        return out;
    }

    private static Duration duration(Local problems, String value) {
        Duration d = GoDuration.parse(value);
        if (d == null || d.isNegative()) {
            problems.add("must be a Go duration such as 30s, 1m30s or 500ms");
            return null;
        }
        if (d.toMillis() > MAX_INT) {
            problems.add("must be at most " + MAX_INT / 1000 + "s");
            return null;
        }
        return d;
    }

    private static DriverOptions.Tls tls(Local problems, String value) {
        for (DriverOptions.Tls t : DriverOptions.Tls.values()) {
            if (t.goValue().equalsIgnoreCase(value)) {
                return t;
            }
        }
        Boolean b = parseGoBool(value);
        if (b != null) {
            return b ? DriverOptions.Tls.VERIFY_IDENTITY : DriverOptions.Tls.DISABLED;
        }
        problems.add("must be true, false, skip-verify or preferred (a TLS config registered by name exists only in"
                + " Go code: give the CA file in the TLS section instead, {\"CertPath\": ..., \"ServerName\": ...})");
        return null;
    }

    private static Long maxAllowedPacket(Local problems, String value) {
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0 && n <= 1L << 30) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("must be a number of bytes from 0 (ask the server) to 1073741824");
        return null;
    }

    private static String connectionAttributes(Local problems, String value) {
        for (String pair : value.split(",")) {
            if (!pair.isEmpty() && !pair.contains(":")) {
                problems.add("must be key:value pairs separated by commas, e.g. app:shop,team:db");
                return null;
            }
        }
        return value.isEmpty() ? null : value;
    }

    private static void ignored(Local problems, String key, String value) {
        switch (IGNORED.get(key)) {
            case BOOL -> goBool(problems, value);
            case DURATION -> duration(problems, value);
            case ZONE -> {
                if (!value.equals("Local")) {
                    try {
                        ZoneId.of(value);
                    } catch (DateTimeException e) {
                        problems.add("must be Local, UTC or a time zone name such as Europe/Berlin");
                    }
                }
            }
            case TEXT -> { } // any text
        }
    }

    private static Boolean goBool(Local problems, String value) {
        Boolean b = parseGoBool(value);
        if (b == null) {
            problems.add("must be true or false");
        }
        return b;
    }

    /** Go's {@code strconv.ParseBool}. */
    private static Boolean parseGoBool(String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> null;
        };
    }

    /** Problems about one {@code Params} entry. */
    private record Local(Problems problems, String path, JsonPrimitive value) {
        void add(String problem) {
            problems.add(path, value, problem);
        }
    }
}

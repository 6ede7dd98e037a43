package io.ferry.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one server (Ghostferry's {@code DatabaseConfig}).
 *
 * @param host         host name or address; with {@code net = unix}, the socket path
 * @param port         TCP port
 * @param net          {@code tcp} or {@code unix}
 * @param user         user name
 * @param password     password (never printed)
 * @param collation    connection collation, or {@code null} for utf8mb4's default
 * @param params       session variables set on every connection; may not contradict ferry's forced
 *                     {@code time_zone}/{@code sql_mode}
 * @param tls          TLS settings, or {@code null} for a plain connection
 * @param readTimeout  longest wait for the server's next packet before the statement fails (and is retried), or
 *                     {@code null} for none; statements that may rightly take long (schema changes, {@code CHECKSUM
 *                     TABLE}, lock waits) run without it
 * @param writeTimeout added to {@code readTimeout}: how long a statement may run in all before its connection is
 *                     closed (a send to a server that stopped reading blocks without any socket timeout), or
 *                     {@code null} for none
 * @param marginalia   the text of the comment ferry puts before every statement it sends (see
 *                     {@link io.ferry.core.db.StatementComment}), so its statements can be told apart in the
 *                     processlist, the slow log and the binlog; {@link Defaults#MARGINALIA} when null or empty
 * @param driver       the driver options of {@code Params} (character sets, connect timeout, TLS mode, ...)
 */
public record DatabaseConfig(
        String host,
        int port,
        String net,
        String user,
        Secret password,
        String collation,
        Map<String, String> params,
        TlsConfig tls,
        Duration readTimeout,
        Duration writeTimeout,
        String marginalia,
        DriverOptions driver) {

    /** {@code ReadTimeout} and {@code WriteTimeout} when the config leaves them out. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public DatabaseConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        net = net == null ? Defaults.NET : net;
        password = password == null ? Secret.NONE : password;
        params = params == null ? Map.of() : Map.copyOf(params);
        marginalia = marginalia == null || marginalia.isEmpty() ? Defaults.MARGINALIA : marginalia;
        driver = driver == null ? DriverOptions.NONE : driver;
    }

    /** These settings with another {@code Marginalia} (e.g. the configured one plus the run). */
    public DatabaseConfig withMarginalia(String newMarginalia) {
        return new DatabaseConfig(host, port, net, user, password, collation, params, tls, readTimeout, writeTimeout,
                newMarginalia, driver);
    }

    /** As the canonical constructor, without driver options. */
    public DatabaseConfig(String host, int port, String net, String user, Secret password, String collation,
            Map<String, String> params, TlsConfig tls, Duration readTimeout, Duration writeTimeout, String marginalia) {
        this(host, port, net, user, password, collation, params, tls, readTimeout, writeTimeout, marginalia, null);
    }

    /** As the canonical constructor, with the default marginalia. */
    public DatabaseConfig(String host, int port, String net, String user, Secret password, String collation,
            Map<String, String> params, TlsConfig tls, Duration readTimeout, Duration writeTimeout) {
        this(host, port, net, user, password, collation, params, tls, readTimeout, writeTimeout, null, null);
    }

    public static DatabaseConfig tcp(String host, int port, String user, String password) {
        return new DatabaseConfig(host, port, "tcp", user, new Secret(password), null, Map.of(), null,
                DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    /** {@code user@host:port}: the form used in logs and status; no password. */
    public String describe() {
        return user + "@" + hostPort();
    }

    public String hostPort() {
        return "unix".equals(net) ? host : host + ":" + port;
    }
}

package io.ferry.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ferry.core.ConfigException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.DriverOptions;
import io.ferry.core.config.TlsConfig;
import io.ferry.core.control.ServerWait;
import io.ferry.core.db.tls.ServerNameSocketFactory;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Opens connection pools with the session settings every ferry connection needs; every statement they send starts
 * with the server's {@link StatementComment} ({@code Marginalia}). Values are read and written as
 * exact bytes, so the session must not convert them: {@code time_zone='+00:00'} keeps TIMESTAMP text stable, and
 * {@code sql_mode} is strict but without {@code NO_ZERO_DATE} (zero dates copy as they are) and with
 * {@code NO_AUTO_VALUE_ON_ZERO} (a key of 0 is written as 0, not as the next auto-increment value). The driver is
 * never given {@code characterSetResults}, so it sets {@code character_set_results = NULL}: the server sends text in
 * its stored character set, unconverted, which the copy's reads rely on ({@code Params} may not change it).
 */
public final class DataSources {
    /** Session variables forced on every connection; a {@code Params} entry may not override them. */
    public static final Map<String, String> FORCED_SESSION = Map.of(
            "time_zone", "'+00:00'",
            "sql_mode", "'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");

    /** The largest packet ferry sends unless {@code Params.maxAllowedPacket} says otherwise: the servers' maximum. */
    private static final long DEFAULT_MAX_ALLOWED_PACKET = 268_435_456;

    private DataSources() {
    }

    /** A pool of at most {@code maxConnections} to {@code db}, named {@code name} in logs. */
    public static PooledDataSource open(String name, DatabaseConfig db, int maxConnections) {
        return open(name, db, maxConnections, Map.of());
    }

    /**
     * A pool whose sessions additionally get {@code extraSession} variables (for example
     * {@code foreign_key_checks=0} on the target).
     */
    public static PooledDataSource open(String name, DatabaseConfig db, int maxConnections, Map<String, String> extraSession) {
        return open(name, db, maxConnections, extraSession, false);
    }

    /**
     * A pool as {@link #open(String, DatabaseConfig, int, Map)} whose connections may also run
     * {@link LocalInfile#load} when {@code localInfile} is set: its sessions answer any other request for a local
     * file with an error.
     */
    public static PooledDataSource open(String name, DatabaseConfig db, int maxConnections, Map<String, String> extraSession,
                                        boolean localInfile) {
        var config = new HikariConfig();
        config.setPoolName("ferry-" + name);
        config.setJdbcUrl(jdbcUrl(db, extraSession, connectionCollation(role(name), db))
                + (localInfile ? "&allowLoadLocalInfile=true" : ""));
        config.setUsername(db.user());
        config.setPassword(db.password().value());
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(30_000);
        Duration limit = abortAfter(db);
        if (limit != null && limit.toMillis() < 30_000) {
            // Waiting for a connection is waiting for the server too: no longer than a statement may take.
            long ms = Math.max(1_000, limit.toMillis());
            config.setConnectionTimeout(ms);
            config.setValidationTimeout(Math.min(5_000, ms / 2));
        }
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        return new Pool(pool, db.describe(), new StatementWatch(name + " " + db.describe(), abortAfter(db)),
                db.readTimeout() != null, localInfile, new StatementComment(db.marginalia()));
    }

    /** Opens one connection outside any pool, with the same session settings. */
    public static Connection connect(DatabaseConfig db) throws SQLException {
        return connect(null, db);
    }

    private static Connection connect(String role, DatabaseConfig db) throws SQLException {
        var props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password().value());
        Connection c = DriverManager.getConnection(jdbcUrl(db, Map.of(), connectionCollation(role, db)), props);
        var watch = new StatementWatch(db.describe(), abortAfter(db));
        return WatchedJdbc.connection(c, watch, db.readTimeout() != null, watch::close,
                new StatementComment(db.marginalia()));
    }

    /**
     * Lifts the read timeout of {@code c} until the result is closed, for a statement that may rightly take long: a
     * schema change on the target, {@code CHECKSUM TABLE}, a wait for a lock. The watchdog still logs it while it
     * waits. A connection from a pool gets its timeout back when it returns to the pool in any case.
     */
    public static Untimed untimed(Connection c) throws SQLException {
        int previous = c.getNetworkTimeout();
        if (previous == 0) {
            return () -> { };
        }
        c.setNetworkTimeout(Runnable::run, 0);
        return () -> c.setNetworkTimeout(Runnable::run, previous);
    }

    /** Restores a connection's read timeout. */
    @FunctionalInterface
    public interface Untimed extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /** A statement running longer than both timeouts is stuck, in a send (which no socket timeout covers) or a read. */
    private static Duration abortAfter(DatabaseConfig db) {
        if (db.readTimeout() == null && db.writeTimeout() == null) {
            return null;
        }
        return (db.readTimeout() == null ? Duration.ZERO : db.readTimeout())
                .plus(db.writeTimeout() == null ? Duration.ZERO : db.writeTimeout());
    }

    /** Throws a {@link PreconditionFailed} naming the server and the fix when it cannot be reached. */
    public static void checkReachable(String role, DataSourceLike source, DatabaseConfig db) {
        try (Connection c = source.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            throw unreachable(role, db, e);
        }
    }

    /**
     * Connects to the {@code role} ("Source", "Target") server for a run's checks: a failure to connect, or a
     * {@code Collation} the server does not know, is a {@link PreconditionFailed} naming the setting to fix.
     */
    public static Connection connectChecked(String role, DatabaseConfig db) {
        Connection c;
        try {
            c = connect(role, db);
        } catch (SQLException e) {
            throw unreachable(role, db, e);
        }
        try {
            checkCollation(role, db, c);
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof SQLException sql) {
                throw unreachable(role, db, sql);
            }
            throw (RuntimeException) e;
        }
    }

    /** The driver falls back to the server's default when it does not know a collation; ferry says so instead. */
    private static void checkCollation(String role, DatabaseConfig db, Connection c) throws SQLException {
        if (db.collation() == null || !db.driver().charsets().isEmpty()) {
            return; // with Params.charset the server itself chose the collation
        }
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT @@collation_connection")) {
            rs.next();
            String actual = rs.getString(1);
            if (!db.collation().equalsIgnoreCase(actual)) {
                throw new PreconditionFailed(role + ".Collation = " + db.collation() + ": the " + role.toLowerCase(Locale.ROOT)
                        + " server " + db.describe() + " does not know this collation (connections would use " + actual
                        + "); choose one of its collations (SHOW COLLATION), e.g. utf8mb4_unicode_ci, or leave it out");
            }
        }
    }

    public static PreconditionFailed unreachable(String role, DatabaseConfig db, SQLException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        String hint = switch (e.getErrorCode()) {
            case 1045 -> "check " + role + ".User and " + role + ".Pass";
            case 1044, 1049 -> "check the privileges of " + role + ".User";
            // Unknown variable, wrong value or type, global-only, read-only: the session settings of Params.
            case 1193, 1231, 1232, 1228, 1229, 1238 -> "check " + role + ".Params, which are set as session variables"
                    + " on every connection";
            default -> isTlsFailure(e) ? tlsHint(role, db, e)
                    : "check that the server runs and " + role + ".Host/" + role + ".Port are right";
        };
        return new PreconditionFailed("cannot connect to the " + role.toLowerCase(Locale.ROOT) + " server "
                + db.describe() + ": " + reason + "; " + hint, e);
    }

    /** What is wrong with the TLS settings, from the handshake's failure. */
    static String tlsHint(String role, DatabaseConfig db, Throwable e) {
        String all = causes(e);
        String name = db.tls() != null && db.tls().serverName() != null ? db.tls().serverName() : db.host();
        if (all.contains("No subject alternative") || all.contains("No name matching")
                || all.contains("doesn't match") || all.contains("does not match")) {
            return "the server's certificate is not made out to " + name + " (" + role + ".TLS.ServerName, else "
                    + role + ".Host): set " + role + ".TLS.ServerName to a name the certificate carries, or \"Mode\":"
                    + " \"VerifyCA\" to check its CA only";
        }
        if (all.contains("PKIX") || all.contains("unable to find valid certification path")
                || all.contains("signature check failed") || all.contains("CertPathValidator")) {
            return "the server's certificate is not signed by a CA " + (db.tls() != null && db.tls().certPath() != null
                    ? "in " + role + ".TLS.CertPath (" + db.tls().certPath() + ")" : "of the JVM's trust store")
                    + ": give the PEM file of the CA that signed it in " + role + ".TLS.CertPath";
        }
        return "check " + role + ".TLS: the server must offer TLS, and " + role
                + ".TLS.CertPath must hold the CA that signed its certificate";
    }

    private static String causes(Throwable e) {
        var sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static boolean isTlsFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SSLException || m.contains("SSL") || m.contains("KeyStore")) {
                return true;
            }
        }
        return false;
    }

    /** The slice of {@link javax.sql.DataSource} {@link #checkReachable} needs. */
    @FunctionalInterface
    public interface DataSourceLike {
        Connection getConnection() throws SQLException;
    }

    /** The collation {@link #connectionCollation} chose for each config with {@code Params.charset}; it is asked once. */
    private static final Map<DatabaseConfig, String> CHOSEN_COLLATIONS = new ConcurrentHashMap<>();
    private static final int UNKNOWN_CHARACTER_SET = 1115;
    private static final int COLLATION_NOT_OF_CHARACTER_SET = 1253;

    /**
     * The collation ferry's connections to {@code db} use: {@code Collation}, or with {@code Params.charset} what the
     * server makes of {@code SET NAMES} for the first of its character sets it knows (with {@code Collation} when that
     * belongs to it), as Ghostferry's driver does. Asked once per config, on a connection of its own.
     *
     * @param role how messages name the server ({@code Source}, {@code Target}, ...), or {@code null}
     * @throws PreconditionFailed when the server knows none of the character sets, or cannot be reached
     */
    static String connectionCollation(String role, DatabaseConfig db) {
        List<String> charsets = db.driver().charsets();
        if (charsets.isEmpty()) {
            return db.collation();
        }
        String known = CHOSEN_COLLATIONS.get(db);
        if (known != null) {
            return known;
        }
        var props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password().value());
        SQLException last = null;
        try (Connection c = DriverManager.getConnection(jdbcUrl(db, Map.of(), null), props);
             var st = c.createStatement()) {
            for (String charset : charsets) {
                try {
                    setNames(st, charset, db.collation());
                    try (var rs = st.executeQuery("SELECT @@collation_connection")) {
                        rs.next();
                        String chosen = rs.getString(1);
                        CHOSEN_COLLATIONS.put(db, chosen);
                        return chosen;
                    }
                } catch (SQLException e) {
                    if (e.getErrorCode() != UNKNOWN_CHARACTER_SET) {
                        throw e;
                    }
                    last = e;
                }
            }
        } catch (SQLException e) {
            throw role != null ? unreachable(role, db, e) : new PreconditionFailed("cannot connect to " + db.describe()
                    + " to choose its connection character set (Params.charset): " + e.getMessage(), e);
        }
        throw new PreconditionFailed((role == null ? "" : role + ".") + "Params.charset = \"" + String.join(",", charsets) + "\": the server "
                + db.describe() + " knows none of these character sets (" + last.getMessage() + "); name one it has"
                + " (SHOW CHARACTER SET), e.g. utf8mb4, or leave charset out for utf8mb4", last);
    }

    /** {@code SET NAMES charset}, with {@code COLLATE collation} when the collation belongs to that character set. */
    private static void setNames(Statement st, String charset, String collation) throws SQLException {
        // Both names were checked to be letters, digits and _ when the config was read.
        if (collation != null) {
            try {
                st.execute("SET NAMES " + charset + " COLLATE " + collation);
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != COLLATION_NOT_OF_CHARACTER_SET) {
                    throw e;
                }
            }
        }
        st.execute("SET NAMES " + charset);
    }

    /** {@code source} as {@code Source}: how the config names a pool's server. */
    private static String role(String poolName) {
        return poolName.isEmpty() ? poolName : Character.toUpperCase(poolName.charAt(0)) + poolName.substring(1);
    }

    static String jdbcUrl(DatabaseConfig db, Map<String, String> extraSession, String collation) {
        Map<String, String> session = new LinkedHashMap<>();
        db.params().forEach((k, v) -> {
            if (FORCED_SESSION.containsKey(k.toLowerCase(Locale.ROOT))) {
                throw new ConfigException("Params." + k + " = " + v + ": ferry sets " + k
                        + " itself on every connection; remove it from Params");
            }
            session.put(k, quoteIfNeeded(v));
        });
        session.putAll(FORCED_SESSION);
        extraSession.forEach((k, v) -> session.put(k, quoteIfNeeded(v)));
        var vars = new StringBuilder();
        session.forEach((k, v) -> vars.append(vars.isEmpty() ? "" : ",").append(k).append('=').append(v));

        var url = new StringBuilder("jdbc:mysql://");
        if (!"tcp".equals(db.net())) {
            throw new ConfigException("Net = " + db.net() + ": ferry connects over TCP only; use \"tcp\" (the default)");
        }
        url.append(db.host()).append(':').append(db.port()).append("/?");
        url.append("sessionVariables=").append(encode(vars.toString()));
        url.append("&characterEncoding=UTF-8");
        if (collation != null) {
            url.append("&connectionCollation=").append(encode(collation));
        }
        url.append("&rewriteBatchedStatements=true&allowMultiQueries=true&useServerPrepStmts=false");
        url.append("&cachePrepStmts=true&prepStmtCacheSize=500&prepStmtCacheSqlLimit=65536");
        url.append("&useCursorFetch=false&tinyInt1isBit=false&yearIsDateType=false&zeroDateTimeBehavior=ROUND");
        DriverOptions driver = db.driver();
        url.append("&allowPublicKeyRetrieval=true&logger=Slf4JLogger");
        url.append("&connectTimeout=").append(driver.connectTimeout().toMillis());
        if (driver.maxAllowedPacket() == null) {
            url.append("&maxAllowedPacket=").append(DEFAULT_MAX_ALLOWED_PACKET);
        } else if (driver.maxAllowedPacket() > 0) { // 0: the driver reads the server's max_allowed_packet
            url.append("&maxAllowedPacket=").append(driver.maxAllowedPacket());
        }
        if (driver.compress()) {
            url.append("&useCompression=true");
        }
        String attributes = driver.connectionAttributes();
        if (otherServerName(db)) {
            String name = ServerNameSocketFactory.ATTRIBUTE + ":" + db.tls().serverName();
            attributes = attributes == null ? name : attributes + "," + name;
        }
        if (attributes != null) {
            url.append("&connectionAttributes=").append(encode(attributes));
        }
        if (db.readTimeout() != null) {
            url.append("&socketTimeout=").append(db.readTimeout().toMillis());
        }
        url.append(tls(db));
        return url.toString();
    }

    /** With a {@code ServerName} other than the host, ferry's own handshake checks the certificate's name. */
    private static boolean otherServerName(DatabaseConfig db) {
        TlsConfig tls = db.tls();
        return tls != null && tls.mode() == TlsConfig.Mode.VERIFY_IDENTITY && tls.serverName() != null
                && !tls.serverName().equalsIgnoreCase(db.host());
    }

    /**
     * The driver's TLS settings: without a {@code TLS} block, as {@code Params.tls} says (TLS whenever the server
     * offers it, unverified, by default); with one, as its {@code Mode} says. A {@code ServerName} other than the
     * host is checked by ferry's own handshake ({@link ServerNameSocketFactory}, which reads the name from the
     * connection attributes), since the driver checks names against the host only.
     */
    private static String tls(DatabaseConfig db) {
        TlsConfig tls = db.tls();
        if (tls == null) {
            DriverOptions.Tls mode = db.driver().tls();
            return "&sslMode=" + (mode == null ? "PREFERRED" : mode.sslMode());
        }
        if (tls.mode() == TlsConfig.Mode.REQUIRED) {
            return "&sslMode=REQUIRED";
        }
        var url = new StringBuilder();
        boolean otherName = otherServerName(db);
        url.append(tls.mode() == TlsConfig.Mode.VERIFY_CA || otherName ? "&sslMode=VERIFY_CA" : "&sslMode=VERIFY_IDENTITY");
        if (otherName) {
            url.append("&socketFactory=").append(ServerNameSocketFactory.class.getName());
        }
        if (tls.certPath() != null) {
            url.append("&trustCertificateKeyStoreUrl=")
                    .append(encode(PemTrustStore.of(tls.certPath()).toUri().toString()))
                    .append("&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=")
                    .append(encode(PemTrustStore.PASSWORD));
        }
        return url.toString();
    }

    private static String quoteIfNeeded(String v) {
        if (v.startsWith("'") || v.matches("-?[0-9]+") || v.matches("(?i)on|off|true|false|null|default")) {
            return v;
        }
        return "'" + v.replace("'", "''") + "'";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final String CONNECTING = "a connection from the pool (checking an idle one, or opening one)";

    private record Pool(HikariDataSource pool, String describe, StatementWatch watch, boolean timed,
                        boolean localInfile, StatementComment comment) implements PooledDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Connection c;
            // A frozen server also holds up the pool's check of an idle connection and the handshake of a new one.
            try (var waiting = watch.begin(null, CONNECTING, true)) {
                c = pool.getConnection();
            }
            if (localInfile) {
                try {
                    LocalInfile.refuseFiles(c);
                } catch (SQLException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
            return WatchedJdbc.connection(c, watch, timed, () -> { }, comment);
        }

        @Override
        public List<ServerWait> waits() {
            return watch.waits();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("ferry pools use their configured user");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("io.ferry");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public void close() {
            watch.close();
            pool.close();
        }

        @Override
        public String toString() {
            return "pool " + pool.getPoolName() + " to " + describe;
        }
    }
}

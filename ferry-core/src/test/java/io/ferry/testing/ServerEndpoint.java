package io.ferry.testing;

import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.DriverOptions;
import java.util.List;

/**
 * A test server: where it is, the unprivileged-enough user ferry runs as, and a root user for setup that ferry
 * itself must not need (creating users, toggling read_only, purging binlogs).
 *
 * @param rootOverTls whether root connects over TLS (a server that refuses plain connections); else plainly
 */
public record ServerEndpoint(String role, String host, int port, String user, String password, String rootUser,
                             String rootPassword, boolean rootOverTls) {

    /** A server that accepts plain connections. */
    public ServerEndpoint(String role, String host, int port, String user, String password, String rootUser,
            String rootPassword) {
        this(role, host, port, user, password, rootUser, rootPassword, false);
    }

    /** Connection settings for ferry's own user. */
    public DatabaseConfig ferryConfig() {
        return DatabaseConfig.tcp(host, port, user, password);
    }

    /**
     * Connection settings for the root user, over a plain connection unless {@link #rootOverTls}: the harness is not
     * under test, and a TLS handshake costs a server such as MariaDB 11.4 (WolfSSL) over 100 ms of CPU, thousands of
     * times a suite. ferry's own connections keep its default (TLS whenever the server offers it).
     */
    public DatabaseConfig rootConfig() {
        DatabaseConfig preferred = DatabaseConfig.tcp(host, port, rootUser, rootPassword);
        if (rootOverTls) {
            return preferred;
        }
        var plain = new DriverOptions(List.of(), DriverOptions.DEFAULT_CONNECT_TIMEOUT, DriverOptions.Tls.DISABLED,
                null, false, null);
        return new DatabaseConfig(preferred.host(), preferred.port(), preferred.net(), preferred.user(),
                preferred.password(), preferred.collation(), preferred.params(), null, preferred.readTimeout(),
                preferred.writeTimeout(), preferred.marginalia(), plain);
    }

    @Override
    public String toString() {
        return role + " " + user + "@" + host + ":" + port;
    }
}

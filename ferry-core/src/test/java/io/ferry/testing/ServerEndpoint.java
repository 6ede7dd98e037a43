package io.ferry.testing;

import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.DriverOptions;
import java.util.List;

/**
 * A test server: where it is, the unprivileged-enough user ferry runs as, and a root user for setup that ferry
 * itself must not need (creating users, toggling read_only, purging binlogs).
 */
public record ServerEndpoint(String role, String host, int port, String user, String password, String rootUser,
                             String rootPassword) {

    /** Connection settings for ferry's own user. */
    public DatabaseConfig ferryConfig() {
        return DatabaseConfig.tcp(host, port, user, password);
    }

    /**
     * Connection settings for the root user, over a plain connection: the harness is not under test, and a TLS
     * handshake costs a server such as MariaDB 11.4 (WolfSSL) over 100 ms of CPU, thousands of times a suite.
     * ferry's own connections keep its default (TLS whenever the server offers it).
     */
    public DatabaseConfig rootConfig() {
        DatabaseConfig tls = DatabaseConfig.tcp(host, port, rootUser, rootPassword);
        var plain = new DriverOptions(List.of(), DriverOptions.DEFAULT_CONNECT_TIMEOUT, DriverOptions.Tls.DISABLED,
                null, false, null);
        return new DatabaseConfig(tls.host(), tls.port(), tls.net(), tls.user(), tls.password(), tls.collation(),
                tls.params(), null, tls.readTimeout(), tls.writeTimeout(), tls.marginalia(), plain);
    }

    @Override
    public String toString() {
        return role + " " + user + "@" + host + ":" + port;
    }
}

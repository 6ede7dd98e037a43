package io.ferry.testing;

import io.ferry.core.config.DatabaseConfig;

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

    public DatabaseConfig rootConfig() {
        return DatabaseConfig.tcp(host, port, rootUser, rootPassword);
    }

    @Override
    public String toString() {
        return role + " " + user + "@" + host + ":" + port;
    }
}

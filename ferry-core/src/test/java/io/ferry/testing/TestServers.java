package io.ferry.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * Finds the source and target servers for integration tests, in this order:
 * <ol>
 *   <li>{@code FERRY_TEST_SOURCE_*} / {@code FERRY_TEST_TARGET_*} environment variables (any MySQL 8.x, MariaDB or
 *       cloud instance);</li>
 *   <li>the local pair of {@code bin/mysql-pair} on 127.0.0.1:29291 and :29292;</li>
 *   <li>two Testcontainers MySQL 8.4 containers, where a Docker engine runs.</li>
 * </ol>
 * With none of them, tests fail with a message saying how to start servers: an integration test never skips.
 */
public final class TestServers {
    public static final int PAIR_SOURCE_PORT = 29291;
    public static final int PAIR_TARGET_PORT = 29292;

    private static volatile List<ServerEndpoint> resolved;

    private TestServers() {
    }

    public static ServerEndpoint source() {
        return resolve().get(0);
    }

    public static ServerEndpoint target() {
        return resolve().get(1);
    }

    private static synchronized List<ServerEndpoint> resolve() {
        if (resolved == null) {
            resolved = find(System.getenv());
        }
        return resolved;
    }

    static List<ServerEndpoint> find(Map<String, String> env) {
        if (env.containsKey("FERRY_TEST_SOURCE_HOST") || env.containsKey("FERRY_TEST_TARGET_HOST")) {
            return List.of(fromEnv(env, "SOURCE", PAIR_SOURCE_PORT), fromEnv(env, "TARGET", PAIR_TARGET_PORT));
        }
        if (listening("127.0.0.1", PAIR_SOURCE_PORT) && listening("127.0.0.1", PAIR_TARGET_PORT)) {
            return List.of(pair("source", PAIR_SOURCE_PORT), pair("target", PAIR_TARGET_PORT));
        }
        List<ServerEndpoint> containers = Containers.startIfDockerAvailable();
        if (containers != null) {
            return containers;
        }
        throw new IllegalStateException("""
                no MySQL servers for the integration tests.
                  Start the local pair:   bin/mysql-pair start      (bin/test does this for you)
                  or name your servers:   FERRY_TEST_SOURCE_HOST/_PORT/_USER/_PASSWORD/_ROOT_USER/_ROOT_PASSWORD
                                          and the same with FERRY_TEST_TARGET_
                  or run a Docker engine for Testcontainers (MySQL 8.4 images).""");
    }

    private static ServerEndpoint fromEnv(Map<String, String> env, String side, int defaultPort) {
        String p = "FERRY_TEST_" + side + "_";
        String host = env.get(p + "HOST");
        if (host == null) {
            throw new IllegalStateException(p + "HOST is not set, but the other side's variables are; set both sides");
        }
        String user = env.getOrDefault(p + "USER", "root");
        String password = env.getOrDefault(p + "PASSWORD", "");
        return new ServerEndpoint(side.toLowerCase(java.util.Locale.ROOT), host,
                Integer.parseInt(env.getOrDefault(p + "PORT", String.valueOf(defaultPort))),
                user, password, env.getOrDefault(p + "ROOT_USER", user), env.getOrDefault(p + "ROOT_PASSWORD", password));
    }

    /** The credentials {@code bin/mysql-pair} creates. */
    private static ServerEndpoint pair(String role, int port) {
        return new ServerEndpoint(role, "127.0.0.1", port, "ferry", "ferry-test-pw", "root", "ferry-root-pw");
    }

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

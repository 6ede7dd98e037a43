package io.ferry.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The servers a few tests need besides the pair, started by {@code bin/mysql-pair start replica tls} (which
 * {@code bin/test} runs): a replica of the pair's source, and a server that accepts TLS connections only. Their
 * ports come from {@code FERRY_TEST_REPLICA_PORT} and {@code FERRY_TEST_TLS_PORT} ({@code bin/mysql-pair env});
 * without them, from the default pair's ports. They use the source's (replica) and target's (TLS) users. A missing
 * server fails the test, saying how to start it.
 */
public final class ExtraServers {
    /** Database names the replica replicates (its {@code replicate-wild-do-table}); see {@link TestPair#newDatabase}. */
    public static final String REPLICATED_HINT_PREFIX = "replica_";

    private ExtraServers() {
    }

    /** A read-only replica of {@link TestServers#source()} replicating the databases named {@code ft_replica*}. */
    public static TestServer replica() {
        return server("replica", TestServers.source(), "FERRY_TEST_REPLICA_PORT", TestServers.PAIR_SOURCE_PORT + 2,
                false);
    }

    /** A server of the target's engine that refuses connections without TLS. */
    public static TestServer tls() {
        return server("tls", TestServers.target(), "FERRY_TEST_TLS_PORT", TestServers.PAIR_TARGET_PORT + 2, true);
    }

    /**
     * The directory of the TLS server's certificates: {@code ca.pem} signed its certificate (for {@code localhost} and
     * {@code 127.0.0.1}); {@code other-ca.pem} signed nothing it shows.
     */
    public static Path tlsCertificates() {
        Map<String, String> env = System.getenv();
        Path dir = env.containsKey("FERRY_TEST_TLS_CERTS") ? Path.of(env.get("FERRY_TEST_TLS_CERTS"))
                : Path.of(System.getProperty("java.io.tmpdir"), "ferry-mysql-pair", "mariadb-10.11-tls", "certs");
        if (!Files.isRegularFile(dir.resolve("ca.pem"))) {
            throw new IllegalStateException("no certificates of the TLS test server in " + dir + "; start it with"
                    + " bin/mysql-pair start tls (bin/test does) and export FERRY_TEST_TLS_CERTS"
                    + " (eval \"$(bin/mysql-pair env)\")");
        }
        return dir;
    }

    private static TestServer server(String role, ServerEndpoint like, String portVariable, int defaultPort,
            boolean tlsOnly) {
        String port = System.getenv(portVariable);
        int p = port == null ? defaultPort : Integer.parseInt(port);
        if (!listening(like.host(), p)) {
            throw new IllegalStateException("no " + role + " test server on " + like.host() + ":" + p + "; start it with"
                    + " bin/mysql-pair start " + role + " (with the pair's --source/--target engines; bin/test does)"
                    + " and export " + portVariable + " (eval \"$(bin/mysql-pair env)\")");
        }
        return new TestServer(new ServerEndpoint(role, like.host(), p, like.user(), like.password(), like.rootUser(),
                like.rootPassword(), tlsOnly));
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

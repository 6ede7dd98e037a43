package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.TlsConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user of its own, never logged in before, streams the binlog with and without TLS. On MySQL it authenticates with
 * caching_sha2_password (MySQL 8's default): its first login, and a reconnect after its cached credentials were
 * dropped, take the full authentication, which runs over TLS or, without TLS, exchanges the password under the
 * server's RSA key. MariaDB has no caching_sha2_password; there the user has MariaDB's default
 * (mysql_native_password). Without TLS, the source sits behind a relay that hides its TLS support.
 */
@MySqlPair
class BinlogAuthenticationIT {
    private static final String PASSWORD = "Auth-test-pw-1";
    private final TestPair pair;
    private final List<String> accounts = new ArrayList<>();

    BinlogAuthenticationIT(TestPair pair) {
        this.pair = pair;
    }

    @AfterEach
    void dropUsers() {
        accounts.forEach(a -> pair.source().exec("DROP USER IF EXISTS " + a));
    }

    @ParameterizedTest(name = "tls offered: {0}")
    @ValueSource(booleans = {true, false})
    void aNewUserStreamsAlsoAfterAReconnectThatAuthenticatesInFull(boolean tlsOffered) throws Exception {
        TestServer source = pair.source();
        String user = newUser("SELECT, REPLICATION SLAVE, REPLICATION CLIENT");
        TableId t = pair.table("auth_" + tlsOffered);
        source.exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY)");
        TableSchemas schemas = BinlogCapture.schemasOf(source, t);
        DatabaseConfig direct = DatabaseConfig.tcp(source.endpoint().host(), source.endpoint().port(), user, PASSWORD);
        try (var relay = WireProxy.to(source.endpoint(), true)) {
            DatabaseConfig config = tlsOffered ? direct : relay.relay(direct);
            boolean serverHasTls = source.offersTls();
            try (Connection c = DataSources.connect(config)) { // the user's very first login
                assertEquals(tlsOffered && serverHasTls, !sessionStatus(c, "Ssl_cipher").isEmpty(),
                        "ferry's connections use TLS exactly when the server offers it");
            }
            forgetCachedCredentials(user);

            List<BinlogEvent> events = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (var streamer = new BinlogStreamer(config, 0, schemas, 5)) {
                Thread reader = Thread.ofPlatform().name("auth-it").start(() -> {
                    try {
                        streamer.run(ResumablePosition.NONE, events::add);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                await(() -> dumpThread(user) != null || failure.get() != null, "the user's binlog connection");
                source.exec("INSERT INTO " + t.sql() + " VALUES (1)");
                await(() -> inserted(events).size() == 1 || failure.get() != null, "the first row");

                forgetCachedCredentials(user);
                source.exec("KILL " + dumpThread(user));
                source.exec("INSERT INTO " + t.sql() + " VALUES (2)");
                await(() -> inserted(events).size() == 2 || failure.get() != null, "the row after the reconnect");
                streamer.stop();
                reader.join(10_000);
            }
            assertNull(failure.get(), () -> "the stream failed: " + failure.get());
            assertEquals(List.of("1", "2"), inserted(events));
        }
    }

    @Test
    void aUserWithoutReplicationSlaveIsRefusedAtOnceWithTheGrantToRun() throws Exception {
        String user = newUser("SELECT, REPLICATION CLIENT");
        var config = DatabaseConfig.tcp(pair.source().endpoint().host(), pair.source().endpoint().port(), user, PASSWORD);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (var streamer = new BinlogStreamer(config, 0, table -> null, 60)) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    streamer.run(ResumablePosition.NONE, e -> { });
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            reader.join(20_000);
            assertTrue(!reader.isAlive(), "the streamer gave up instead of retrying 60 times");
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15), "refused at once");
        var refused = assertInstanceOf(PreconditionFailed.class, failure.get());
        assertTrue(refused.getMessage().contains("REPLICATION SLAVE") && refused.getMessage().contains(user),
                refused.getMessage());
    }

    /**
     * With a TLS config, the binlog connection verifies the server's certificate against Source.TLS.CertPath as the
     * JDBC connections do ({@code "Mode": "VerifyCA"}: the servers' own certificates name no test host). What each
     * server allows: the MySQL pair has its CA in its data directory; a server without
     * TLS is refused at once; a CA that did not sign the server's certificate is refused at once.
     */
    @Test
    void aTlsConfigVerifiesTheServersCertificateOnEveryConnection(@TempDir Path dir) throws Exception {
        TestServer source = pair.source();
        boolean serverHasTls = source.offersTls();
        var endpoint = source.endpoint();
        DatabaseConfig plain = source.ferryConfig();
        if (!serverHasTls) {
            var refused = assertThrows(PreconditionFailed.class,
                    () -> stream(withTls(plain, new TlsConfig(null, null)), "no_tls"));
            assertTrue(refused.getMessage().contains("TLS"), refused.getMessage());
            return;
        }
        Path ca = serverCa();
        if (ca != null) {
            assertEquals(List.of("1"), stream(withTls(plain, new TlsConfig(ca.toString(), null, TlsConfig.Mode.VERIFY_CA)), "own_ca"),
                    "the binlog connection trusts the CA of Source.TLS.CertPath");
        } else {
            assertEquals("MariaDB", String.valueOf(source.scalar("SELECT VERSION()")).replaceAll(".*(MariaDB).*", "$1"),
                    "only MariaDB 11.4's made-up certificate has no CA file; " + endpoint + " should have one");
        }
        Path unrelated = unrelatedCa(dir);
        var refused = assertThrows(PreconditionFailed.class,
                () -> stream(withTls(plain, new TlsConfig(unrelated.toString(), null, TlsConfig.Mode.VERIFY_CA)), "other_ca"));
        assertTrue(refused.getMessage().contains("TLS"), refused.getMessage());
    }

    /** Streams one row inserted into a new table through {@code config}; the ids streamed. */
    private List<String> stream(DatabaseConfig config, String name) throws Exception {
        TableId t = pair.table("tls_" + name);
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY)");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        var start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1)");
        var end = BinlogCapture.currentPosition(pair.source());
        return inserted(BinlogCapture.read(config, schemas, ResumablePosition.at(start), end));
    }

    private static DatabaseConfig withTls(DatabaseConfig c, TlsConfig tls) {
        return new DatabaseConfig(c.host(), c.port(), c.net(), c.user(), c.password(), c.collation(), c.params(), tls,
                c.readTimeout(), c.writeTimeout());
    }

    /** The CA file of the source when it is a local server that has one (as the MySQL test servers do). */
    private Path serverCa() {
        Object ca = pair.source().scalar("SELECT @@ssl_ca");
        if (ca == null || ca.toString().isEmpty()) {
            return null;
        }
        Path path = Path.of(String.valueOf(pair.source().scalar("SELECT @@datadir"))).resolve(ca.toString());
        return Files.isReadable(path) ? path : null;
    }

    /** A self-signed certificate that signed nothing the server has, as a PEM file. */
    private static Path unrelatedCa(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("other.p12");
        Path pem = dir.resolve("other-ca.pem");
        for (List<String> args : List.of(
                List.of("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-dname", "CN=unrelated-ca", "-validity", "2"),
                List.of("-exportcert", "-rfc", "-alias", "other", "-file", pem.toString()))) {
            var command = new ArrayList<>(List.of(keytool.toString()));
            command.addAll(args);
            command.addAll(List.of("-keystore", store.toString(), "-storepass", "changeit", "-noprompt"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "keytool " + args + ": " + out);
        }
        return pem;
    }

    /** A new user on the source (host 127.0.0.1, as the tests connect), dropped with the test class's databases. */
    private String newUser(String privileges) throws SQLException {
        String user = "ferry_auth_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        String account = "'" + user + "'@'127.0.0.1'";
        String plugin = isMariaDb() ? "" : " WITH caching_sha2_password";
        pair.source().exec("CREATE USER " + account + " IDENTIFIED" + plugin + " BY '" + PASSWORD + "'",
                "GRANT " + privileges + " ON *.* TO " + account);
        accounts.add(account);
        return user;
    }

    /** Drops the server's cached credentials of {@code user}, so its next login authenticates in full. */
    private void forgetCachedCredentials(String user) throws SQLException {
        String plugin = isMariaDb() ? "" : " WITH caching_sha2_password";
        pair.source().exec("ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED" + plugin + " BY '" + PASSWORD + "'");
    }

    private Object dumpThread(String user) {
        return pair.source().scalar("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND LIKE"
                + " 'Binlog Dump%'", user);
    }

    private boolean isMariaDb() throws SQLException {
        try (Connection c = pair.source().connect()) {
            return ServerInfo.of(c).isMariaDb();
        }
    }

    private static List<String> inserted(List<BinlogEvent> events) {
        return events.stream().filter(RowsInserted.class::isInstance).map(RowsInserted.class::cast)
                .flatMap(r -> r.rows().stream()).map(r -> new String(r.get(0), StandardCharsets.UTF_8)).toList();
    }

    private static String sessionStatus(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            return rs.next() && rs.getString(2) != null ? rs.getString(2) : "";
        }
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited 30 s for " + what);
            }
            Thread.sleep(20);
        }
    }
}

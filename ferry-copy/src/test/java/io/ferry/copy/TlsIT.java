package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.DataWriter;
import io.ferry.testing.ExtraServers;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code TLS} on either side against a server that accepts TLS connections only ({@code bin/mysql-pair start tls}),
 * whose certificate a CA made for the test signed, for {@code localhost} and {@code 127.0.0.1}: a copy from it
 * (JDBC and the binlog stream) and a copy to it verify its certificate; a certificate of another CA, or not made
 * out to {@code ServerName}, is refused with the fix; {@code "Mode": "Required"} encrypts without checking.
 */
@MySqlPair
@Timeout(240)
class TlsIT {
    private final TestPair pair;
    private final TestServer tls = ExtraServers.tls();
    private final Path certs = ExtraServers.tlsCertificates();

    TlsIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aCopyFromTheTlsServerVerifiesItsCertificateForTheServerNameOnEveryConnection() throws Exception {
        String db = "ft_tls_from_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        pair.dropAfterwards(db);
        tls.exec("CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.t1 (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " data TEXT)");
        try {
            tls.insertRows("`" + db + "`.t1", "id, data", 800, i -> "(" + i + ", 'row " + i + "')");
            // Host is 127.0.0.1, ServerName another name of the certificate: ferry's own handshake checks it.
            String source = server(tls.endpoint(), "\"TLS\": {\"CertPath\": \"" + certs.resolve("ca.pem")
                    + "\", \"ServerName\": \"localhost\"}");
            try (var writer = new DataWriter(tls, "`" + db + "`.t1", 2)) {
                var hooks = new RunHooks() {
                    @Override
                    public void rowCopyCompleted() throws InterruptedException {
                        writer.stop();
                    }
                };
                CopydbConfig config = TestConfigs.copydb(source, TestConfigs.server(pair.target().endpoint()), "", db);
                try (var ferry = new Ferry(config, hooks)) {
                    ferry.run();
                    assertEquals(RunPhase.DONE, ferry.phase());
                }
                assertTrue(writer.writes() > 0, "the writer wrote nothing during the copy");
            }
            TableComparison.assertIdentical(tls, new TableId(db, "t1"), pair.target(), new TableId(db, "t1"));
        } finally {
            tls.exec("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    @Test
    void aCopyToTheTlsServerVerifiesItsCertificateForTheHost() throws Exception {
        String db = pair.newDatabase("tls_to");
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id INT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.t1", "id, data", 300, i -> "(" + i + ", 'row " + i + "')");
        try {
            // No ServerName: the certificate must be made out to the Host, 127.0.0.1.
            String target = server(tls.endpoint(), "\"TLS\": {\"CertPath\": \"" + certs.resolve("ca.pem") + "\"}");
            CopydbConfig config = TestConfigs.copydb(TestConfigs.server(pair.source().endpoint()), target, "", db);
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                ferry.run();
                assertEquals(RunPhase.DONE, ferry.phase());
            }
            TableComparison.assertIdentical(pair.source(), new TableId(db, "t1"), tls, new TableId(db, "t1"));
        } finally {
            tls.exec("DROP DATABASE IF EXISTS `" + db + "`");
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedNamingCertPath() {
        Path other = certs.resolve("other-ca.pem");
        var refused = assertThrows(PreconditionFailed.class, () -> connect("\"TLS\": {\"CertPath\": \"" + other + "\"}"));
        assertTrue(refused.getMessage().contains("the server's certificate is not signed by a CA in Source.TLS.CertPath ("
                + other + "): give the PEM file of the CA that signed it"), refused.getMessage());
    }

    @Test
    void aCertificateNotMadeOutToTheServerNameIsRefused() {
        for (String name : new String[] {"wrong.example", "127.0.0.2"}) {
            var refused = assertThrows(PreconditionFailed.class, () -> connect("\"TLS\": {\"CertPath\": \""
                    + certs.resolve("ca.pem") + "\", \"ServerName\": \"" + name + "\"}"));
            assertTrue(refused.getMessage().contains("the server's certificate is not made out to " + name
                    + " (Source.TLS.ServerName, else Source.Host)"), refused.getMessage());
        }
    }

    @Test
    void theBinlogConnectionChecksTheCertificatesServerName() throws Exception {
        String ca = "\"TLS\": {\"CertPath\": \"" + certs.resolve("ca.pem") + "\", ";
        try (var streamer = new BinlogStreamer(sourceConfig(ca + "\"ServerName\": \"wrong.example\"}"), 0, t -> null, 0)) {
            var refused = assertThrows(PreconditionFailed.class, () -> streamer.run(ResumablePosition.NONE, e -> { }));
            assertTrue(refused.getMessage().contains("TLS"), refused.getMessage());
        }
        try (var streamer = new BinlogStreamer(sourceConfig(ca + "\"ServerName\": \"localhost\"}"), 0, t -> null, 0)) {
            var streaming = Thread.ofVirtual().start(() -> {
                try {
                    streamer.run(ResumablePosition.NONE, e -> { });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!streamer.isConnected()) {
                assertTrue(System.nanoTime() < deadline, "the binlog connection did not connect over TLS");
                Thread.sleep(20);
            }
            streamer.stop();
            streaming.join();
        }
    }

    @Test
    void modeRequiredEncryptsWithoutCheckingTheCertificate() throws Exception {
        assertFalse(connect("\"TLS\": {\"Mode\": \"Required\"}").isEmpty(), "no TLS cipher in use");
        assertFalse(connect("\"TLS\": {\"CertPath\": \"" + certs.resolve("ca.pem") + "\", \"Mode\": \"VerifyCA\"}")
                .isEmpty());
    }

    /** The TLS server as a copy's Source with {@code tlsSettings}. */
    private DatabaseConfig sourceConfig(String tlsSettings) {
        return ConfigLoader.parse("{\"Source\": " + server(tls.endpoint(), tlsSettings) + ", \"Target\": "
                + TestConfigs.server(pair.target().endpoint()) + "}", Map.of(), Path.of(".")).source();
    }

    /** Connects to the TLS server as a copy's Source with {@code tlsSettings}; the session's cipher. */
    private String connect(String tlsSettings) throws Exception {
        DatabaseConfig source = sourceConfig(tlsSettings);
        try (Connection c = DataSources.connectChecked("Source", source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            rs.next();
            return rs.getString(2);
        }
    }

    private static String server(ServerEndpoint e, String extra) {
        String plain = TestConfigs.server(e);
        return plain.substring(0, plain.length() - 1) + ", " + extra + "}";
    }
}

package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.DriverOptions;
import io.ferry.core.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the binlog connection, as ferry's JDBC connections have it ({@code DataSources}): without a TLS config,
 * as {@code Params.tls} says (TLS whenever the server offers it, unverified, by default); with one, as its {@code Mode} says: {@code Required} encrypts
 * without checking the certificate; {@code VerifyCA} checks it against the CA in {@code CertPath} (the JVM's trust
 * store without it); {@code VerifyIdentity} also checks that it is made out to {@code ServerName} (else the host),
 * which ferry's own socket factory does in the handshake, since the library checks names against the host only.
 */
final class BinlogTls {
    private BinlogTls() {
    }

    static void configure(BinaryLogClient client, DatabaseConfig db) {
        TlsConfig tls = db.tls();
        if (tls == null) {
            DriverOptions.Tls mode = db.driver().tls(); // Params.tls, as for the other connections
            client.setSSLMode(mode == null ? SSLMode.PREFERRED : switch (mode) {
                case DISABLED -> SSLMode.DISABLED;
                case PREFERRED -> SSLMode.PREFERRED;
                case REQUIRED -> SSLMode.REQUIRED;
                case VERIFY_IDENTITY -> SSLMode.VERIFY_IDENTITY;
            });
            return;
        }
        if (tls.mode() == TlsConfig.Mode.REQUIRED) {
            client.setSSLMode(SSLMode.REQUIRED);
            return;
        }
        // The library's VERIFY_CA with ferry's factory: the factory checks the CA, and the name when asked.
        client.setSSLMode(SSLMode.VERIFY_CA);
        String name = tls.mode() == TlsConfig.Mode.VERIFY_IDENTITY
                ? (tls.serverName() != null ? tls.serverName() : db.host()) : null;
        Path ca = tls.certPath() == null ? null : Path.of(tls.certPath());
        client.setSslSocketFactory(socket -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trusting(ca).getTrustManagers(), null);
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                        name != null ? name : socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                if (name != null) {
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    if (!name.matches("[0-9.]+|.*:.*")) {
                        p.setServerNames(List.of(new SNIHostName(name)));
                    }
                    ssl.setSSLParameters(p);
                }
                return ssl;
            } catch (GeneralSecurityException | IOException e) {
                throw new SocketException("cannot set up TLS to " + db.hostPort() + ": " + e.getMessage());
            }
        });
    }

    /** Trust managers that trust exactly the certificates in the PEM file {@code ca}; the JVM's when null. */
    private static TrustManagerFactory trusting(Path ca) throws GeneralSecurityException {
        if (ca == null) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(ca)) {
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read the CA certificates in " + ca + ": " + e.getMessage(), e);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}

package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.DefaultSSLSocketFactory;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.ferry.core.config.DriverOptions;
import io.ferry.core.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the binlog connection, as ferry's JDBC connections have it ({@code DataSources}): without a TLS config,
 * TLS whenever the server offers it, unverified; with one, TLS required and the server's certificate verified
 * against the CA in {@code CertPath} (the JVM's trust store without it), and its host name with {@code ServerName}.
 * The library on its own would verify against the JVM's trust store only. Without a TLS section, {@code Params.tls}
 * chooses the mode as for the other connections.
 */
final class BinlogTls {
    private BinlogTls() {
    }

    static void configure(BinaryLogClient client, TlsConfig tls, DriverOptions.Tls mode) {
        if (tls == null) {
            client.setSSLMode(mode == null ? SSLMode.PREFERRED : switch (mode) {
                case DISABLED -> SSLMode.DISABLED;
                case PREFERRED -> SSLMode.PREFERRED;
                case REQUIRED -> SSLMode.REQUIRED;
                case VERIFY_IDENTITY -> SSLMode.VERIFY_IDENTITY;
            });
            return;
        }
        client.setSSLMode(tls.serverName() == null ? SSLMode.VERIFY_CA : SSLMode.VERIFY_IDENTITY);
        if (tls.certPath() != null) {
            Path ca = Path.of(tls.certPath());
            client.setSslSocketFactory(new DefaultSSLSocketFactory("TLS") {
                @Override
                protected void initSSLContext(SSLContext context) throws GeneralSecurityException {
                    context.init(null, trusting(ca).getTrustManagers(), null);
                }
            });
        }
    }

    /** Trust managers that trust exactly the certificates in the PEM file {@code ca}. */
    private static TrustManagerFactory trusting(Path ca) throws GeneralSecurityException {
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

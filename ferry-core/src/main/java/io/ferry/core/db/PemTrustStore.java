package io.ferry.core.db;

import io.ferry.core.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CA certificates of a PEM file ({@code TLS.CertPath}) as a PKCS#12 trust store in a temporary file: the JDBC
 * driver reads trust stores only in a key store format, not PEM. One file per PEM path and JVM, deleted on exit.
 */
final class PemTrustStore {
    /** Protects nothing secret (the store holds public certificates only); PKCS#12 wants some password. */
    static final String PASSWORD = "ferry-trust-store";
    private static final Map<String, Path> STORES = new ConcurrentHashMap<>();

    private PemTrustStore() {
    }

    /** The trust store file for the PEM file {@code pem}, made on first use. */
    static Path of(String pem) {
        return STORES.computeIfAbsent(pem, PemTrustStore::convert);
    }

    private static Path convert(String pem) {
        try (InputStream in = Files.newInputStream(Path.of(pem))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new ConfigException("TLS.CertPath = " + pem + ": holds no certificate; give the PEM file of the"
                        + " CA that signed the server's certificate");
            }
            Path file = Files.createTempFile("ferry-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("TLS.CertPath = " + pem + ": cannot read it as PEM certificates (" + e.getMessage()
                    + "); give the PEM file of the CA that signed the server's certificate");
        }
    }
}

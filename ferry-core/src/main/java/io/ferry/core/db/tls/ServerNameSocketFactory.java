package io.ferry.core.db.tls;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.ServerSession;
import com.mysql.cj.protocol.SocketConnection;
import com.mysql.cj.protocol.StandardSocketFactory;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDBC driver's TLS handshake for a {@code TLS.ServerName} other than the {@code Host}: the driver checks a
 * certificate's name against the host it connects to only, while Ghostferry's {@code ServerName} names the
 * certificate of a server reached by another name (an address, a proxy). This factory does the handshake itself:
 * the certificate must be signed by the CA of the connection's trust store ({@code TLS.CertPath}, else the JVM's)
 * and made out to the server name, which it also sends as SNI. The name travels as the connection attribute
 * {@value #ATTRIBUTE} (the driver instantiates the factory by class name, so nothing else can reach it).
 */
public final class ServerNameSocketFactory extends StandardSocketFactory {
    /** The connection attribute naming the server the certificate must be made out to. */
    public static final String ATTRIBUTE = "ferry_tls_server_name";

    @Override
    public <T extends Closeable> T performTlsHandshake(SocketConnection connection, ServerSession session)
            throws IOException {
        return performTlsHandshake(connection, session, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Closeable> T performTlsHandshake(SocketConnection connection, ServerSession session, Log log)
            throws IOException {
        PropertySet props = connection.getPropertySet();
        String name = serverName(props.getStringProperty(PropertyKey.connectionAttributes).getValue());
        SSLSocket ssl;
        try {
            ssl = (SSLSocket) context(props).getSocketFactory().createSocket(rawSocket, name, port, true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for server name " + name + ": " + e.getMessage(), e);
        }
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must be made out to the name
        if (!name.matches("[0-9.]+|.*:.*")) {
            p.setServerNames(List.of(new SNIHostName(name)));
        }
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        sslSocket = ssl;
        return (T) ssl;
    }

    static String serverName(String attributes) throws IOException {
        if (attributes != null) {
            for (String pair : attributes.split(",")) {
                if (pair.startsWith(ATTRIBUTE + ":")) {
                    return pair.substring(ATTRIBUTE.length() + 1);
                }
            }
        }
        throw new IOException("no " + ATTRIBUTE + " connection attribute: ferry's connection settings are incomplete");
    }

    private static SSLContext context(PropertySet props) throws GeneralSecurityException, IOException {
        String url = props.getStringProperty(PropertyKey.trustCertificateKeyStoreUrl).getValue();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (url == null || url.isEmpty()) {
            trust.init((KeyStore) null); // the JVM's trust store
        } else {
            KeyStore store = KeyStore.getInstance(props.getStringProperty(PropertyKey.trustCertificateKeyStoreType)
                    .getValue());
            String password = props.getStringProperty(PropertyKey.trustCertificateKeyStorePassword).getValue();
            try (InputStream in = URI.create(url).toURL().openStream()) {
                store.load(in, password == null ? null : password.toCharArray());
            }
            trust.init(store);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

package io.ferry.core.config;

/**
 * TLS to a server.
 *
 * @param certPath   PEM file of the CA that signed the server certificate, or {@code null} for the JVM's trust store
 * @param serverName the name the certificate must carry, or {@code null} to skip host-name verification
 */
public record TlsConfig(String certPath, String serverName) {
}

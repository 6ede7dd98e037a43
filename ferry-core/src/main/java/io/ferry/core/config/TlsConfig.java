package io.ferry.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS to a server (Ghostferry's {@code TLS} block, plus ferry's {@code Mode}).
 *
 * @param certPath   PEM file of the CA that signed the server certificate, or {@code null} for the JVM's trust store
 * @param serverName the name the certificate must carry, or {@code null} for the server's {@code Host} (as Ghostferry's
 *                   Go driver does)
 * @param mode       how much of the certificate is checked
 */
public record TlsConfig(String certPath, String serverName, Mode mode) {
    public TlsConfig {
        Objects.requireNonNull(mode, "mode");
    }

    /** Ghostferry's block: the certificate verified, CA and name. */
    public TlsConfig(String certPath, String serverName) {
        this(certPath, serverName, Mode.VERIFY_IDENTITY);
    }

    /** {@code TLS.Mode}, named after MySQL's {@code --ssl-mode} values. */
    public enum Mode {
        /** TLS required, the certificate not checked (the client's {@code --ssl}, {@code --ssl-mode=REQUIRED}). */
        REQUIRED("Required"),
        /** TLS required, the certificate signed by the CA of {@code CertPath}; its name not checked. */
        VERIFY_CA("VerifyCA"),
        /** TLS required, the certificate signed by the CA and made out to {@code ServerName} (else {@code Host}). */
        VERIFY_IDENTITY("VerifyIdentity");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** The mode of a config name, in any case, with or without MySQL's underscore ({@code VERIFY_CA}). */
        public static Optional<Mode> fromConfigName(String name) {
            String n = name.replace("_", "").toLowerCase(Locale.ROOT);
            for (Mode m : values()) {
                if (m.configName.toLowerCase(Locale.ROOT).equals(n)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }
}

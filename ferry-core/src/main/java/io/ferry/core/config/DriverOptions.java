package io.ferry.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The entries of a server's {@code Params} that Ghostferry's Go MySQL driver reads as driver options rather than as
 * session variables, in ferry's (Connector/J's) terms. {@code collation}, {@code readTimeout} and
 * {@code writeTimeout} are not here: they land in {@link DatabaseConfig}'s own fields.
 *
 * @param charsets             {@code charset}: connection character sets to try in order (Go's "the first that
 *                             works", like {@code SET NAMES}); empty for ferry's utf8mb4
 * @param connectTimeout       {@code timeout}: how long opening a connection may take
 * @param tls                  {@code tls}, or {@code null} when not given (the {@code TLS} section or ferry's default
 *                             decide)
 * @param maxAllowedPacket     {@code maxAllowedPacket}: the largest packet ferry sends, in bytes; {@code 0} reads the
 *                             server's {@code max_allowed_packet}; {@code null} for ferry's default
 * @param compress             {@code compress}: the compressed client/server protocol
 * @param connectionAttributes {@code connectionAttributes}: {@code key:value,...} shown in the server's
 *                             {@code performance_schema.session_connect_attrs}, or {@code null}
 */
public record DriverOptions(List<String> charsets, Duration connectTimeout, Tls tls, Long maxAllowedPacket,
                            boolean compress, String connectionAttributes) {
    /** Go's dial timeout has no default; ferry gives up on a connection attempt after this long. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final DriverOptions NONE = new DriverOptions(List.of(), DEFAULT_CONNECT_TIMEOUT, null, null, false, null);

    public DriverOptions {
        charsets = List.copyOf(charsets);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** The Go driver's {@code tls} values, each with Connector/J's equivalent {@code sslMode}. */
    public enum Tls {
        /** {@code false}: a plain connection. */
        DISABLED("false", "DISABLED"),
        /** {@code preferred}: TLS when the server offers it, unverified (ferry's default too). */
        PREFERRED("preferred", "PREFERRED"),
        /** {@code skip-verify}: TLS required, the certificate not checked. */
        REQUIRED("skip-verify", "REQUIRED"),
        /** {@code true}: TLS required, certificate and host name checked against the JVM's trust store. */
        VERIFY_IDENTITY("true", "VERIFY_IDENTITY");

        private final String goValue;
        private final String sslMode;

        Tls(String goValue, String sslMode) {
            this.goValue = goValue;
            this.sslMode = sslMode;
        }

        /** The value as Ghostferry's config spells it. */
        public String goValue() {
            return goValue;
        }

        /** Connector/J's {@code sslMode}. */
        public String sslMode() {
            return sslMode;
        }
    }
}

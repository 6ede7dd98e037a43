package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.ferry.core.FerryException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.state.BinlogPosition;
import java.util.Locale;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Which failures of the replication connection no reconnect can cure (a refused login or privilege, a purged binlog
 * file, TLS that cannot be set up), and what to tell the operator about each; everything else is a broken stream
 * worth retrying.
 */
final class ConnectionRefusal {
    /** ER_ACCESS_DENIED_ERROR: wrong user or password. */
    static final int ACCESS_DENIED = 1045;
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR: a privilege is missing (REPLICATION SLAVE for the binlog dump). */
    static final int PRIVILEGE_MISSING = 1227;
    /** ER_MASTER_FATAL_ERROR_READING_BINLOG (ER_SOURCE_FATAL_ERROR_READING_BINLOG in MySQL 8.0.22+). */
    static final int FATAL_ERROR_READING_BINLOG = 1236;

    private ConnectionRefusal() {
    }

    /**
     * The failure to stop with for {@code failure} while connecting, or {@code null} when reconnecting may help: a
     * server's refusal, a certificate that does not verify, a server without the TLS the config requires.
     */
    static FerryException ofConnect(Exception failure, DatabaseConfig source, BinlogPosition at) {
        if (failure instanceof ServerException e) {
            return of(e, source, at);
        }
        if (failure instanceof SSLHandshakeException && causedBy(failure, CertificateException.class)) {
            return new PreconditionFailed("the certificate of the source " + source.describe() + " does not verify"
                    + " for ferry's binlog connection (" + failure.getMessage() + "); Source.TLS.CertPath must hold"
                    + " the CA that signed the server's certificate" + (source.tls() != null
                    && source.tls().serverName() != null ? ", and the certificate must name the host ferry connects to"
                    : ""), failure);
        }
        if (String.valueOf(failure.getMessage()).contains("does not support SSL")) {
            return new PreconditionFailed("the source " + source.describe() + " offers no TLS, which Source.TLS"
                    + " requires; turn TLS on at the source, or remove Source.TLS to connect without it", failure);
        }
        return null;
    }

    /** The failure to stop with for an error the server sent, or {@code null} when reconnecting may help. */
    static FerryException of(ServerException e, DatabaseConfig source, BinlogPosition at) {
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (e instanceof AuthenticationException || e.getErrorCode() == ACCESS_DENIED) {
            return new PreconditionFailed("the source " + source.describe() + " refused the login of ferry's binlog"
                    + " connection (" + message + "); " + loginHint(lower), e);
        }
        if (e.getErrorCode() == PRIVILEGE_MISSING) {
            String grant = lower.contains("replication slave") || lower.contains("replication replica")
                    ? "; run on the source: GRANT REPLICATION SLAVE ON *.* TO '" + source.user() + "'@'<host>'"
                    : "; grant the privilege it names to '" + source.user() + "'";
            return new PreconditionFailed("the source " + source.describe() + " refuses to stream its binlog to "
                    + source.user() + " (" + message + ")" + grant, e);
        }
        if (e.getErrorCode() == FATAL_ERROR_READING_BINLOG) {
            return lower.contains("could not find")
                    ? new PreconditionFailed("the binlog file " + at.file() + " (position " + at + ") is no longer"
                    + " on the source " + source.describe() + " (" + message + "); the binlog retention"
                    + " (binlog_expire_logs_seconds / expire_logs_days) must cover the whole interruption;"
                    + " raise it and start the copy again from scratch", e)
                    : new RunFailed("the source " + source.describe() + " refused to stream its binlog from " + at
                    + ": " + message, e);
        }
        return null;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String loginHint(String lower) {
        if (lower.contains("rsa") || lower.contains("caching_sha2")) {
            return "the user authenticates with caching_sha2_password, which without TLS needs the server's RSA public"
                    + " key: offer TLS on the source (ferry uses it whenever the server offers it), or let the server"
                    + " make an RSA key pair (caching_sha2_password_auto_generate_rsa_keys=ON)";
        }
        if (lower.contains("unsupported authentication method")) {
            return "ferry's binlog connection logs in with mysql_native_password or caching_sha2_password only;"
                    + " give the user one of them (ALTER USER ... IDENTIFIED WITH caching_sha2_password BY '...' on"
                    + " MySQL, IDENTIFIED VIA mysql_native_password USING PASSWORD('...') on MariaDB)";
        }
        return "check Source.User and Source.Pass";
    }
}

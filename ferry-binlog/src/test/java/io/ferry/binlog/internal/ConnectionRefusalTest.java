package io.ferry.binlog.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.state.BinlogPosition;
import java.io.IOException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionRefusalTest {
    private static final DatabaseConfig SOURCE = DatabaseConfig.tcp("db1", 3306, "copier", "secret-pw");
    private static final BinlogPosition AT = new BinlogPosition("binlog.000007", 1234);

    @Test
    void aMissingReplicationPrivilegeNamesTheGrant() {
        var refusal = ConnectionRefusal.of(new ServerException("Access denied; you need (at least one of) the REPLICATION"
                + " SLAVE privilege(s) for this operation", 1227, "42000"), SOURCE, AT);
        var p = assertInstanceOf(PreconditionFailed.class, refusal);
        assertTrue(p.getMessage().contains("GRANT REPLICATION SLAVE ON *.* TO 'copier'"), p.getMessage());
        assertTrue(!p.getMessage().contains("secret-pw"), p.getMessage());
    }

    @Test
    void aRefusedLoginSaysWhatToCheckAndExplainsTheRsaCase() {
        var wrong = ConnectionRefusal.of(new AuthenticationException("Access denied for user 'copier'", 1045, "28000"),
                SOURCE, AT);
        assertTrue(assertInstanceOf(PreconditionFailed.class, wrong).getMessage().contains("Source.Pass"));
        var rsa = ConnectionRefusal.of(new AuthenticationException("Unkown response fetching RSA key in"
                + " caching_sha2_pasword auth: 2"), SOURCE, AT);
        assertTrue(rsa.getMessage().contains("offer TLS on the source"), rsa.getMessage());
        var plugin = ConnectionRefusal.of(new AuthenticationException("unsupported authentication method: client_ed25519"),
                SOURCE, AT);
        assertTrue(plugin.getMessage().contains("mysql_native_password or caching_sha2_password"), plugin.getMessage());
    }

    @Test
    void aPurgedFileIsARetentionProblemAndOtherDumpErrorsStopTheRun() {
        var purged = ConnectionRefusal.of(new ServerException("Could not find first log file name in binary log index file",
                1236, "HY000"), SOURCE, AT);
        assertTrue(assertInstanceOf(PreconditionFailed.class, purged).getMessage().contains("binlog.000007"));
        assertInstanceOf(RunFailed.class, ConnectionRefusal.of(new ServerException("binlog truncated in the middle of"
                + " event", 1236, "HY000"), SOURCE, AT));
    }

    @Test
    void aCertificateThatDoesNotVerifyStopsButABrokenHandshakeIsRetried() {
        var untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("unable to find valid certification path to requested target"));
        var refusal = ConnectionRefusal.ofConnect(untrusted, SOURCE, AT);
        assertTrue(assertInstanceOf(PreconditionFailed.class, refusal).getMessage().contains("Source.TLS.CertPath"));
        assertNull(ConnectionRefusal.ofConnect(new SSLHandshakeException("Remote host terminated the handshake"),
                SOURCE, AT));
        var noTls = ConnectionRefusal.ofConnect(new IOException("MySQL server does not support SSL"), SOURCE, AT);
        assertTrue(assertInstanceOf(PreconditionFailed.class, noTls).getMessage().contains("offers no TLS"));
    }

    @Test
    void otherErrorsAreWorthAReconnect() {
        assertNull(ConnectionRefusal.of(new ServerException("Lost connection to server during query", 2013, "HY000"),
                SOURCE, AT));
        assertNull(ConnectionRefusal.of(new ServerException("Query execution was interrupted", 1317, "70100"), SOURCE, AT));
    }
}

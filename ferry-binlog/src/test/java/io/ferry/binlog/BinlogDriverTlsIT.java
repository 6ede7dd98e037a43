package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.config.DriverOptions;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binlog connection follows {@code Params.tls} as the JDBC connections do, seen through a relay hiding TLS. */
@MySqlPair
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BinlogDriverTlsIT {
    private final TestPair pair;

    BinlogDriverTlsIT(TestPair pair) {
        this.pair = pair;
    }

    private static DatabaseConfig withTls(DatabaseConfig c, DriverOptions.Tls tls) {
        var driver = new DriverOptions(List.of(), DriverOptions.DEFAULT_CONNECT_TIMEOUT, tls, null, false, null);
        return new DatabaseConfig(c.host(), c.port(), c.net(), c.user(), c.password(), c.collation(), c.params(), c.tls(),
                c.readTimeout(), c.writeTimeout(), c.marginalia(), driver);
    }

    private List<String> stream(DatabaseConfig config, String name) throws Exception {
        TableId t = pair.table("drivertls_" + name);
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY)");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        var start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1)");
        var end = BinlogCapture.currentPosition(pair.source());
        return BinlogCapture.read(config, schemas, ResumablePosition.at(start), end).stream()
                .filter(RowsInserted.class::isInstance).map(RowsInserted.class::cast)
                .flatMap(r -> r.rows().stream()).map(r -> new String(r.get(0), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void skipVerifyRequiresTlsAndFalseStreamsInPlainText() throws Exception {
        DatabaseConfig direct = pair.source().ferryConfig();
        try (var relay = WireProxy.to(pair.source().endpoint(), true)) {
            DatabaseConfig hidden = relay.relay(direct);
            assertEquals(List.of("1"), stream(withTls(hidden, DriverOptions.Tls.DISABLED), "plain"));
            var refused = assertThrows(RuntimeException.class,
                    () -> stream(withTls(hidden, DriverOptions.Tls.REQUIRED), "required"));
            assertTrue(String.valueOf(refused.getMessage()).contains("TLS")
                    || String.valueOf(refused.getMessage()).contains("SSL"), String.valueOf(refused));
        }
        assertEquals(List.of("1"), stream(withTls(direct, DriverOptions.Tls.DISABLED), "direct_plain"));
    }
}

package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Params} as Ghostferry's Go driver means them, seen in the sessions of a real server. */
@MySqlPair
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DriverParamsIT {
    private final TestPair pair;

    DriverParamsIT(TestPair pair) {
        this.pair = pair;
    }

    /** The source section of a config for the pair's source with {@code extra} keys (JSON, double quotes). */
    private DatabaseConfig source(String extra) {
        ServerEndpoint s = pair.source().endpoint();
        String json = "{\"Source\": {\"Host\": \"" + s.host() + "\", \"Port\": " + s.port() + ", \"User\": \"" + s.user()
                + "\", \"Pass\": \"" + s.password() + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}, \"Target\": {\"Host\": \"t\", \"User\": \"u\"}}";
        return ConfigLoader.parse(json, Map.of(), Path.of(".")).source();
    }

    private static List<String> session(Connection c, String... variables) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + String.join(", ",
                java.util.Arrays.stream(variables).map(v -> "@@SESSION." + v).toList()))) {
            rs.next();
            for (int i = 1; i <= variables.length; i++) {
                out.add(rs.getString(i));
            }
        }
        return out;
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void ghostferrysExampleParamsConnectWithUtf8mb4InTheConfiguredCollation() throws Exception {
        DatabaseConfig db = source("\"Collation\": \"utf8mb4_unicode_ci\", \"Params\": {\"charset\": \"utf8mb4\"}");
        try (Connection c = DataSources.connectChecked("Source", db)) {
            assertEquals(List.of("utf8mb4", "utf8mb4", "utf8mb4_unicode_ci"),
                    session(c, "character_set_client", "character_set_connection", "collation_connection"));
            assertEquals("grüße 🚢", scalar(c, "SELECT 'grüße 🚢'"));
        }
        try (PooledDataSource pool = DataSources.open("source", db, 1); Connection c = pool.getConnection()) {
            assertEquals(List.of("utf8mb4_unicode_ci"), session(c, "collation_connection"));
        }
    }

    @Test
    void theFirstCharacterSetOfAListThatTheServerKnowsIsUsed() throws Exception {
        DatabaseConfig db = source("\"Params\": {\"charset\": \"no_such_charset,latin1\"}");
        try (Connection c = DataSources.connectChecked("Source", db)) {
            assertEquals(List.of("latin1", "latin1"), session(c, "character_set_client", "character_set_connection"));
            assertEquals("Grüße", scalar(c, "SELECT 'Grüße'")); // the driver now speaks latin1 with the server
        }
    }

    @Test
    void aCharacterSetTheServerDoesNotKnowIsRefusedNamingTheKey() {
        DatabaseConfig db = source("\"Params\": {\"charset\": \"no_such_charset\"}");
        var e = assertThrows(PreconditionFailed.class, () -> DataSources.connectChecked("Source", db).close());
        assertTrue(e.getMessage().startsWith("Source.Params.charset = \"no_such_charset\": the server "
                + db.describe() + " knows none of these character sets"), e.getMessage());
    }

    @Test
    void everyOtherParamReachesTheSessionAsAVariable() throws Exception {
        DatabaseConfig db = source("\"Params\": {\"lock_wait_timeout\": \"77\", \"lc_time_names\": \"de_DE\"}");
        try (PooledDataSource pool = DataSources.open("source", db, 1); Connection c = pool.getConnection()) {
            assertEquals(List.of("77", "de_DE"), session(c, "lock_wait_timeout", "lc_time_names"));
        }
    }

    @Test
    void ghostferrysForcedValuesAreAcceptedAndFerrysSessionIsKept() throws Exception {
        DatabaseConfig db = source("\"Params\": {\"time_zone\": \"'+00:00'\","
                + " \"sql_mode\": \"'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES'\"}");
        List<String> ferrys;
        try (Connection c = DataSources.connectChecked("Source", source(""))) {
            ferrys = session(c, "time_zone", "sql_mode");
        }
        try (Connection c = DataSources.connectChecked("Source", db)) {
            assertEquals(ferrys, session(c, "time_zone", "sql_mode"));
            assertEquals("+00:00", ferrys.get(0));
            assertTrue(!ferrys.get(1).contains("NO_BACKSLASH_ESCAPES"), ferrys.get(1));
        }
    }

    @Test
    void aParamContradictingFerrysSessionIsRefusedBeforeAnyConnection() {
        var e = assertThrows(ConfigException.class, () -> source("\"Params\": {\"time_zone\": \"'+08:00'\"}"));
        assertEquals(List.of("Source.Params.time_zone = \"'+08:00'\": ferry sets time_zone to '+00:00' itself on every"
                + " connection (values are copied as exact text); remove it from Params"), e.problems());
    }

    @Test
    void readTimeoutGivenAsAGoDurationBoundsAStatement() throws Exception {
        DatabaseConfig db = source("\"Params\": {\"readTimeout\": \"1s\", \"timeout\": \"5s\"}");
        try (Connection c = DataSources.connectChecked("Source", db)) {
            long started = System.nanoTime();
            var e = assertThrows(SQLException.class, () -> scalar(c, "SELECT SLEEP(5)"));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 4, "gave up after " + seconds + " s: " + e);
        }
    }

    @Test
    void tlsFalseConnectsInPlainTextAndSkipVerifyRequiresTls() throws Exception {
        try (Connection c = DataSources.connectChecked("Source", source("\"Params\": {\"tls\": \"false\"}"))) {
            assertEquals("", sslCipher(c));
        }
        boolean serverHasTls;
        try (Connection c = DataSources.connectChecked("Source", source(""))) {
            serverHasTls = "YES".equalsIgnoreCase(scalar(c, "SELECT @@have_ssl"));
        }
        DatabaseConfig required = source("\"Params\": {\"tls\": \"skip-verify\"}");
        if (serverHasTls) {
            try (Connection c = DataSources.connectChecked("Source", required)) {
                assertTrue(!sslCipher(c).isEmpty(), "no TLS cipher in use");
            }
        } else {
            var e = assertThrows(PreconditionFailed.class, () -> DataSources.connectChecked("Source", required).close());
            assertInstanceOf(SQLException.class, e.getCause());
        }
    }

    private static String sslCipher(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            return rs.next() ? rs.getString(2) : "";
        }
    }
}

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.FerryException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.config.CopydbConfig;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each misconfiguration of servers, privileges or tables stops a run before it writes anything, with a message that
 * names what is wrong and how to fix it. Tests that flip a global server setting restore it in {@code finally}; test
 * classes never run in parallel, so no other test sees the flip.
 */
@MySqlPair
class PreflightIT {
    private static final String OTHER_PASSWORD = "preflight-secret-9";

    private final TestPair pair;

    PreflightIT(TestPair pair) {
        this.pair = pair;
    }

    /** A database with one copyable table, so only the misconfiguration under test can stop the run. */
    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.ok (id BIGINT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + db + "`.ok VALUES (1, 'a'), (2, 'b')");
        return db;
    }

    /** Runs {@code config}, expects {@code type}, and checks that the target got nothing. */
    private <T extends FerryException> T refused(Class<T> type, CopydbConfig config, String db) {
        T e;
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            e = assertThrows(type, ferry::run);
        }
        assertTargetUntouched(db);
        assertFalse(e.getMessage().contains(pair.source().endpoint().password()), "the message shows a password");
        assertFalse(e.getMessage().contains(OTHER_PASSWORD), "the message shows a password");
        return e;
    }

    private void assertTargetUntouched(String db) {
        assertEquals(0L, pair.target().scalar(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db),
                "the refused run created the target database " + db);
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' is missing from: " + message);
        }
    }

    private static String server(ServerEndpoint e, int port, String user, String password) {
        return TestConfigs.server(new ServerEndpoint(e.role(), e.host(), port, user, password, e.rootUser(),
                e.rootPassword()));
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableSourceIsNamedWithItsAddress() throws Exception {
        String db = seeded("nosource");
        ServerEndpoint s = pair.source().endpoint();
        int port = closedPort();
        var config = TestConfigs.copydb(server(s, port, s.user(), s.password()),
                TestConfigs.server(pair.target().endpoint()), "", db);
        var e = refused(PreconditionFailed.class, config, db);
        assertMentions(e.getMessage(), "cannot connect to the source server", s.host() + ":" + port,
                "Source.Host/Source.Port");
    }

    @Test
    void anUnreachableTargetIsNamedWithItsAddress() throws Exception {
        String db = seeded("notarget");
        ServerEndpoint t = pair.target().endpoint();
        int port = closedPort();
        var config = TestConfigs.copydb(TestConfigs.server(pair.source().endpoint()),
                server(t, port, t.user(), t.password()), "", db);
        var e = refused(PreconditionFailed.class, config, db);
        assertMentions(e.getMessage(), "cannot connect to the target server", t.host() + ":" + port,
                "Target.Host/Target.Port");
    }

    @Test
    void aWrongPasswordPointsAtUserAndPass() {
        String db = seeded("badpass");
        ServerEndpoint s = pair.source().endpoint();
        var config = TestConfigs.copydb(server(s, s.port(), s.user(), OTHER_PASSWORD),
                TestConfigs.server(pair.target().endpoint()), "", db);
        var e = refused(PreconditionFailed.class, config, db);
        assertMentions(e.getMessage(), "cannot connect to the source server", "Access denied",
                "Source.User and Source.Pass");

        ServerEndpoint t = pair.target().endpoint();
        config = TestConfigs.copydb(TestConfigs.server(s), server(t, t.port(), t.user(), OTHER_PASSWORD), "", db);
        e = refused(PreconditionFailed.class, config, db);
        assertMentions(e.getMessage(), "cannot connect to the target server", "Target.User and Target.Pass");
    }

    @Test
    void tablesWithoutAUsableKeyAreNamedWithTheReason() throws Exception {
        String db = seeded("keys");
        pair.source().exec(
                "CREATE TABLE `" + db + "`.no_pk (a INT, b INT)",
                "CREATE TABLE `" + db + "`.float_pk (f FLOAT PRIMARY KEY, v INT)",
                "CREATE TABLE `" + db + "`.blob_col (id INT PRIMARY KEY, v BLOB)",
                "INSERT INTO `" + db + "`.no_pk VALUES (1, 1)");
        var e = refused(PreconditionFailed.class, TestConfigs.copydb(pair, "", db), db);
        String m = e.getMessage();
        assertMentions(m, "cannot copy 2 selected table(s)", "Tables.Blacklist");
        List<String> lines = m.lines().toList();
        assertMentions(line(lines, db + ".no_pk"), "no primary key", "PerTable", "FallbackColumn");
        assertMentions(line(lines, db + ".float_pk"), "f", "float");
        assertTrue(lines.stream().noneMatch(l -> l.contains(db + ".ok") || l.contains(db + ".blob_col")),
                "a copyable table is refused: " + m);

        // Leaving them out lets the run pass preflight and copy the rest (which also shows the check above can fail).
        String blacklist = "\"Tables\": {\"Blacklist\": [\"no_pk\", \"float_pk\", \"blob_col\"]}";
        try (var ferry = new Ferry(TestConfigs.copydb(pair, blacklist, db), RunHooks.NONE)) {
            assertEquals(List.of("ok"), ferry.plan().tables().stream().map(t -> t.source().table()).toList());
            assertTargetUntouched(db);
            ferry.run();
        }
        assertEquals(1L, pair.target().scalar(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db));
        pair.assertIdentical(db, "ok");
    }

    private static String line(List<String> lines, String table) {
        return lines.stream().filter(l -> l.contains(table + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no line names " + table + " in " + lines));
    }

    @Test
    void filtersSelectingNoTableAreAConfigError() {
        String db = seeded("nothing");
        var e = refused(ConfigException.class, TestConfigs.copydb(pair, "\"Tables\": {\"Whitelist\": [\"OK\"]}", db), db);
        assertMentions(e.getMessage(), "select no table", "case-sensitive");
        e = refused(ConfigException.class, TestConfigs.copydb(pair, "", db + "_missing"), db);
        assertMentions(e.getMessage(), "select no table");
    }

    @Test
    void statementBasedBinlogIsRefused() {
        String db = seeded("sbr");
        withGlobal(pair.source(), "binlog_format", "STATEMENT", () -> {
            var e = refused(PreconditionFailed.class, TestConfigs.copydb(pair, "", db), db);
            assertMentions(e.getMessage(), "binlog_format is STATEMENT", "requires ROW",
                    "SET GLOBAL binlog_format='ROW'");
        });
    }

    @Test
    void aMinimalRowImageIsRefusedUnlessTheCheckIsSkipped() {
        String db = seeded("minimal");
        withGlobal(pair.source(), "binlog_row_image", "MINIMAL", () -> {
            var e = refused(PreconditionFailed.class, TestConfigs.copydb(pair, "", db), db);
            assertMentions(e.getMessage(), "binlog_row_image is MINIMAL", "requires FULL",
                    "SET GLOBAL binlog_row_image='FULL'");
            try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"SkipBinlogRowImageCheck\": true", db), RunHooks.NONE)) {
                assertEquals(List.of("ok"), ferry.plan().tables().stream().map(t -> t.source().table()).toList());
            }
            assertTargetUntouched(db);
        });
    }

    @Test
    void aReadOnlyTargetIsRefused() {
        String db = seeded("readonly");
        withGlobal(pair.target(), "read_only", "ON", () -> {
            var e = refused(PreconditionFailed.class, TestConfigs.copydb(pair, "", db), db);
            assertMentions(e.getMessage(), "target", "read-only", "SET GLOBAL read_only=OFF");
        });
    }

    @Test
    void aSourceUserWithoutReplicationPrivilegesIsRefused() {
        String db = seeded("noreplication");
        String user = "ferry_pf_src";
        withUser(pair.source(), user, "GRANT SELECT ON *.* TO '" + user + "'@'%'", () -> {
            ServerEndpoint s = pair.source().endpoint();
            var config = TestConfigs.copydb(server(s, s.port(), user, OTHER_PASSWORD),
                    TestConfigs.server(pair.target().endpoint()), "", db);
            var e = refused(PreconditionFailed.class, config, db);
            assertMentions(e.getMessage(), "source user", user, "lacks REPLICATION SLAVE", "GRANT REPLICATION SLAVE");
        });
    }

    @Test
    void aTargetUserWithoutInsertAndCreateIsRefused() {
        String db = seeded("nowrite");
        String user = "ferry_pf_tgt";
        withUser(pair.target(), user, "GRANT SELECT, UPDATE, DELETE ON *.* TO '" + user + "'@'%'", () -> {
            ServerEndpoint t = pair.target().endpoint();
            var config = TestConfigs.copydb(TestConfigs.server(pair.source().endpoint()),
                    server(t, t.port(), user, OTHER_PASSWORD), "", db);
            var e = refused(PreconditionFailed.class, config, db);
            assertMentions(e.getMessage(), "target user", user, "lacks INSERT, CREATE", "GRANT INSERT, CREATE ON *.*");
        });
    }

    /** Sets a global variable for the duration of {@code body}, as root, and always restores its value. */
    private static void withGlobal(TestServer server, String variable, String value, Runnable body) {
        String before = (String) server.query("SHOW GLOBAL VARIABLES LIKE '" + variable + "'").getFirst().get(1);
        server.exec("SET GLOBAL " + variable + " = '" + value + "'");
        try {
            body.run();
        } finally {
            server.exec("SET GLOBAL " + variable + " = '" + before + "'");
        }
    }

    /** Creates {@code user} with the grant for the duration of {@code body}, as root, and always drops it. */
    private static void withUser(TestServer server, String user, String grant, Runnable body) {
        server.exec("DROP USER IF EXISTS '" + user + "'@'%'",
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + OTHER_PASSWORD + "'", grant);
        try {
            body.run();
        } finally {
            server.exec("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }
}

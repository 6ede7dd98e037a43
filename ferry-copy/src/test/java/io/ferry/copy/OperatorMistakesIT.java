package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mistakes an operator makes in a config, each refused before anything is written, with what to fix. */
@MySqlPair
class OperatorMistakesIT {
    private final TestPair pair;

    OperatorMistakesIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + db + "`.t VALUES (1, 'one')");
        return db;
    }

    private PreconditionFailed refused(io.ferry.core.config.CopydbConfig config) {
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            return assertThrows(PreconditionFailed.class, ferry::plan);
        }
    }

    private static String server(ServerEndpoint e, String host, String extra) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"%s}"
                .formatted(host, e.port(), e.user(), e.password(), extra.isEmpty() ? "" : ", " + extra);
    }

    @Test
    void aTargetThatIsTheSourceItselfIsRefusedUnlessTheDatabasesAreRenamed() {
        String db = seeded("same");
        ServerEndpoint s = pair.source().endpoint();
        // Another name for the same server: nothing in the addresses tells them apart.
        String sameServer = server(s, "localhost".equals(s.host()) ? "127.0.0.1" : "localhost", "");
        var e = refused(TestConfigs.copydb(server(s, s.host(), ""), sameServer, "", db));
        assertTrue(e.getMessage().startsWith("Source and Target are the same server") && e.getMessage().contains(db + ".t")
                && e.getMessage().contains("Databases.Rewrites"), e.getMessage());
        assertEquals(1L, pair.source().count("`" + db + "`.t"), "nothing was dropped or written");

        String renamed = db + "_copy";
        pair.dropAfterwards(renamed);
        var config = TestConfigs.copydb(server(s, s.host(), ""), sameServer,
                "\"Databases\": {\"Whitelist\": [\"" + db + "\"], \"Rewrites\": {\"" + db + "\": \"" + renamed + "\"}}");
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            assertEquals(List.of(renamed), ferry.plan().tables().stream().map(t -> t.target().database()).toList());
        }
    }

    @Test
    void anUnknownSessionVariableInParamsIsBlamedOnParams() {
        String db = seeded("params");
        ServerEndpoint s = pair.source().endpoint();
        var e = refused(TestConfigs.copydb(server(s, s.host(), "\"Params\": {\"no_such_variable\": \"1\"}"),
                TestConfigs.server(pair.target().endpoint()), "", db));
        assertTrue(e.getMessage().contains("no_such_variable") && e.getMessage().contains("check Source.Params")
                && !e.getMessage().contains("Host"), e.getMessage());
    }

    @Test
    void aCollationTheServerDoesNotKnowIsRefused() {
        String db = seeded("collation");
        ServerEndpoint s = pair.source().endpoint();
        var e = refused(TestConfigs.copydb(server(s, s.host(), "\"Collation\": \"utf8mb4_no_such_ci\""),
                TestConfigs.server(pair.target().endpoint()), "", db));
        assertTrue(e.getMessage().startsWith("Source.Collation = utf8mb4_no_such_ci: the source server")
                && e.getMessage().contains("does not know this collation"), e.getMessage());
    }

    @Test
    void aFullTableCopyOfATableThatIsNotSelectedIsRefused() {
        String db = seeded("fullcopy");
        var e = refused(TestConfigs.copydb(pair, "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\""
                + db + "\": [\"T\", \"missing\"]}}", db));
        assertEquals("CascadingPaginationColumnConfig.FullTableCopies names " + db + ".T, " + db + ".missing, which are"
                + " not selected source tables (names are source names, case-sensitive); fix the names or remove the"
                + " entries", e.getMessage());
    }

    @Test
    void aLagQueryWithASyntaxErrorShowsTheServersError() throws Exception {
        String db = seeded("lagquery");
        var config = TestConfigs.copydb(pair, "\"LagThrottlerConfig\": {\"Connection\": "
                + TestConfigs.server(pair.source().endpoint()) + ", \"MaxLag\": 5, \"Query\": \"SELEC 1\"}", db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            var e = assertThrows(PreconditionFailed.class, ferry::run);
            assertTrue(e.getMessage().startsWith("the lag throttler's query failed") && e.getMessage().contains("SQL syntax")
                    && e.getMessage().contains("LagThrottlerConfig.Query"), e.getMessage());
        }
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db),
                "nothing was written to the target");
    }
}

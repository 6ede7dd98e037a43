package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.copy.RunSummary;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.verify.Verifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ghostferry's {@code examples/copydb/conf.json}, written as its users have it with only the servers (and the
 * scripts' paths) changed, runs a whole copy: utf8mb4 connections in the example's collation, the blacklist, the
 * ChecksumTable verification at cutover, and the cutover an operator allows.
 */
@MySqlPair
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GhostferryExampleConfigIT {
    private final TestPair pair;
    @TempDir
    Path dir;

    GhostferryExampleConfigIT(TestPair pair) {
        this.pair = pair;
    }

    private static String server(ServerEndpoint e) {
        return """
                {"Host": "%s", "Port": %d, "User": "%s", "Pass": "%s", "Collation": "utf8mb4_unicode_ci",
                 "Params": {"charset": "utf8mb4"}}""".formatted(e.host(), e.port(), e.user(), e.password());
    }

    @Test
    void theExampleConfigCopiesWithOnlyTheServersChanged() throws Exception {
        String db = pair.newDatabase("example");
        pair.source().exec("CREATE TABLE `" + db + "`.table1 (id BIGINT AUTO_INCREMENT PRIMARY KEY, data VARCHAR(64),"
                        + " KEY forced_index_name (data)) DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "CREATE TABLE `" + db + "`.schema_migrations (version VARCHAR(32) PRIMARY KEY)",
                "INSERT INTO `" + db + "`.schema_migrations VALUES ('20260101')");
        pair.source().insertRows("`" + db + "`.table1", "data", 500, i -> "('grüße " + i + " 🚢')");
        for (String s : new String[] {"s1", "s2"}) {
            Path script = Files.writeString(dir.resolve(s), "#!/bin/sh\necho " + s + "\n");
            assertTrue(script.toFile().setExecutable(true));
        }
        String json = """
                {
                  "Source": %s,
                  "Target": %s,
                  "Databases": {"Whitelist": ["%s"]},
                  "Tables": {"Blacklist": ["schema_migrations"]},
                  "ForceIndexForVerification": {"%s": {"table1": "forced_index_name"}},
                  "DumpStateOnSignal": true,
                  "VerifierType": "ChecksumTable",
                  "ControlServerCustomScripts": {"Custom Script 1": ["%s/s1"], "Custom Script 2": ["%s/s2"]},
                  "DumpStateToStdoutOnError": true
                }""".formatted(server(pair.source().endpoint()), server(pair.target().endpoint()), db, db, dir, dir);
        CopydbConfig config = ConfigLoader.parse(json, Map.of(), dir);
        try (var ferry = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification())
                .orElseThrow())) {
            CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return ferry.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (ferry.phase() != RunPhase.WAIT_FOR_CUTOVER) {
                if (run.isDone()) {
                    run.get();
                }
                assertTrue(System.nanoTime() < deadline, "the copy did not complete");
                Thread.sleep(20);
            }
            pair.source().exec("INSERT INTO `" + db + "`.table1 (data) VALUES ('during the wait')");
            ferry.setAutomaticCutover(true); // the operator's "Allow cutover"
            RunSummary summary = run.get(90, TimeUnit.SECONDS);
            assertTrue(summary.verified(), summary.describe());
        }
        pair.assertIdentical(db, "table1");
        assertEquals(501L, pair.target().count("`" + db + "`.table1"));
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = 'schema_migrations'", db));
    }
}

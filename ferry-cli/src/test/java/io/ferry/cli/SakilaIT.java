package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.copy.RunSummary;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.Sakila;
import io.ferry.testing.SakilaWriter;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.verify.Verifiers;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sakila copied with a config that names only the servers and the database (plus the cutover callback that stops the
 * application), while an application writes to it: its foreign-key cycle, cascading keys, triggers, GEOMETRY and
 * MyISAM table copy exactly, verified by the default (Inline) verifier or by none. Part of the engine matrix.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class SakilaIT {
    private final TestPair pair;

    SakilaIT(TestPair pair) {
        this.pair = pair;
    }

    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a cycle of waits between tables once hung here forever
    @ParameterizedTest(name = "VerifierType \"{0}\"")
    @ValueSource(strings = {"(default)", "NoVerification"})
    void copiesExactlyWhileAnApplicationWrites(String verifier) throws Exception {
        String db = pair.newDatabase("sakila");
        pair.source().exec("DROP DATABASE `" + db + "`");
        Sakila.load(pair.source(), db);
        var writer = new AtomicReference<SakilaWriter>();
        RunSummary summary;
        try (var callbacks = new CallbackServer()) {
            callbacks.respondWith(request -> {
                try {
                    writer.get().stop(); // the application stops writing at CutoverLock
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                    + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": true"
                    + ", \"CutoverLock\": {\"URI\": \"" + callbacks.url("/lock") + "\"}"
                    + (verifier.startsWith("(") ? "" : ", \"VerifierType\": \"" + verifier + "\"") + "}";
            CopydbConfig config = ConfigLoader.parse(json, Map.of(), Path.of("."));
            try (var ferry = new Ferry(config, new RunHooks() {
                @Override
                public void binlogStreamingStarted() {
                    writer.set(new SakilaWriter(pair.source(), db, 2));
                }
            }, Verifiers.create(config.verification()).orElse(null))) {
                summary = ferry.run();
            }
        }
        assertTrue(writer.get().writes() > 0, "the application wrote during the copy");
        for (String table : Sakila.TABLES) {
            pair.assertIdentical(db, table);
        }
        assertEquals(Sakila.TABLES.size(), summary.tables());
        if (verifier.startsWith("(")) {
            assertEquals("cutover complete: 16 table(s); verified at cutover by the Inline verifier: no difference",
                    summary.describe());
        } else {
            assertTrue(!summary.verified() && summary.describe().contains("NOT verified"), summary.describe());
        }
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }
}

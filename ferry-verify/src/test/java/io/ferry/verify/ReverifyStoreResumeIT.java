package io.ferry.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.verify.internal.KeyText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Inline verifier trusts rows the copy checked, so what it must look at again after an interruption is exactly
 * what its store held: a resumed run that restores the store's snapshot reports a row corrupted on the target while
 * ferry was down; one that does not restore it cannot know. (The end-to-end resume test waits for the resume work.)
 */
@MySqlPair
class ReverifyStoreResumeIT {
    private final TestPair pair;

    ReverifyStoreResumeIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aRestoredStoreIsVerifiedAtCutover() throws Exception {
        String db = pair.newDatabase("resume_store");
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
        for (var server : List.of(pair.source(), pair.target())) {
            server.exec("CREATE TABLE `" + db + "`.t (k VARCHAR(10) COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY, v INT)",
                    "INSERT INTO `" + db + "`.t VALUES ('a', 1), ('B', 2), ('c', 3)");
        }
        // While ferry was down: the row changed on the source, and the target got a wrong version of it.
        pair.source().exec("UPDATE `" + db + "`.t SET v = 20 WHERE k = 'B'");
        pair.target().exec("UPDATE `" + db + "`.t SET v = 21 WHERE k = 'B'");
        var interrupted = new ReverifyStore();
        interrupted.add(new TableId(db, "t"), KeyText.encode(List.of("B".getBytes(StandardCharsets.UTF_8))));
        Map<String, List<String>> snapshot = interrupted.snapshot();

        var config = ConfigLoader.parse("{\"Source\": {\"Host\": \"x\", \"User\": \"u\"}, \"Target\": {\"Host\": \"y\", "
                + "\"User\": \"u\"}, \"VerifierType\": \"Inline\"}", Map.of(), Path.of(".")).verification();
        try (var source = DataSources.open("s", pair.source().ferryConfig(), 4);
             var target = DataSources.open("t", pair.target().ferryConfig(), 4)) {
            TableSchema schema;
            ServerFlavor sourceFlavor;
            ServerFlavor targetFlavor;
            try (var c = source.getConnection(); var t = target.getConnection()) {
                schema = SchemaLoader.loadOne(c, new TableId(db, "t"));
                sourceFlavor = ServerInfo.of(c).flavor();
                targetFlavor = ServerInfo.of(t).flavor();
            }
            var scope = new VerificationScope(source, target, sourceFlavor, targetFlavor,
                    List.of(new VerifiedTable(schema, schema.id(), schema.primaryKeyColumns())));

            var fresh = new InlineVerifier(config);
            fresh.prepare(scope);
            fresh.verifyBeforeCutover();
            assertTrue(fresh.verifyDuringCutover().dataCorrect(), "without the store nothing points at the row");

            var resumed = new InlineVerifier(config);
            resumed.prepare(scope);
            resumed.store().restore(snapshot);
            resumed.verifyBeforeCutover();
            VerificationResult r = resumed.verifyDuringCutover();
            assertEquals(List.of(db + ".t"), r.incorrectTables());
            assertEquals("B", r.mismatches().getFirst().key());
            assertEquals(List.of("v"), r.mismatches().getFirst().columns());
        }
    }
}

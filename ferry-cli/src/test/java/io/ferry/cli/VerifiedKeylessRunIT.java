package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.core.DataMismatch;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import io.ferry.verify.Verifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table without a key, holding duplicate rows, copied whole ({@code FullTableCopies}) in runs with each verifier:
 * it passes when its rows (duplicates counted) match, also after binlog changes to it; a duplicate removed from the
 * target, or one added there, is reported naming the table, the kind of difference and the rows' fingerprint with
 * both counts. {@code ferry verify} compares such a table the same way.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class VerifiedKeylessRunIT {
    private final TestPair pair;
    @TempDir
    Path dir;

    VerifiedKeylessRunIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("USE `" + db + "`",
                "CREATE TABLE dups (a INT, b VARCHAR(10), c DOUBLE)",
                "INSERT INTO dups VALUES (1, 'x', 0.5), (1, 'x', 0.5), (1, 'x', 0.5), (2, NULL, NULL), (2, NULL, NULL),"
                        + " (3, 'y', 1), (3, 'y', 1), (4, '', -1)",
                "CREATE TABLE ints (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, data TEXT)");
        pair.source().insertRows("`" + db + "`.ints", "data", 200, i -> "('row " + i + "')");
        return db;
    }

    private CopydbConfig config(String db, String verifier) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": true, "
                + "\"DataIterationBatchSize\": 50, \"VerifierType\": \"" + verifier + "\""
                + ", \"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"dups\"]}}"
                + ", \"InlineVerifierConfig\": {\"VerifyBinlogEventsInterval\": \"50ms\"}}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private RunHooks afterCopy(TestServer server, String... statements) {
        return new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                server.exec(statements);
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline", "ChecksumTable"})
    void duplicateRowsMatchAlsoAfterBinlogChanges(String verifier) throws Exception {
        String db = seeded("keyless_ok_" + verifier);
        String t = "`" + db + "`.dups";
        var config = config(db, verifier);
        var hooks = afterCopy(pair.source(), "INSERT INTO " + t + " VALUES (1, 'x', 0.5)",
                "DELETE FROM " + t + " WHERE a = 2 LIMIT 1", "UPDATE " + t + " SET b = 'z' WHERE a = 3 LIMIT 1");
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            if (ChecksumAcrossEngines.refused(pair, verifier, ferry::run)) {
                return;
            }
            ferry.run();
            VerifierStatus v = ferry.status().verifier();
            assertTrue(v.done() && Boolean.TRUE.equals(v.correct()), v.toString());
        }
        pair.assertIdentical(db, "dups");
        assertEquals(4L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM " + t + " WHERE a = 1")).longValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline", "ChecksumTable"})
    void aDuplicateMissingOnTheTargetIsReported(String verifier) throws Exception {
        String db = seeded("keyless_bad_" + verifier);
        var config = config(db, verifier);
        var hooks = afterCopy(pair.target(), "DELETE FROM `" + db + "`.dups WHERE a = 1 LIMIT 1");
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            if (ChecksumAcrossEngines.refused(pair, verifier, ferry::run)) {
                return;
            }
            DataMismatch e = assertThrows(DataMismatch.class, ferry::run);
            assertEquals(RunPhase.CUTOVER, ferry.phase());
            String fp = fingerprint(pair.source(), db, "a = 1");
            String expected = verifier.equals("ChecksumTable")
                    ? "cutover verification failed for: " + db + ".dups [(type: table checksum difference, source: "
                    : "cutover verification failed for: " + db + ".dups [(type: rows missing on target, source: " + fp
                    + " x3, target: " + fp + " x2) ];";
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        }
    }

    @Test
    void ferryVerifyCountsTheRowsOfATableWithoutKey() throws Exception {
        String db = seeded("keyless_verify");
        var config = config(db, "Iterative");
        try (var ferry = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow())) {
            ferry.run();
        }
        Path file = Files.createTempFile(dir, "verify", ".json");
        Files.writeString(file, "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": "
                + server(pair.target().endpoint()) + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}}");
        MainTest.Result ok = MainTest.run("verify", file.toString());
        assertEquals(0, ok.exit(), ok.err());
        pair.target().exec("INSERT INTO `" + db + "`.dups VALUES (3, 'y', 1)");
        MainTest.Result bad = MainTest.run("verify", file.toString());
        assertEquals(4, bad.exit(), bad.err());
        String fp = fingerprint(pair.source(), db, "a = 3");
        assertEquals("ferry verify: 1 difference(s) in 1 table(s):\n  " + db + ".dups (type: rows missing on source, source: "
                + fp + " x2, target: " + fp + " x3)\n", bad.out());
    }

    /** The fingerprint the verifiers report: across engines the portable one (DOUBLE {@code c} finished in Java). */
    private String fingerprint(TestServer server, String db, String where) throws Exception {
        boolean portable = pair.source().info().isMariaDb() != pair.target().info().isMariaDb();
        try (var c = server.connect()) {
            var id = new TableId(db, "dups");
            var schema = io.ferry.core.schema.SchemaLoader.loadOne(c, id);
            var fp = new RowFingerprint(schema, Set.of(), Set.of(), io.ferry.core.db.ServerInfo.of(c).flavor(), Set.of(),
                    portable);
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + fp.selectList() + " FROM " + id.sql()
                    + " WHERE " + where + " LIMIT 1")) {
                rs.next();
                return fp.read(rs, 1);
            }
        }
    }

}

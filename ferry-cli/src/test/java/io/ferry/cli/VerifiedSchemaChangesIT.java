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
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs with each verifier while the source's schema changes after the copy ({@code ReplicateSchemaChanges}): a
 * column added and then set, a column dropped, a table renamed and then written. Verification follows every change
 * and passes; a corruption of the added column on the target, made right after the column reached it, is reported
 * at cutover, which proves the new column is compared.
 */
@MySqlPair
class VerifiedSchemaChangesIT {
    private final TestPair pair;

    VerifiedSchemaChangesIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("USE `" + db + "`",
                "CREATE TABLE t1 (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, data TEXT, n INT)",
                "CREATE TABLE t2 (id INT NOT NULL PRIMARY KEY, v INT)");
        pair.source().insertRows("`" + db + "`.t1", "data, n", 300, i -> "('row " + i + "', " + i + ")");
        pair.source().insertRows("`" + db + "`.t2", "id, v", 50, i -> "(" + i + ", " + i + ")");
        return db;
    }

    private CopydbConfig config(String db, String verifier) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, \"AutomaticCutover\": true, "
                + "\"DataIterationBatchSize\": 50, \"ReplicateSchemaChanges\": true, \"VerifierType\": \"" + verifier + "\""
                + ", \"InlineVerifierConfig\": {\"VerifyBinlogEventsInterval\": \"50ms\"}}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    /**
     * After the copy: ADD COLUMN (then, once it reached the target, {@code onTarget}), updates setting it, DROP
     * COLUMN, RENAME TABLE and writes under the new name.
     */
    private RunHooks schemaChanges(String db, String... onTarget) {
        String t1 = "`" + db + "`.t1";
        return new RunHooks() {
            @Override
            public void rowCopyCompleted() throws InterruptedException {
                pair.source().exec("ALTER TABLE " + t1 + " ADD COLUMN extra VARCHAR(20) NOT NULL DEFAULT 'dflt' AFTER data");
                while (((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = 't1' AND COLUMN_NAME = 'extra'", db)).intValue() == 0) {
                    Thread.sleep(10);
                }
                if (onTarget.length > 0) {
                    pair.target().exec(onTarget);
                }
                pair.source().exec("UPDATE " + t1 + " SET extra = 'set' WHERE id <= 10",
                        "INSERT INTO " + t1 + " (data, extra, n) VALUES ('new', 'inserted', 1)",
                        "ALTER TABLE " + t1 + " DROP COLUMN n",
                        "UPDATE " + t1 + " SET data = 'after drop', extra = 'both' WHERE id BETWEEN 11 AND 20",
                        "RENAME TABLE `" + db + "`.t2 TO `" + db + "`.t2_renamed",
                        "UPDATE `" + db + "`.t2_renamed SET v = v + 100 WHERE id <= 5",
                        "DELETE FROM `" + db + "`.t2_renamed WHERE id = 6");
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline", "ChecksumTable"})
    void verificationFollowsAddedDroppedColumnsAndARenamedTable(String verifier) throws Exception {
        String db = seeded("ddl_ok_" + verifier);
        var config = config(db, verifier);
        try (var ferry = new Ferry(config, schemaChanges(db), Verifiers.create(config.verification()).orElseThrow())) {
            ferry.run();
            VerifierStatus v = ferry.status().verifier();
            assertTrue(v.done() && Boolean.TRUE.equals(v.correct()), v.toString());
        }
        pair.assertIdentical(db, "t1");
        pair.assertIdentical(db, "t2_renamed");
        assertEquals("set", pair.target().scalar("SELECT extra FROM `" + db + "`.t1 WHERE id = 3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline", "ChecksumTable"})
    void aCorruptedAddedColumnIsReported(String verifier) throws Exception {
        String db = seeded("ddl_bad_" + verifier);
        var config = config(db, verifier);
        // Row 100 is never written after the copy: only a comparison of the new column can find it.
        var hooks = schemaChanges(db, "UPDATE `" + db + "`.t1 SET extra = 'corrupt' WHERE id = 100");
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            DataMismatch e = assertThrows(DataMismatch.class, ferry::run);
            assertEquals(RunPhase.CUTOVER, ferry.phase());
            String expected = verifier.equals("ChecksumTable")
                    ? "cutover verification failed for: " + db + ".t1 [(type: table checksum difference, source: "
                    : "cutover verification failed for: " + db + ".t1 [PKs: 100 (type: rows checksum difference, source: "
                    + fingerprint(pair.source(), db, "t1", "id = 100") + ", target: "
                    + fingerprint(pair.target(), db, "t1", "id = 100") + ", column: extra) ];";
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
            assertTrue(!e.getMessage().contains("t2"), e.getMessage());
        }
    }

    /**
     * An online schema change tool's swap: a new table created and filled during the run, swapped in by one
     * RENAME of two tables, the old one dropped. The swapped-in table is compared under the old name with its new
     * column; a corruption of that column on the target is reported.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Iterative", "Inline"})
    void aTableSwappedInByRenameIsComparedUnderItsNewShape(String verifier) throws Exception {
        String db = seeded("ddl_swap_" + verifier);
        var config = config(db, verifier);
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() throws InterruptedException {
                pair.source().exec("USE `" + db + "`", "CREATE TABLE t2_new LIKE t2",
                        "ALTER TABLE t2_new ADD COLUMN w VARCHAR(10) NOT NULL DEFAULT 'w'",
                        "INSERT INTO t2_new (id, v) SELECT id, v FROM t2",
                        "RENAME TABLE t2 TO t2_old, t2_new TO t2", "DROP TABLE t2_old",
                        "UPDATE t2 SET w = 'set' WHERE id = 1");
                // Once the swap reached the target (t2 has w) and the last update too.
                while (((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = 't2' AND COLUMN_NAME = 'w'", db)).intValue() == 0
                        || !"set".equals(pair.target().scalar("SELECT w FROM `" + db + "`.t2 WHERE id = 1"))) {
                    Thread.sleep(10);
                }
                pair.target().exec("UPDATE `" + db + "`.t2 SET w = 'corrupt' WHERE id = 40");
            }
        };
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow())) {
            DataMismatch e = assertThrows(DataMismatch.class, ferry::run);
            assertEquals("cutover verification failed for: " + db + ".t2 [PKs: 40 (type: rows checksum difference, source: "
                    + fingerprint(pair.source(), db, "t2", "id = 40") + ", target: "
                    + fingerprint(pair.target(), db, "t2", "id = 40") + ", column: w) ]; the cutover was not completed "
                    + "(CutoverUnlock was not called): investigate the differences, then copy again or fix the rows",
                    e.getMessage());
        }
    }

    private static String fingerprint(TestServer server, String db, String table, String where) throws Exception {
        try (var c = server.connect()) {
            var id = new TableId(db, table);
            var schema = io.ferry.core.schema.SchemaLoader.loadOne(c, id);
            var flavor = io.ferry.core.db.ServerInfo.of(c).flavor();
            var fp = new RowFingerprint(schema, Set.of(), Set.of(), flavor, RowFingerprint.jsonTextColumns(c, id, flavor));
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + fp.expression() + " FROM " + id.sql()
                    + " WHERE " + where)) {
                return rs.next() ? rs.getString(1) : "-";
            }
        }
    }
}

package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source schema the target engine does not know: preflight lists what it maps, per object (collations, types,
 * defaults, attributes, constraints), creates the target with it, or refuses every definition it cannot translate
 * at once, naming each object; replicated schema changes are mapped or refused the same way. On a same-engine pair
 * the same schemas copy unchanged. Expectations depend on the pair (the source's own collations and features are
 * used), so every pair is asserted, none skipped.
 */
@MySqlPair
class SchemaCompatibilityIT {
    private final TestPair pair;
    private ServerInfo sourceServer;
    private ServerInfo targetServer;

    SchemaCompatibilityIT(TestPair pair) {
        this.pair = pair;
    }

    @BeforeEach
    void engines() throws SQLException {
        sourceServer = info(pair.source());
        targetServer = info(pair.target());
    }

    private static ServerInfo info(TestServer server) throws SQLException {
        try (var c = server.connect()) {
            return ServerInfo.of(c);
        }
    }

    private boolean mysqlToMariaDb() {
        return sourceServer.flavor() == ServerFlavor.MYSQL && targetServer.flavor() == ServerFlavor.MARIADB;
    }

    private boolean mariaDbToMySql() {
        return sourceServer.flavor() == ServerFlavor.MARIADB && targetServer.flavor() == ServerFlavor.MYSQL;
    }

    /** MariaDB 11.4 knows MySQL's 0900 names as aliases of its UCA 14.0.0 NO PAD collations. */
    private boolean targetHasMySqlAliases() {
        return ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.COLLATIONS "
                + "WHERE COLLATION_NAME = 'utf8mb4_0900_as_cs'")).intValue() == 1;
    }

    private String targetCollation(String db, String table, String column) {
        return (String) pair.target().scalar("SELECT COLLATION_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?", db, table, column);
    }

    private String targetColumn(String db, String table, String column, String what) {
        return String.valueOf(pair.target().scalar("SELECT " + what + " FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?", db, table, column));
    }

    /** The source engine's own spelling of a table that needs mapping on the other engine. */
    private String seededWithEngineFeatures(String hint) {
        String db = pair.newDatabase(hint);
        if (sourceServer.flavor() == ServerFlavor.MYSQL) {
            pair.source().exec("CREATE TABLE `" + db + "`.mapped (id VARCHAR(20) COLLATE utf8mb4_0900_as_cs NOT NULL "
                    + "PRIMARY KEY, name VARCHAR(20), bin VARCHAR(10) COLLATE utf8mb4_0900_bin, hidden INT INVISIBLE, "
                    + "place POINT NOT NULL SRID 4326, doc JSON, CONSTRAINT lax CHECK (name <> 'x') NOT ENFORCED)",
                    "INSERT INTO `" + db + "`.mapped (id, name, bin, hidden, place, doc) VALUES "
                            + "('a', 'x', 'a ', 1, ST_GeomFromText('POINT(1 2)', 4326), '{\"b\": 1, \"a\": [1.5, \"é\"]}'),"
                            + "('A', 'Ä', 'b', NULL, ST_GeomFromText('POINT(3 4)', 4326), NULL)");
        } else {
            pair.source().exec("CREATE TABLE `" + db + "`.mapped (id VARCHAR(20) COLLATE utf8mb4_uca1400_as_cs NOT NULL "
                    + "PRIMARY KEY, name VARCHAR(20) COLLATE utf8mb4_uca1400_ai_ci, bin VARCHAR(10) COLLATE "
                    + "utf8mb4_nopad_bin, doc JSON DEFAULT '{}', note TEXT DEFAULT 'none', token CHAR(36) DEFAULT uuid())",
                    "INSERT INTO `" + db + "`.mapped (id, name, bin, doc) VALUES "
                            + "('a', 'x', 'a ', '{\"b\":1,\"a\":[1.5,\"\\\\u00e9\"]}'), ('A', 'Ä', 'b', NULL)");
        }
        return db;
    }

    private static void assertHasLine(List<String> lines, String start) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(start)), "no line starting with '" + start + "' in:\n  "
                + String.join("\n  ", lines));
    }

    @Test
    void mappedDefinitionsAreListedPerObjectAndCreatedOnTheTarget() throws Exception {
        String db = seededWithEngineFeatures("mapped");
        var config = TestConfigs.copydb(pair, "", db);
        List<String> lines;
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            lines = ferry.plan().schemaMappings();
            ferry.run();
        }
        String t = db + ".mapped";
        if (mysqlToMariaDb()) {
            boolean aliases = targetHasMySqlAliases();
            String id = aliases ? "utf8mb4_0900_as_cs" : "utf8mb4_uca1400_nopad_as_cs";
            assertHasLine(lines, "warning: " + t + ".id: collation utf8mb4_0900_as_cs -> " + id + " (UCA 14.0.0 "
                    + "instead of MySQL's 9.0.0");
            assertHasLine(lines, t + ".bin: collation utf8mb4_0900_bin -> utf8mb4_nopad_bin (");
            assertHasLine(lines, t + ".hidden: attribute /*!80023 INVISIBLE */ -> INVISIBLE");
            assertHasLine(lines, t + ".place: attribute SRID 4326 -> (none)");
            assertHasLine(lines, "warning: " + t + ": constraint CONSTRAINT `lax` CHECK");
            assertHasLine(lines, t + ": collation utf8mb4_0900_ai_ci -> ");
            assertHasLine(lines, db + ": collation utf8mb4_0900_ai_ci -> ");
            assertEquals(7, lines.size(), String.join("\n", lines));
            assertEquals(id, targetCollation(db, "mapped", "id"));
            assertEquals("utf8mb4_nopad_bin", targetCollation(db, "mapped", "bin"));
            assertTrue(targetColumn(db, "mapped", "hidden", "EXTRA").contains("INVISIBLE"));
            assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS "
                    + "WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_NAME = 'lax'", db));
        } else if (mariaDbToMySql()) {
            assertHasLine(lines, "warning: " + t + ".id: collation utf8mb4_uca1400_as_cs -> utf8mb4_0900_as_cs (UCA 9.0.0");
            assertHasLine(lines, t + ".name: collation utf8mb4_uca1400_ai_ci -> utf8mb4_0900_ai_ci (UCA 9.0.0");
            assertHasLine(lines, t + ".bin: collation utf8mb4_nopad_bin -> utf8mb4_0900_bin (both compare code points");
            assertHasLine(lines, t + ".doc: type longtext CHECK (json_valid) -> json (");
            assertHasLine(lines, t + ".doc: default '{}' -> ('{}')");
            assertHasLine(lines, t + ".note: default 'none' -> ('none')");
            assertHasLine(lines, t + ".token: default uuid() -> (uuid())");
            assertEquals(7, lines.size(), String.join("\n", lines));
            assertEquals("utf8mb4_0900_as_cs", targetCollation(db, "mapped", "id"));
            assertEquals("json", targetColumn(db, "mapped", "doc", "DATA_TYPE"));
        } else {
            assertEquals(List.of(), lines, "a same-engine copy maps nothing");
            assertEquals(pair.source().scalar("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE "
                    + "TABLE_SCHEMA = ? AND TABLE_NAME = 'mapped' AND COLUMN_NAME = 'id'", db),
                    targetCollation(db, "mapped", "id"));
        }
        pair.assertEquivalent(db, "mapped");
    }

    /** Tables with what only the source's engine has: refused on the other engine, all at once; copied on the same. */
    @Test
    void definitionsTheTargetCannotTakeAreRefusedTogetherWithTheFix() throws Exception {
        String db = pair.newDatabase("refused");
        if (sourceServer.flavor() == ServerFlavor.MYSQL) {
            pair.source().exec("USE `" + db + "`",
                    "CREATE TABLE functional (id INT PRIMARY KEY, name VARCHAR(20), KEY lowered ((LOWER(name))))",
                    "CREATE TABLE japanese (id INT PRIMARY KEY, kana VARCHAR(20) COLLATE utf8mb4_ja_0900_as_cs)",
                    "CREATE TABLE uuids (id BINARY(16) NOT NULL DEFAULT (UUID_TO_BIN(UUID())) PRIMARY KEY)");
        } else {
            pair.source().exec("USE `" + db + "`",
                    "CREATE TABLE nopad (id INT PRIMARY KEY, code VARCHAR(20) COLLATE utf8mb4_general_nopad_ci)",
                    "CREATE TABLE aria (id INT PRIMARY KEY) ENGINE=Aria",
                    "CREATE TABLE guids (id INT PRIMARY KEY, g VARCHAR(40) DEFAULT (SYS_GUID()))");
        }
        var config = TestConfigs.copydb(pair, "", db);
        if (sourceServer.flavor() == targetServer.flavor()) {
            try (var ferry = new Ferry(config, RunHooks.NONE)) {
                assertEquals(List.of(), ferry.plan().schemaMappings());
                ferry.run();
            }
            return;
        }
        PreconditionFailed e;
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            e = assertThrows(PreconditionFailed.class, ferry::run);
        }
        String m = e.getMessage();
        assertTrue(m.startsWith("the target " + config.target().describe() + " cannot take 3 definition(s) of the "
                + "source as they are:\n  "), m);
        if (mysqlToMariaDb()) {
            assertTrue(m.contains("\n  " + db + ".functional index lowered: the index part (lower(`name`)) is an "
                    + "expression; MariaDB has no functional index parts."), m);
            assertTrue(m.contains("\n  " + db + ".japanese.kana: the collation utf8mb4_ja_0900_as_cs is unknown to "
                    + "MariaDB"), m);
            assertTrue(m.contains("\n  " + db + ".uuids: MariaDB " + targetServer.major() + "." + targetServer.minor()
                    + " cannot create it from the source's definition: "), m);
            assertTrue(m.toLowerCase().contains("uuid_to_bin"), m);
        } else {
            assertTrue(m.contains("\n  " + db + ".nopad.code: the collation utf8mb4_general_nopad_ci is unknown to "
                    + "MySQL 8.0 and has no equivalent there"), m);
            assertTrue(m.contains("\n  " + db + ".aria: the storage engine Aria is not available on MySQL 8.0."), m);
            assertTrue(m.contains("\n  " + db + ".guids: MySQL 8.0 cannot create it from the source's definition: "), m);
            assertTrue(m.toLowerCase().contains("sys_guid"), m);
        }
        assertTrue(m.endsWith("fix these on the source, leave the tables out (Tables.Blacklist), or create the target "
                + "tables yourself and set AllowExistingTargetTable."), m);
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                db), "nothing was created");
    }

    @Test
    void theChecksumTableVerifierIsRefusedAcrossEngines() throws Exception {
        String db = pair.newDatabase("checksum");
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY)", "INSERT INTO `" + db + "`.t VALUES (1)");
        var config = TestConfigs.copydb(pair, "\"VerifierType\": \"ChecksumTable\"", db);
        try (var ferry = new Ferry(config, RunHooks.NONE)) {
            if (sourceServer.flavor() == targetServer.flavor()) {
                ferry.plan();
                return;
            }
            PreconditionFailed e = assertThrows(PreconditionFailed.class, ferry::plan);
            assertTrue(e.getMessage().startsWith("\"VerifierType\": \"ChecksumTable\" cannot verify a copy from "), e.getMessage());
            assertTrue(e.getMessage().endsWith("Use \"VerifierType\": \"Iterative\" or \"Inline\", whose row fingerprints "
                    + "are equal for equal data on every engine"), e.getMessage());
        }
    }

    @Test
    void replicatedSchemaChangesAreMapped() throws Exception {
        String db = pair.newDatabase("ddl_mapped");
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + db + "`.t VALUES (1, 'one')");
        String collation = sourceServer.flavor() == ServerFlavor.MYSQL ? "utf8mb4_0900_as_ci" : "utf8mb4_uca1400_as_ci";
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec("ALTER TABLE `" + db + "`.t ADD COLUMN w VARCHAR(10) COLLATE " + collation,
                        "INSERT INTO `" + db + "`.t VALUES (2, 'two', 'Zwei')");
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"ReplicateSchemaChanges\": true", db), hooks)) {
            ferry.run();
        }
        String expected = !mysqlToMariaDb() && !mariaDbToMySql() ? collation
                : mysqlToMariaDb() ? (targetHasMySqlAliases() ? collation : "utf8mb4_uca1400_nopad_as_ci")
                : "utf8mb4_0900_as_ci";
        assertEquals(expected, targetCollation(db, "t", "w"));
        pair.assertEquivalent(db, "t");
    }

    @Test
    void aReplicatedSchemaChangeTheTargetCannotTakeStopsTheRunBeforeIt() throws Exception {
        String db = pair.newDatabase("ddl_refused");
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + db + "`.t VALUES (1, 'one')");
        String change = sourceServer.flavor() == ServerFlavor.MYSQL
                ? "ALTER TABLE `" + db + "`.t ADD INDEX lowered ((LOWER(v)))"
                : "ALTER TABLE `" + db + "`.t ADD COLUMN code VARCHAR(5) COLLATE utf8mb4_general_nopad_ci";
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                pair.source().exec(change, "INSERT INTO `" + db + "`.t (id, v) VALUES (2, 'two')");
            }
        };
        var config = TestConfigs.copydb(pair, "\"ReplicateSchemaChanges\": true", db);
        if (sourceServer.flavor() == targetServer.flavor()) {
            try (var ferry = new Ferry(config, hooks)) {
                ferry.run();
            }
            pair.assertEquivalent(db, "t");
            return;
        }
        RunFailed e;
        try (var ferry = new Ferry(config, hooks)) {
            e = assertThrows(RunFailed.class, ferry::run);
        }
        String m = e.getMessage();
        assertTrue(m.contains("cannot replicate "), m);
        assertTrue(m.contains(mysqlToMariaDb() ? db + ".t index lowered: the index part (LOWER(v)) is an expression"
                : db + ".t.code: the collation utf8mb4_general_nopad_ci is unknown to MySQL 8.0"), m);
        assertTrue(m.contains("ferry stopped before applying anything after it"), m);
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM `" + db + "`.t WHERE id = 2"),
                "the row after the refused change was not applied");
    }
}

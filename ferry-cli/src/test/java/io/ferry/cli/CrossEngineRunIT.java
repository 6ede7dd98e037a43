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
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole runs between any two engines (written for MySQL 8.0 to and from MariaDB 10.11 and 11.4, and true on
 * same-engine pairs): one table per family of values, in the source engine's own default collations, copied while
 * the source changes them (so rows also arrive through the binlog), then verified by the Inline and the Iterative
 * verifier and by {@code ferry verify} without a false difference, although each engine prints JSON its own way and
 * the target has other collations; and a real difference is still found.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class CrossEngineRunIT {
    private static final int ROWS = 120;
    private static final List<String> TABLES = List.of("numbers", "temporal", "texts", "docs", "blobs", "log");
    private static final String[] DOCS = {"{\"b\": 1, \"a\": [1.5, \"x\", true, null]}", "{\"n\": 1e2, \"m\": 100.0}",
            "{\"big\": 12345678901234567890, \"neg\": -0.0}", "[]", "\"text\"", "{\"\\u00e9\": \"caf\\u00e9 😀\"}", "null",
            "{\"nested\": {\"z\": false, \"y\": [[], {}]}, \"d\": 0.1}", "3.25", "{\"quote\": \"a\\\"b\\\\c\"}"};
    private final TestPair pair;
    @TempDir
    Path dir;

    CrossEngineRunIT(TestPair pair) {
        this.pair = pair;
    }

    private static ServerFlavor flavor(TestServer server) {
        try (var c = server.connect()) {
            return ServerInfo.of(c).flavor();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source engine's UCA collation: what the target must map (MariaDB 11.4's aliases aside). */
    private String ucaCollation() {
        return flavor(pair.source()) == ServerFlavor.MYSQL ? "utf8mb4_0900_ai_ci" : "utf8mb4_uca1400_ai_ci";
    }

    private static String doc(int i) {
        return DOCS[i % DOCS.length].replace("\\", "\\\\").replace("'", "''"); // as an SQL string literal
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("ALTER DATABASE `" + db + "` COLLATE " + ucaCollation(), "USE `" + db + "`",
                "CREATE TABLE numbers (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,"
                        + " de DECIMAL(30,10), fl FLOAT, db DOUBLE, bt BIT(10))",
                "CREATE TABLE temporal (id INT PRIMARY KEY, d DATE, t TIME(6), dt DATETIME(6), ts TIMESTAMP(3) NULL, y YEAR)",
                "CREATE TABLE texts (k VARCHAR(40) NOT NULL PRIMARY KEY, u4 VARCHAR(40), u3 VARCHAR(40) CHARACTER SET "
                        + "utf8mb3, l1 VARCHAR(40) CHARACTER SET latin1, ch CHAR(8), tx TEXT, en ENUM('a','b','c'), "
                        + "st SET('x','y','z'))",
                "CREATE TABLE docs (id INT PRIMARY KEY, j JSON, label VARCHAR(20))",
                "CREATE TABLE blobs (id INT PRIMARY KEY, bn BINARY(4), vb VARBINARY(10), bl BLOB, g GEOMETRY)",
                "CREATE TABLE log (at INT NOT NULL, j JSON)");
        pair.source().insertRows("`" + db + "`.numbers", "id, ti, tu, bi, bu, de, fl, db, bt", ROWS, i -> "(" + i + ", " + (i % 256 - 128)
                + ", " + (i % 256) + ", " + (-i * 1_000_000_007L) + ", " + (i == 1 ? "18446744073709551615" : i * 3) + ", "
                + i + ".0123456789, " + (i / 7.0) + ", " + (i == 2 ? "-0.0" : i / 3.0 + "e-5") + ", b'" + Integer.toBinaryString(i) + "')");
        pair.source().insertRows("`" + db + "`.temporal", "id, d, t, dt, ts, y", ROWS, i -> "(" + i + ", DATE'2020-02-29' + INTERVAL "
                + i + " DAY, '-" + i + ":05:06.000007', TIMESTAMP'2001-02-03 04:05:06.123456' + INTERVAL " + i
                + " MINUTE, TIMESTAMP'2021-01-01 00:00:00.125' + INTERVAL " + i + " HOUR, " + (1901 + i) + ")");
        pair.source().insertRows("`" + db + "`.texts", "k, u4, u3, l1, ch, tx, en, st", ROWS, i -> "('" + (i % 2 == 0 ? "Ké-" : "ke-")
                + i + "', 'ünï 😀 " + i + "', 'drei ß " + i + "', 'caf\\xe9 " + i + "', 'c" + i + " ', REPEAT('t', " + i
                + "), '" + "abc".charAt(i % 3) + "', '" + (i % 2 == 0 ? "x,z" : "") + "')");
        pair.source().insertRows("`" + db + "`.docs", "id, j, label", ROWS, i -> "(" + i + ", '" + doc(i) + "', 'd" + i + "')");
        pair.source().insertRows("`" + db + "`.blobs", "id, bn, vb, bl, g", ROWS, i -> "(" + i + ", X'0A0B', X'00FF" + String.format("%02X", i)
                + "', REPEAT(X'01', " + i + "), ST_GeomFromText('POINT(" + i + " " + -i + ")'))");
        pair.source().insertRows("`" + db + "`.log", "at, j", 30, i -> "(" + (i % 10) + ", '" + doc(i % 10) + "')");
        return db;
    }

    /** Changes of every table while the run is live: they reach the target through the binlog. */
    private void change(String db) {
        pair.source().exec("USE `" + db + "`",
                "UPDATE numbers SET fl = fl * 2, db = -db, bt = b'1111111111', bu = bu + 1 WHERE id % 5 = 0",
                "INSERT INTO numbers (id, de, fl) VALUES (10001, -0.5, 1.5e-7)",
                "DELETE FROM numbers WHERE id = 7",
                "UPDATE temporal SET dt = dt + INTERVAL 1 SECOND, t = '838:59:58.999999' WHERE id % 5 = 0",
                "INSERT INTO temporal (id, ts) VALUES (10001, '2038-01-19 03:14:07.999')",
                "UPDATE texts SET u4 = CONCAT(u4, ' 🎉'), u3 = 'Straße', st = 'x,y,z' WHERE k LIKE 'ke-1%'",
                "UPDATE texts SET k = CONCAT('moved-', k) WHERE k IN ('ke-3', 'Ké-4')",
                "INSERT INTO texts (k, u4) VALUES ('Ärger', 'neu')",
                "DELETE FROM texts WHERE k = 'ke-5'",
                "UPDATE docs SET j = JSON_SET(COALESCE(j, '{}'), '$.touched', 1.5) WHERE id % 4 = 0 AND JSON_TYPE(j) = 'OBJECT'",
                "UPDATE docs SET label = 'relabelled' WHERE id % 3 = 0",
                "INSERT INTO docs (id, j) VALUES (10001, '{\"z\": 1, \"a\": {\"k\": [0.5, 2e3]}}')",
                "DELETE FROM docs WHERE id = 11",
                "UPDATE blobs SET vb = X'', bl = NULL, g = ST_GeomFromText('LINESTRING(0 0, 1 1)') WHERE id % 5 = 0",
                "INSERT INTO log (at, j) VALUES (99, '{\"late\": true}')",
                "DELETE FROM log WHERE at = 3 LIMIT 1");
    }

    private CopydbConfig config(String db, String verifier) {
        return ConfigLoader.parse(configJson(db, verifier), Map.of(), Path.of("."));
    }

    private String configJson(String db, String verifier) {
        return "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": "
                + server(pair.target().endpoint()) + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}, "
                + "\"AutomaticCutover\": true, \"DataIterationBatchSize\": 25, \"VerifierType\": \"" + verifier + "\", "
                + "\"InlineVerifierConfig\": {\"VerifyBinlogEventsInterval\": \"100ms\"}, "
                + "\"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\"" + db + "\": [\"log\"]}}}";
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private static Ferry ferry(CopydbConfig config, RunHooks hooks) {
        return new Ferry(config, hooks, io.ferry.verify.Verifiers.create(config.verification()).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Inline", "Iterative"})
    void everyFamilyCopiesAndVerifiesWithoutAFalseDifference(String verifier) throws Exception {
        String db = seeded("cross_" + verifier);
        RunHooks hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                change(db);
            }
        };
        try (var ferry = ferry(config(db, verifier), hooks)) {
            ferry.run();
            VerifierStatus v = ferry.status().verifier();
            assertTrue(v.done() && Boolean.TRUE.equals(v.correct()), v.toString());
        }
        for (String table : TABLES) {
            pair.assertEquivalent(db, table);
        }
        Path file = Files.createTempFile(dir, "verify", ".json");
        Files.writeString(file, "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": "
                + server(pair.target().endpoint()) + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}}");
        MainTest.Result verified = MainTest.run("verify", file.toString());
        assertEquals(0, verified.exit(), verified.out() + verified.err());
        assertTrue(verified.out().contains("the target matches the source"), verified.out());
    }

    /**
     * A replicated schema change of a table keyed in a mapped collation, while it is being copied: the copy starts
     * again and the verifiers compare it under its new shape, querying the source in the source's collation.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Inline", "Iterative"})
    void aSchemaChangeOfATableKeyedInAMappedCollationIsFollowed(String verifier) throws Exception {
        String db = seeded("cross_ddl_" + verifier);
        RunHooks hooks = new RunHooks() {
            private boolean altered;

            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (table.table().equals("texts") && !altered) {
                    altered = true;
                    pair.source().exec("ALTER TABLE `" + db + "`.texts ADD COLUMN extra VARCHAR(10) COLLATE "
                                    + ucaCollation() + " DEFAULT 'n'",
                            "UPDATE `" + db + "`.texts SET extra = 'Ü' WHERE k LIKE 'ke-%'");
                }
            }

            @Override
            public void rowCopyCompleted() {
                change(db);
            }
        };
        String extra = "\"ReplicateSchemaChanges\": true";
        CopydbConfig config = ConfigLoader.parse(configJson(db, verifier).replaceFirst("\\{", "{" + extra + ", "),
                Map.of(), Path.of("."));
        try (var ferry = ferry(config, hooks)) {
            ferry.run();
            VerifierStatus v = ferry.status().verifier();
            assertTrue(v.done() && Boolean.TRUE.equals(v.correct()), v.toString());
        }
        pair.assertEquivalent(db, "texts");
    }

    @Test
    void aRealDifferenceIsStillFoundAcrossEngines() throws Exception {
        String db = seeded("cross_difference");
        RunHooks hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                // One key element and one collation-equal letter differ; each engine's text of the rest still agrees.
                pair.target().exec("UPDATE `" + db + "`.docs SET j = '{\"b\": 1, \"a\": [1.5, \"y\", true, null]}' "
                                + "WHERE id = 10",
                        "UPDATE `" + db + "`.texts SET u4 = 'UNI' WHERE k = 'Ké-2'",
                        "UPDATE `" + db + "`.log SET j = '{\"late\": false}' WHERE at = 4 LIMIT 1");
            }
        };
        DataMismatch e;
        try (var ferry = ferry(config(db, "Iterative"), hooks)) {
            e = assertThrows(DataMismatch.class, ferry::run);
        }
        String m = e.getMessage();
        assertTrue(m.startsWith("cutover verification failed for: "), m);
        assertTrue(m.contains(db + ".docs [PKs: 10 (type: rows checksum difference, source: "), m);
        assertTrue(m.contains(", column: j)"), m);
        assertTrue(m.contains(db + ".texts [PKs: Ké-2 (type: rows checksum difference, source: "), m);
        assertTrue(m.contains(", column: u4)"), m);
        assertTrue(m.contains(db + ".log [(type: rows missing on "), m);
        assertTrue(m.contains("(type: rows missing on target, source: "), m);
        assertTrue(m.contains("(type: rows missing on source, source: -, target: "), m);
    }
}

package io.ferry.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.VerificationResult;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The read-only comparison behind {@code ferry verify} (the Iterative verifier's full scan) on tables set up by
 * hand on both servers: every key shape, every kind of difference with its exact message, and the fingerprint's
 * normalisation rules (NULL vs '' vs 'NULL', -0.0, JSON, utf8mb3 vs utf8mb4, SNAPPY, ignored columns).
 */
@MySqlPair
class FingerprintComparisonIT {
    private final TestPair pair;

    FingerprintComparisonIT(TestPair pair) {
        this.pair = pair;
    }

    private String fresh(String hint) {
        String db = pair.newDatabase(hint);
        pair.target().exec("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
        return db;
    }

    private CopydbConfig config(String db, String extra) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": " + server(pair.target().endpoint())
                + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]}" + (extra.isEmpty() ? "" : ", " + extra) + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private VerificationResult verify(String db, String extra) throws Exception {
        return new StandaloneVerification(config(db, extra)).run();
    }

    private void both(String db, String... statements) {
        for (String s : statements) {
            pair.source().exec("USE `" + db + "`", s);
            pair.target().exec("USE `" + db + "`", s);
        }
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    /** The row fingerprint the server computes for {@code row} of {@code table}, for expected messages. */
    private String fingerprint(io.ferry.testing.TestServer server, String db, String table, String where) throws Exception {
        try (var c = server.connect()) {
            var schema = io.ferry.core.schema.SchemaLoader.loadOne(c, new io.ferry.core.TableId(db, table));
            var fp = new io.ferry.core.sql.RowFingerprint(schema, java.util.Set.of(), java.util.Set.of(),
                    io.ferry.core.db.ServerInfo.of(c).flavor());
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT " + fp.expression() + " FROM `" + db
                    + "`.`" + table + "` WHERE " + where)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void identicalTablesOfEveryKeyShapeMatch() throws Exception {
        String db = fresh("shapes");
        both(db,
                "CREATE TABLE signed_int (k INT NOT NULL PRIMARY KEY, v TEXT)",
                "INSERT INTO signed_int VALUES (-2147483648, 'a'), (-1, NULL), (0, ''), (1, 'NULL'), (2147483647, 'z')",
                "CREATE TABLE ci_text (k VARCHAR(20) COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY, v INT)",
                "INSERT INTO ci_text VALUES ('é', 1), ('F ', 2), ('g', 3), ('', 4), ('Zz', 5)",
                "CREATE TABLE uuid (k VARBINARY(16) NOT NULL PRIMARY KEY, v INT)",
                "INSERT INTO uuid VALUES (X'', 1), (X'00', 2), (X'0000', 3), (X'FF', 4), (X'7F00', 5)",
                "CREATE TABLE composite (a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_german1_ci NOT NULL, "
                        + "b INT NOT NULL, v DOUBLE, PRIMARY KEY (a, b))",
                "INSERT INTO composite VALUES ('ä', -1, 0.5), ('a', 1, -0.0), ('B', 0, 1e300), ('b', 2, NULL)",
                "CREATE TABLE unique_only (id INT NULL, code BINARY(4) NOT NULL, v JSON, UNIQUE KEY (code))",
                "INSERT INTO unique_only VALUES (NULL, 'ab', '{\"a\": [1, 2]}'), (1, 'a\\0\\0z', 'null')");
        VerificationResult r = verify(db, "\"IterativeVerifierConfig\": {\"Concurrency\": 2}");
        assertTrue(r.dataCorrect(), r.message());
    }

    @Test
    void everyDifferenceIsReportedWithItsKeyKindAndBothFingerprints() throws Exception {
        String db = fresh("diffs");
        both(db, "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, a VARCHAR(10), b INT)");
        for (int i = 1; i <= 2500; i++) {
            // more rows than one key range, so differences lie in several ranges
            if (i % 500 == 1) {
                StringBuilder values = new StringBuilder();
                for (int j = i; j < i + 500; j++) {
                    values.append(j == i ? "" : ",").append("(").append(j).append(", 'x").append(j).append("', ").append(j).append(")");
                }
                both(db, "INSERT INTO t VALUES " + values);
            }
        }
        pair.target().exec("DELETE FROM `" + db + "`.t WHERE id = 2",
                "UPDATE `" + db + "`.t SET b = -3 WHERE id = 1500",
                "INSERT INTO `" + db + "`.t VALUES (9999, 'extra', 0)",
                "UPDATE `" + db + "`.t SET a = 'changed', b = 0 WHERE id = 2500");
        VerificationResult r = verify(db, "");
        assertFalse(r.dataCorrect());
        String s2 = fingerprint(pair.source(), db, "t", "id = 2");
        String s1500 = fingerprint(pair.source(), db, "t", "id = 1500");
        String t1500 = fingerprint(pair.target(), db, "t", "id = 1500");
        String s2500 = fingerprint(pair.source(), db, "t", "id = 2500");
        String t2500 = fingerprint(pair.target(), db, "t", "id = 2500");
        String t9999 = fingerprint(pair.target(), db, "t", "id = 9999");
        assertEquals("verification failed for: " + db + ".t [PKs: "
                + "2 (type: row missing on target, source: " + s2 + ", target: -) "
                + "1500 (type: rows checksum difference, source: " + s1500 + ", target: " + t1500 + ", column: b) "
                + "2500 (type: rows checksum difference, source: " + s2500 + ", target: " + t2500 + ", columns: a, b) "
                + "9999 (type: row missing on source, source: -, target: " + t9999 + ") ] ", r.message());
        assertEquals(List.of(db + ".t"), r.incorrectTables());
        assertEquals(List.of(Mismatch.Kind.MISSING_ON_TARGET, Mismatch.Kind.CHECKSUM_DIFFERENCE,
                Mismatch.Kind.CHECKSUM_DIFFERENCE, Mismatch.Kind.MISSING_ON_SOURCE),
                r.mismatches().stream().map(Mismatch::kind).toList());
    }

    @Test
    void differencesAreFoundForCompositeStringAndBinaryKeys() throws Exception {
        String db = fresh("keys");
        both(db,
                "CREATE TABLE composite (a VARCHAR(10) COLLATE utf8mb4_unicode_ci NOT NULL, b INT NOT NULL, v INT, PRIMARY KEY (a, b))",
                "INSERT INTO composite VALUES ('é', -5, 1), ('e', 7, 2), ('x', 0, 3)",
                "CREATE TABLE bin (k VARBINARY(8) NOT NULL PRIMARY KEY, v INT)",
                "INSERT INTO bin VALUES (X'00', 1), (X'0000', 2), (X'FF', 3)");
        pair.target().exec("USE `" + db + "`", "UPDATE composite SET v = 9 WHERE a = 'é' AND b = -5",
                "DELETE FROM bin WHERE k = X'0000'", "INSERT INTO bin VALUES (X'00FF', 4)");
        VerificationResult r = verify(db, "");
        assertEquals(List.of(db + ".bin", db + ".composite"), r.incorrectTables(), r.message());
        assertEquals(List.of("0x0000", "0x00FF", "(é, -5)"), r.mismatches().stream().map(Mismatch::key).toList());
        assertEquals(List.of(Mismatch.Kind.MISSING_ON_TARGET, Mismatch.Kind.MISSING_ON_SOURCE,
                Mismatch.Kind.CHECKSUM_DIFFERENCE), r.mismatches().stream().map(Mismatch::kind).toList());
    }

    /** One table per case, the source row and the target row given as VALUES; returns which tables differ. */
    private List<String> differing(String db, String columns, Map<String, String[]> cases) throws Exception {
        for (var e : cases.entrySet()) {
            both(db, "CREATE TABLE " + e.getKey() + " (id INT NOT NULL PRIMARY KEY, " + columns + ")");
            pair.source().exec("INSERT INTO `" + db + "`." + e.getKey() + " VALUES " + e.getValue()[0]);
            pair.target().exec("INSERT INTO `" + db + "`." + e.getKey() + " VALUES " + e.getValue()[1]);
        }
        return verify(db, "").incorrectTables().stream().map(t -> t.substring(db.length() + 1)).sorted().toList();
    }

    @Test
    void nullEmptyStringAndTheTextNullAreToldApart() throws Exception {
        String db = fresh("nulls");
        assertEquals(List.of("null_vs_empty", "null_vs_null_string", "nulls_in_different_columns"),
                differing(db, "a VARCHAR(10), b VARCHAR(10)", Map.of(
                        "null_vs_null", new String[] {"(1, NULL, 'x')", "(1, NULL, 'x')"},
                        "null_vs_empty", new String[] {"(1, NULL, 'x')", "(1, '', 'x')"},
                        "null_vs_null_string", new String[] {"(1, NULL, 'x')", "(1, 'NULL', 'x')"},
                        "nulls_in_different_columns", new String[] {"(1, NULL, 'data')", "(1, 'data', NULL)"})));
    }

    @Test
    void negativeZeroEqualsZeroButOtherNumbersDiffer() throws Exception {
        String db = fresh("zeros");
        assertEquals(List.of("zero_vs_one"), differing(db, "f FLOAT, d DOUBLE", Map.of(
                "negative_zero", new String[] {"(1, -0.0, -0.0)", "(1, 0.0, 0.0)"},
                "zero_vs_one", new String[] {"(1, 0.0, 0)", "(1, 1.0, 0)"},
                "fractions", new String[] {"(1, 0.1, 0.1)", "(1, 0.1, 0.1)"})));
    }

    @Test
    void jsonIsComparedAsJson() throws Exception {
        String db = fresh("json");
        assertEquals(List.of("different_value"), differing(db, "j JSON", Map.of(
                "reordered_and_spaced", new String[] {"(1, '{\"a\":1,\"b\":[1,2]}')", "(1, '{ \"b\": [1, 2], \"a\": 1 }')"},
                "different_value", new String[] {"(1, '{\"a\": 1}')", "(1, '{\"a\": 2}')"})));
    }

    @Test
    void equalTextInUtf8mb3AndUtf8mb4ColumnsMatchEvenAsKeys() throws Exception {
        String db = fresh("charsets");
        pair.source().exec("USE `" + db + "`", "CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb3 COLLATE "
                + "utf8mb3_general_ci NOT NULL PRIMARY KEY, v TEXT CHARACTER SET utf8mb3)",
                "INSERT INTO t VALUES ('a', 'ascii'), ('é', 'héllo ☃'), ('Z', 'z'), ('ü', 'ü')");
        pair.target().exec("USE `" + db + "`", "CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE "
                + "utf8mb4_unicode_ci NOT NULL PRIMARY KEY, v TEXT CHARACTER SET utf8mb4)",
                "INSERT INTO t VALUES ('a', 'ascii'), ('é', 'héllo ☃'), ('Z', 'z'), ('ü', 'ü')");
        assertTrue(verify(db, "").dataCorrect());
        pair.target().exec("UPDATE `" + db + "`.t SET v = 'hello ☃' WHERE k = 'é'");
        VerificationResult r = verify(db, "");
        assertEquals(List.of("é"), r.mismatches().stream().map(Mismatch::key).toList(), r.message());
    }

    /** A valid SNAPPY block of {@code plain} made of literals only: other bytes than Snappy.compress writes. */
    private static byte[] literalSnappy(byte[] plain) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(plain.length); // varint, plain.length < 128
        out.write((plain.length - 1) << 2); // literal tag, length <= 60
        out.writeBytes(plain);
        return out.toByteArray();
    }

    @Test
    void compressedColumnsAreComparedDecompressed() throws Exception {
        String db = fresh("snappy");
        both(db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, data BLOB)");
        byte[] same = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] other = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = Snappy.compress(same);
        byte[] literal = literalSnappy(same);
        assertFalse(java.util.Arrays.equals(compressed, literal));
        pair.source().exec("INSERT INTO `" + db + "`.t VALUES (1, X'" + HexFormat.of().formatHex(compressed) + "'), "
                + "(2, X'" + HexFormat.of().formatHex(compressed) + "')");
        pair.target().exec("INSERT INTO `" + db + "`.t VALUES (1, X'" + HexFormat.of().formatHex(literal) + "'), "
                + "(2, X'" + HexFormat.of().formatHex(Snappy.compress(other)) + "')");
        String compression = "\"CompressedColumnsForVerification\": {\"" + db + "\": {\"t\": {\"data\": \"SNAPPY\"}}}";
        VerificationResult r = verify(db, compression);
        assertEquals("verification failed for: " + db + ".t [PKs: 2 (type: column value difference, source: "
                + md5(same) + ", target: " + md5(other) + ", column: data) ] ", r.message());
        assertFalse(verify(db, "").mismatches().isEmpty(), "compared raw, the different bytes of row 1 differ too");
        assertEquals(2, verify(db, "").mismatches().size());
    }

    @Test
    void ignoredColumnsAndTablesAreLeftOut() throws Exception {
        String db = fresh("ignored");
        both(db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, data TEXT, updated_at DATETIME)",
                "CREATE TABLE skipped (id INT NOT NULL PRIMARY KEY, v INT)",
                "INSERT INTO skipped VALUES (1, 1)");
        pair.source().exec("INSERT INTO `" + db + "`.t VALUES (1, 'same', '2020-01-01 00:00:00')");
        pair.target().exec("INSERT INTO `" + db + "`.t VALUES (1, 'same', '2021-01-01 00:00:00')",
                "UPDATE `" + db + "`.skipped SET v = 2");
        assertEquals(List.of(db + ".skipped", db + ".t"), verify(db, "").incorrectTables());
        assertTrue(verify(db, "\"IgnoredColumnsForVerification\": {\"" + db + "\": {\"t\": {\"updated_at\": {}}}}, "
                + "\"VerifierType\": \"Iterative\", \"IterativeVerifierConfig\": {\"IgnoredTables\": [\"skipped\"]}")
                .dataCorrect());
        assertTrue(verify(db, "\"VerifierType\": \"Iterative\", \"IterativeVerifierConfig\": {\"IgnoredTables\": "
                + "[\"skipped\"], \"IgnoredColumns\": {\"t\": [\"updated_at\"]}}").dataCorrect());
    }

    @Test
    void forcedIndexIsUsedByTheFingerprintQueries() throws Exception {
        String db = fresh("force");
        both(db, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT, KEY by_v (v))", "INSERT INTO t VALUES (1, 1), (2, 2)");
        assertTrue(verify(db, "\"ForceIndexForVerification\": {\"" + db + "\": {\"t\": \"by_v\"}}").dataCorrect());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.ferry.core.RunFailed.class,
                () -> verify(db, "\"ForceIndexForVerification\": {\"" + db + "\": {\"t\": \"no_such_index\"}}"));
        assertTrue(e.getMessage().contains("no_such_index"), e.getMessage());
    }

    @Test
    void checksumTableComparesWholeTables() throws Exception {
        String db = fresh("checksum");
        both(db, "CREATE TABLE same (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO same VALUES (1, 1), (2, 2)",
                "CREATE TABLE differs (id INT NOT NULL PRIMARY KEY, v INT)", "INSERT INTO differs VALUES (1, 1)");
        pair.target().exec("UPDATE `" + db + "`.differs SET v = 2");
        String checksum = "\"VerifierType\": \"ChecksumTable\"";
        VerificationResult r = verify(db, checksum);
        assertEquals(List.of(db + ".differs"), r.incorrectTables(), r.message());
        assertEquals(Mismatch.Kind.TABLE_CHECKSUM_DIFFERENCE, r.mismatches().getFirst().kind());
        String src = pair.source().query("CHECKSUM TABLE `" + db + "`.differs EXTENDED").getFirst().get(1).toString();
        String tgt = pair.target().query("CHECKSUM TABLE `" + db + "`.differs EXTENDED").getFirst().get(1).toString();
        assertEquals("verification failed for: " + db + ".differs [(type: table checksum difference, source: " + src
                + ", target: " + tgt + ") ] ", r.message());
        pair.target().exec("UPDATE `" + db + "`.differs SET v = 1");
        assertTrue(verify(db, checksum).dataCorrect());
    }

    @Test
    void aTableMissingOnTheTargetIsReported() throws Exception {
        String db = fresh("missing");
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT NOT NULL PRIMARY KEY)", "INSERT INTO `" + db + "`.t VALUES (1)");
        VerificationResult r = verify(db, "");
        assertEquals("verification failed for: " + db + ".t [(type: table missing on target) ] ", r.message());
    }

    @Test
    void tablesWithoutAKeyAreComparedAsMultisetsOfRowFingerprints() throws Exception {
        String db = fresh("keyless");
        both(db, "CREATE TABLE dups (a INT, b VARCHAR(10), f DOUBLE)",
                "INSERT INTO dups VALUES (1, 'x', 0), (1, 'x', 0), (1, 'x', 0), (2, NULL, 1.5), (2, NULL, 1.5), (3, '', -0.0)");
        pair.target().exec("UPDATE `" + db + "`.dups SET f = 0 WHERE a = 3"); // -0.0 and 0 fingerprint alike
        assertTrue(verify(db, "").dataCorrect(), "duplicates on both sides match");

        // One duplicate fewer on the target, one row that exists only there.
        pair.target().exec("DELETE FROM `" + db + "`.dups WHERE a = 1 LIMIT 1", "INSERT INTO `" + db + "`.dups VALUES (4, 'y', 0)");
        VerificationResult r = verify(db, "");
        assertFalse(r.dataCorrect());
        String dup = fingerprint(pair.source(), db, "dups", "a = 1 LIMIT 1");
        String extra = fingerprint(pair.target(), db, "dups", "a = 4");
        var expected = new java.util.ArrayList<>(List.of(
                new Mismatch(new io.ferry.core.TableId(db, "dups"), "", Mismatch.Kind.ROWS_MISSING_ON_TARGET,
                        dup + " x3", dup + " x2", List.of()),
                new Mismatch(new io.ferry.core.TableId(db, "dups"), "", Mismatch.Kind.ROWS_MISSING_ON_SOURCE,
                        "", extra + " x1", List.of())));
        expected.sort(java.util.Comparator.comparing(m -> m.kind() == Mismatch.Kind.ROWS_MISSING_ON_TARGET ? dup : extra));
        assertEquals(expected, r.mismatches(), "in fingerprint order");
        assertTrue(r.message().startsWith("verification failed for: " + db + ".dups [(type: rows missing on "), r.message());
        assertTrue(r.message().contains("(type: rows missing on target, source: " + dup + " x3, target: " + dup + " x2)"),
                r.message());
        assertTrue(r.message().contains("(type: rows missing on source, source: -, target: " + extra + " x1)"), r.message());

        var checksum = verify(db, "\"VerifierType\": \"ChecksumTable\"");
        assertTrue(checksum.message().startsWith("verification failed for: " + db + ".dups [(type: table checksum difference"),
                checksum.message());
    }
}

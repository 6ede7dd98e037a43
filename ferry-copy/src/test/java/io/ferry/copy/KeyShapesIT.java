package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables of every supported key shape, copied while a writer inserts, updates, deletes and changes keys, for each
 * lock strategy and in both orders; afterwards every table on the target equals the source. Batches of 7 rows make
 * each table take many batches.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class KeyShapesIT {
    private static final int ROWS = 120;
    private final TestPair pair;
    private final NoPad noPad;

    KeyShapesIT(TestPair pair) {
        this.pair = pair;
        this.noPad = NoPad.of(pair.source().info().isMariaDb(), pair.target().info().isMariaDb());
    }

    /**
     * The NO PAD collation of {@code nopad_varchar}, one the source has and ferry creates on the target: MySQL's UCA
     * 9.0 {@code utf8mb4_0900_as_cs} (case- and accent-sensitive, ordered unlike the bytes; MariaDB gets its UCA 14.0.0
     * equivalent), MariaDB's {@code utf8mb4_unicode_nopad_ci} between MariaDB servers, and from MariaDB to MySQL
     * {@code utf8mb4_uca1400_nopad_as_cs}, which MySQL has as {@code utf8mb4_0900_as_cs}. MySQL has no NO PAD form
     * of {@code utf8mb4_unicode_ci}; that ferry refuses it up front is asserted by
     * {@link #aNoPadCollationTheTargetLacksIsRefusedUpFront}.
     */
    record NoPad(String collation, boolean caseSensitive) {
        static NoPad of(boolean sourceMariaDb, boolean targetMariaDb) {
            if (!sourceMariaDb) {
                return new NoPad("utf8mb4_0900_as_cs", true);
            }
            return targetMariaDb ? new NoPad("utf8mb4_unicode_nopad_ci", false)
                    : new NoPad("utf8mb4_uca1400_nopad_as_cs", true);
        }
    }

    /**
     * One table shape: its columns, the VALUES of row number {@code n} (distinct {@code n}, distinct keys) and the SET
     * clause that gives an existing row the key of row number {@code n}. Every table has a non-key column {@code v}.
     */
    record Shape(String table, String ddl, String columns, LongFunction<String> row, LongFunction<String> keyChange,
                 String extraRows) {
    }

    private static int scramble32(long n) {
        return (int) (n * 0x9E3779B1L);
    }

    private static long scramble64(long n) {
        return n * 0x9E3779B97F4A7C15L;
    }

    /** A distinct word per n, spelled with accents, case and trailing spaces that utf8mb4_unicode_ci ignores. */
    private static String unicodeWord(long n) {
        String base = Long.toString(scramble32(n) & 0xFFFFFFFFL, 36);
        String[] prefixes = {"é", "E", "e", "É"};
        String word = prefixes[(int) (n % 4)] + "key" + base;
        if (n % 3 == 0) {
            word = word.toUpperCase(java.util.Locale.ROOT);
        }
        return word + " ".repeat((int) (n % 3));
    }

    /** A word shared by 7 consecutive n, spelled differently per n in ways latin1_german1_ci treats as equal. */
    private static String germanWord(long n) {
        String[] prefixes = {"ä", "Ä", "a", "A"};
        return prefixes[(int) (n % 4)] + "gruppe" + Long.toString(n / 7, 36) + " ".repeat((int) (n % 2));
    }

    private static String uuid(long n) {
        byte[] b = new byte[16];
        long hi = scramble64(n);
        long lo = scramble64(~n);
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        if (n % 5 == 0) {
            b[14] = 0;
            b[15] = 0; // trailing zero bytes must survive as part of the key
        }
        return "X'" + HexFormat.of().formatHex(b) + "'";
    }

    private static String day(long n) {
        return "'" + LocalDate.of(2020, 1, 1).plusDays(n % 40) + "'";
    }

    /**
     * Every shape. {@code nopad_varchar} uses a NO PAD collation (see {@link NoPad}), where {@code 'a'},
     * {@code 'a '} and {@code 'a  '} are three keys in that order.
     */
    static List<Shape> shapes(NoPad noPad) {
        String noPadEdges = "('', 1), ('a', 1), ('a ', 1), ('a  ', 1), ('Zzz ', 1)"
                + (noPad.caseSensitive() ? ", ('A', 1), ('A ', 1)" : "");
        return List.of(
                new Shape("nopad_varchar", "k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE " + noPad.collation()
                        + " NOT NULL PRIMARY KEY, v INT", "k, v", n -> "('" + unicodeWord(n) + "', 0)",
                        n -> "k = '" + unicodeWord(n) + "'", noPadEdges),
                new Shape("signed_int", "k INT NOT NULL PRIMARY KEY, v INT", "k, v",
                        n -> "(" + scramble32(n) + ", 0)", n -> "k = " + scramble32(n),
                        "(0, 1), (-1, 1), (-2147483648, 1), (2147483647, 1)"),
                new Shape("unsigned_bigint", "k BIGINT UNSIGNED NOT NULL PRIMARY KEY, v INT", "k, v",
                        n -> "(" + Long.toUnsignedString(scramble64(n)) + ", 0)",
                        n -> "k = " + Long.toUnsignedString(scramble64(n)),
                        "(18446744073709551615, 1), (9223372036854775808, 1), (9223372036854775807, 1), (1, 1)"),
                new Shape("ci_varchar", "k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY, v INT",
                        "k, v", n -> "('" + unicodeWord(n) + "', 0)", n -> "k = '" + unicodeWord(n) + "'",
                        "('', 1), ('Zzz ', 1), ('ÿ', 1)"),
                new Shape("uuid", "k VARBINARY(16) NOT NULL PRIMARY KEY, v INT", "k, v",
                        n -> "(" + uuid(n) + ", 0)", n -> "k = " + uuid(n),
                        "(X'', 1), (X'00', 1), (X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 1)"),
                new Shape("varchar_int", "a VARCHAR(30) CHARACTER SET latin1 COLLATE latin1_german1_ci NOT NULL, "
                        + "b INT NOT NULL, v INT, PRIMARY KEY (a, b)", "a, b, v",
                        n -> "('" + germanWord(n) + "', " + (n % 7 - 3) + ", 0)",
                        n -> "a = '" + germanWord(n) + "', b = " + (n % 7 - 3), null),
                new Shape("int3", "a INT NOT NULL, b INT NOT NULL, c INT NOT NULL, v INT, PRIMARY KEY (a, b, c)",
                        "a, b, c, v", n -> "(" + (n % 3 - 1) + ", " + (n / 3 % 5) + ", " + (n / 15) + ", 0)",
                        n -> "a = " + (n % 3 - 1) + ", b = " + (n / 3 % 5) + ", c = " + (n / 15), null),
                new Shape("date_int", "d DATE NOT NULL, i INT NOT NULL, v INT, PRIMARY KEY (d, i)", "d, i, v",
                        n -> "(" + day(n) + ", " + (n / 40 - 2) + ", 0)", n -> "d = " + day(n) + ", i = " + (n / 40 - 2), null),
                // PerTable: a unique column other than the primary key, and a non-unique one (paginated by it + id).
                new Shape("per_table_unique", "id BIGINT NOT NULL PRIMARY KEY, code VARCHAR(30) NOT NULL UNIQUE, v INT",
                        "id, code, v", n -> "(" + n + ", '" + unicodeWord(n) + "', 0)",
                        n -> "id = " + n + ", code = '" + unicodeWord(n) + "'", null),
                new Shape("per_table_grouped", "id INT NOT NULL PRIMARY KEY, grp INT NOT NULL, v INT, KEY (grp)",
                        "id, grp, v", n -> "(" + scramble32(n) + ", " + (n % 3) + ", 0)",
                        n -> "id = " + scramble32(n) + ", grp = " + (n % 3), null),
                // FallbackColumn: no primary key; a non-unique column, ties broken by the unique key u.
                new Shape("fallback_grouped", "grp INT NOT NULL, u BIGINT NOT NULL, v INT, UNIQUE KEY (u), KEY (grp)",
                        "grp, u, v", n -> "(" + (n % 4 - 1) + ", " + scramble32(n) + ", 0)",
                        n -> "grp = " + (n % 4 - 1) + ", u = " + scramble32(n), null));
    }

    private static final String PAGINATION = """
            "CascadingPaginationColumnConfig": {"PerTable": {"%s": {"per_table_unique": "code", "per_table_grouped": "grp"}},
                                                "FallbackColumn": "grp"}""";

    /** A database holding every shape with {@link #ROWS} rows each (plus the shape's edge rows). */
    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        for (Shape s : shapes(noPad)) {
            pair.source().exec("CREATE TABLE `" + db + "`." + s.table() + " (" + s.ddl() + ")");
            pair.source().insertRows("`" + db + "`." + s.table(), s.columns(), ROWS, i -> s.row().apply(i));
            if (s.extraRows() != null) {
                pair.source().exec("INSERT INTO `" + db + "`." + s.table() + " (k, v) VALUES " + s.extraRows());
            }
        }
        return db;
    }

    private List<KeyedWriter> writers(String db, KeyedWriter.Mix mix) {
        List<KeyedWriter> out = new ArrayList<>();
        for (Shape s : shapes(noPad)) {
            out.add(new KeyedWriter(pair.source(), new TableId(db, s.table()), s.columns(), s.row(), s.keyChange(),
                    ROWS + 1, mix));
        }
        return out;
    }

    /** Copies {@code db} with {@code extra} config while the writers write; they stop when the row copy completes. */
    private void copyWhileWriting(String db, String extra, KeyedWriter.Mix mix, ServerEndpoint source) throws Exception {
        List<KeyedWriter> writers = writers(db, mix);
        var hooks = new RunHooks() {
            @Override
            public void rowCopyCompleted() {
                writers.forEach(KeyedWriter::halt);
            }
        };
        String config = PAGINATION.formatted(db) + ", \"DataIterationBatchSize\": 7, \"DataIterationConcurrency\": 4, "
                + extra;
        try (var ferry = new Ferry(TestConfigs.copydb(pair, source, config, db), hooks)) {
            ferry.run();
        } finally {
            for (KeyedWriter w : writers) {
                w.stop();
            }
        }
        long writes = writers.stream().mapToLong(KeyedWriter::writes).sum();
        assertTrue(writes > 100, "the writers barely ran: " + writes);
        if (mix == KeyedWriter.Mix.ALL) {
            long keyChanges = writers.stream().mapToLong(KeyedWriter::keyChanges).sum();
            assertTrue(keyChanges > 10, "too few key changes: " + keyChanges);
        }
        for (Shape s : shapes(noPad)) {
            pair.assertIdentical(db, s.table());
        }
    }

    /** Each strategy in both orders; each order once as one key range and once split into parallel ranges. */
    static Stream<Arguments> lockingStrategiesOrdersAndRanges() {
        return Stream.of(Arguments.of("LockOnSourceDB", false, 1), Arguments.of("LockOnSourceDB", true, 3),
                Arguments.of("LockInGhostferry", false, 3), Arguments.of("LockInGhostferry", true, 1));
    }

    @ParameterizedTest(name = "{0}, descending: {1}, ranges: {2}")
    @MethodSource("lockingStrategiesOrdersAndRanges")
    void everyKeyShapeIsCopiedExactlyWhileRowsAndKeysChange(String lock, boolean descending, int ranges) throws Exception {
        String db = seeded(lock + (descending ? "_desc" : "_asc"));
        copyWhileWriting(db, "\"LockStrategy\": \"" + lock + "\", \"IterateInDescendingOrder\": " + descending
                + ", \"DataIterationRangeConcurrency\": " + ranges, KeyedWriter.Mix.ALL, pair.source().endpoint());
    }

    @ParameterizedTest(name = "descending: {0}")
    @ValueSource(booleans = {false, true})
    void withoutLockingInsertsOnlyAreCopiedExactly(boolean descending) throws Exception {
        String db = seeded("nolock" + (descending ? "_desc" : "_asc"));
        copyWhileWriting(db, "\"LockStrategy\": \"None\", \"IterateInDescendingOrder\": " + descending,
                KeyedWriter.Mix.INSERTS_ONLY, pair.source().endpoint());
    }

    @ParameterizedTest(name = "descending: {0}")
    @ValueSource(booleans = {false, true})
    void batchesFollowTheConfiguredOrder(boolean descending) throws Exception {
        String db = pair.newDatabase("order");
        pair.source().exec("CREATE TABLE `" + db + "`.t (k INT NOT NULL PRIMARY KEY, v INT)");
        pair.source().insertRows("`" + db + "`.t", "k, v", 50, i -> "(" + (i - 25) + ", 0)");
        List<List<Object>> seen = new ArrayList<>();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                seen.add(pair.target().query("SELECT MIN(k), MAX(k), COUNT(*) FROM `" + db + "`.t").getFirst());
            }
        };
        String extra = "\"DataIterationBatchSize\": 7, \"IterateInDescendingOrder\": " + descending;
        try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), hooks)) {
            ferry.run();
        }
        assertEquals(8, seen.size(), "50 rows in batches of 7: " + seen);
        for (int b = 0; b < seen.size(); b++) {
            long copied = Math.min(50, 7L * (b + 1));
            List<Long> expected = descending ? List.of(25 - copied + 1, 25L, copied) : List.of(-24L, -24 + copied - 1, copied);
            List<Long> actual = seen.get(b).stream().map(o -> ((Number) o).longValue()).toList();
            assertEquals(expected, actual, "target (min, max, count) after batch " + (b + 1));
        }
        pair.assertIdentical(db, "t");
    }

    @Test
    void lockInGhostferryCopiesFromAReadOnlySourceTheUserCanOnlyRead() throws Exception {
        String db = seeded("readonly");
        String user = "ferry_ro";
        ServerEndpoint root = pair.source().endpoint();
        ServerEndpoint readOnly = new ServerEndpoint(root.role(), root.host(), root.port(), user, "ro-pw",
                root.rootUser(), root.rootPassword());
        pair.source().exec("DROP USER IF EXISTS '" + user + "'@'127.0.0.1'",
                "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'ro-pw'",
                // REPLICATION CLIENT is BINLOG MONITOR on MariaDB
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'127.0.0.1'");
        try {
            pair.source().exec("SET GLOBAL read_only = ON");
            String lock = "\"LockStrategy\": \"LockInGhostferry\"";
            try (var ferry = new Ferry(TestConfigs.copydb(pair, readOnly, lock, db), RunHooks.NONE)) {
                var e = assertThrows(PreconditionFailed.class, ferry::plan);
                assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("AllowReplicationFromReplica"),
                        e.getMessage());
            }
            copyWhileWriting(db, lock + ", \"AllowReplicationFromReplica\": true", KeyedWriter.Mix.ALL, readOnly);
        } finally {
            pair.source().exec("SET GLOBAL read_only = OFF", "DROP USER IF EXISTS '" + user + "'@'127.0.0.1'");
        }
    }

    /** The NO PAD collation family MySQL lacks, from MariaDB: refused before anything is written; elsewhere it runs. */
    @Test
    void aNoPadCollationTheTargetLacksIsRefusedUpFront() throws Exception {
        if (!pair.source().info().isMariaDb()) {
            assertEquals(0L, pair.source().scalar("SELECT COUNT(*) FROM information_schema.COLLATIONS"
                    + " WHERE COLLATION_NAME = 'utf8mb4_unicode_nopad_ci'"), "a MariaDB collation only");
            return;
        }
        String db = pair.newDatabase("nopad_lacking");
        pair.source().exec("CREATE TABLE `" + db + "`.t (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE "
                + "utf8mb4_unicode_nopad_ci NOT NULL PRIMARY KEY, v INT)", "INSERT INTO `" + db + "`.t VALUES ('a', 1), ('a ', 1)");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            if (pair.target().info().isMariaDb()) {
                ferry.run();
                pair.assertIdentical(db, "t");
                return;
            }
            var e = assertThrows(PreconditionFailed.class, ferry::run);
            assertTrue(e.getMessage().contains(db + ".t.k: the collation utf8mb4_unicode_nopad_ci is unknown to MySQL")
                    && e.getMessage().contains("has no equivalent there"), e.getMessage());
        }
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db),
                "nothing was written to the target");
    }

    @Test
    void tablesWithoutAUsableKeyAreRefusedNamingTheOptions() {
        String db = pair.newDatabase("nokey");
        pair.source().exec(
                "CREATE TABLE `" + db + "`.float_key (f FLOAT NOT NULL PRIMARY KEY, v INT)",
                "CREATE TABLE `" + db + "`.no_key (a INT, v INT)",
                "CREATE TABLE `" + db + "`.whole (id INT PRIMARY KEY)",
                "CREATE TABLE `" + db + "`.typo (id INT PRIMARY KEY)",
                "CREATE TABLE `" + db + "`.fine (a VARCHAR(10) NOT NULL, b DATETIME(3) NOT NULL, PRIMARY KEY (a, b))");
        String extra = """
                "CascadingPaginationColumnConfig": {"PerTable": {"%s": {"typo": "idd"}}, "FullTableCopies": {"%s": ["whole"]}}"""
                .formatted(db, db);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, extra, db), RunHooks.NONE)) {
            var e = assertThrows(PreconditionFailed.class, ferry::plan);
            String m = e.getMessage();
            assertTrue(m.startsWith("ferry cannot copy 3 selected table(s):"), m);
            assertTrue(m.contains(db + ".float_key: its primary key column f is float, an approximate number"), m);
            assertTrue(m.contains(db + ".no_key: it has no primary key; give it a key with "
                    + "CascadingPaginationColumnConfig.PerTable"), m);
            assertTrue(m.contains("FallbackColumn") && m.contains("or copy it whole by listing it in "
                    + "CascadingPaginationColumnConfig.FullTableCopies ({\"<db>\": [\"<table>\"]}"), m);
            assertTrue(!m.contains(db + ".whole"), "listed in FullTableCopies, so copied whole: " + m);
            assertTrue(m.contains(db + ".typo: CascadingPaginationColumnConfig.PerTable names column idd, which the "
                    + "table does not have"), m);
            assertTrue(!m.contains(db + ".fine"), m);
        }
    }
}

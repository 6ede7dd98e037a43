package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every value of every column family survives a whole copydb run exactly, both when it is bulk-copied and when it
 * travels through the binlog: one table per value family, seeded with edge values, then changed through the binlog
 * (inserts of edge rows, updates to and from edge values and NULL, deletes) right after the table's rows were copied.
 * The JVM and the two servers each run in a different non-UTC zone, so any time-zone drift would show.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class TypeFidelityIT {
    /** A table of one value family: its columns (besides {@code id}) and rows of edge values, one SQL expression each. */
    private record Family(String table, String columns, List<List<String>> edges) {
        Family {
            int n = columnNames(columns).size();
            for (List<String> edge : edges) {
                if (edge.size() != n) {
                    throw new IllegalArgumentException(table + ": " + edge + " has not " + n + " values");
                }
            }
        }

        List<String> names() {
            return columnNames(columns);
        }

        /** The column names of a column list such as {@code "a INT, b DECIMAL(5,2), c INT AS (a) VIRTUAL"}. */
        static List<String> columnNames(String columns) {
            List<String> names = new ArrayList<>();
            int depth = 0;
            var current = new StringBuilder();
            for (char ch : (columns + ",").toCharArray()) {
                if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    depth--;
                }
                if (ch == ',' && depth == 0) {
                    names.add(current.toString().trim().split("\\s+")[0]);
                    current.setLength(0);
                } else {
                    current.append(ch);
                }
            }
            return names;
        }
    }

    private static List<String> row(String... values) {
        return List.of(values);
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("integers", """
                    ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT,
                    mu MEDIUMINT UNSIGNED, ii INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, bo BOOLEAN,
                    zf INT(8) UNSIGNED ZEROFILL""", List.of(
                    row("-128", "255", "-32768", "65535", "-8388608", "16777215", "-2147483648", "4294967295",
                            "-9223372036854775808", "18446744073709551615", "1", "4294967295"),
                    row("127", "128", "32767", "32768", "8388607", "8388608", "2147483647", "2147483648",
                            "9223372036854775807", "9223372036854775808", "0", "42"),
                    row("0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"),
                    row("-1", "1", "-1", "1", "-1", "1", "-1", "1", "-1", "1", "-128", "1"),
                    row("-100", "200", "-30000", "60000", "-8000000", "16000000", "-2000000000", "4000000000",
                            "-9000000000000000000", "18446744073709551614", "127", "99999999"))),
            new Family("decimals", """
                    d10 DECIMAL(10,0), d14 DECIMAL(18,14), d65 DECIMAL(65,30), d65i DECIMAL(65,0), d52u DECIMAL(5,2) UNSIGNED,
                    d30 DECIMAL(30,10)""", List.of(
                    row("-9999999999", "-9999.99999999999999", "-99999999999999999999999999999999999.999999999999999999999999999999",
                            "-99999999999999999999999999999999999999999999999999999999999999999", "999.99",
                            "-12345678901234567890.0123456789"),
                    row("9999999999", "9999.99999999999999", "99999999999999999999999999999999999.999999999999999999999999999999",
                            "99999999999999999999999999999999999999999999999999999999999999999", "0.01",
                            "0.0000000001"),
                    row("0", "-0.00000000000001", "-0.000000000000000000000000000001", "0", "0",
                            "-0.0000000001"),
                    row("-1", "-1234.56789012345678", "12345678901234567890123456789012345.123456789012345678901234567890",
                            "1", "1.5", "100"),
                    row("1", "0.5", "0.100000000000000000000000000000", "-1", "10.10", "-0"))),
            new Family("floats", "fl FLOAT, db DOUBLE, fu FLOAT UNSIGNED, dm DOUBLE(20,5)", List.of(
                    row("-0.0", "-0.0", "0", "-0.0"),
                    row("-0e0", "-0e0", "0", "0"),
                    row("3.4028234e38", "1.7976931348623157e308", "3.4028234e38", "999999999999999.99999"),
                    row("-3.4028234e38", "-1.7976931348623157e308", "1.17549435e-38", "-999999999999999.99999"),
                    row("1.17549435e-38", "2.2250738585072014e-308", "1e-45", "0.00001"),
                    row("1e-45", "4.9e-324", "16777217", "-0.00001"),
                    row("0.1", "0.1", "0.1", "0.1"),
                    row("123.456", "1234567890123456.7", "1e20", "3.14159"),
                    row("-1.5", "0.30000000000000004", "7", "-12345.6789"))),
            new Family("bits", "b1 BIT(1), b7 BIT(7), b9 BIT(9), b64 BIT(64)", List.of(
                    row("b'1'", "b'1111111'", "b'100000001'", "b'1111111111111111111111111111111111111111111111111111111111111111'"),
                    row("b'0'", "b'0'", "b'0'", "b'0'"),
                    row("b'1'", "b'1000000'", "b'000000001'", "b'1000000000000000000000000000000000000000000000000000000000000000'"),
                    row("0", "65", "256", "x'0000000000000001'"))),
            new Family("binaries", "bn BINARY(4), b1 BINARY(1), vb VARBINARY(16), bx BINARY(8)", List.of(
                    row("'ABC'", "''", "X'00FF00'", "X'0000000000000000'"),
                    row("X'41424300'", "X'00'", "X'0102030400'", "X'FFFFFFFFFFFFFFFF'"),
                    row("X'00000000'", "'z'", "X''", "'a\\0b'"),
                    row("X'FFFFFFFF'", "X'FF'", "X'00000000'", "X'2720225C00'"),
                    row("''", "' '", "'trail  '", "'x '"))),
            new Family("utf8mb4_text", """
                    vc VARCHAR(60) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
                    ch CHAR(10) CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
                    lt LONGTEXT CHARACTER SET utf8mb4""", List.of(
                    row("'a''b\\\\c \"😀\" é'", "'😀😀'", "CONCAT('nul', CHAR(0), 'byte')", "CONCAT(X'00', '\\\\', '''', '\"')"),
                    row("''", "''", "''", "''"),
                    row("'trailing  '", "'c  '", "'  both  '", "REPEAT('z😀', 50000)"),
                    row("'\\\\'", "'\\''", "'\\n\\r\\t\\Z'", "'𝄞 𠜎 𝔘𝔫𝔦'"),
                    row("'%_ LIKE ? :x ${y}'", "' '", "REPEAT('é', 20000)", "CHAR(0)"))),
            new Family("utf8mb3_text", """
                    vc VARCHAR(60) CHARACTER SET utf8mb3, ch CHAR(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin,
                    tx TEXT CHARACTER SET utf8mb3""", List.of(
                    row("'quote '' and \\\\ é €'", "'€  '", "CONCAT('a', CHAR(0), 'b')"),
                    row("''", "''", "''"),
                    row("'trailing   '", "'x'", "'ü\\\\\"'''"),
                    row("'日本語テキスト'", "'ß'", "REPEAT('€', 10000)"))),
            new Family("latin1_text", """
                    vc VARCHAR(60) CHARACTER SET latin1, ch CHAR(10) CHARACTER SET latin1 COLLATE latin1_bin,
                    tx TEXT CHARACTER SET latin1, lt LONGTEXT CHARACTER SET latin1""", List.of(
                    row("'caf\\xe9 ''x'''", "'é  '", "CONCAT('x', CHAR(0), '\\\\')", "_latin1 X'E9FF00A0'"),
                    row("''", "''", "''", "''"),
                    row("'trailing  '", "'ÿ'", "_latin1 X'80818283'", "REPEAT(_latin1 X'FF', 100000)"),
                    row("'\"''\\\\'", "'\\0'", "'ä ö ü ß'", "_latin1 X'00'"))),
            new Family("blobs", "tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB", List.of(
                    row("X'00'", "X''", "REPEAT(X'00AB', 500000)", "REPEAT(X'FF00', 2000000)"),
                    row("X''", "REPEAT(X'AB', 65535)", "X'00000000'", "X'5C27220000'"),
                    row("REPEAT(X'01', 255)", "X'00FF00'", "''", "REPEAT('blob ', 300000)"))),
            new Family("temporals", """
                    da DATE, t0 TIME, t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
                    dt0 DATETIME, dt1 DATETIME(1), dt2 DATETIME(2), dt3 DATETIME(3), dt4 DATETIME(4), dt5 DATETIME(5),
                    dt6 DATETIME(6), ts0 TIMESTAMP NULL, ts1 TIMESTAMP(1) NULL, ts2 TIMESTAMP(2) NULL,
                    ts3 TIMESTAMP(3) NULL, ts4 TIMESTAMP(4) NULL, ts5 TIMESTAMP(5) NULL, ts6 TIMESTAMP(6) NULL,
                    yr YEAR""", List.of(
                    row("'1000-01-01'", "'-838:59:59'", "'-00:00:00.1'", "'-00:00:01.01'", "'-12:34:56.789'",
                            "'-00:00:00.0001'", "'-100:00:00.00001'", "'-838:59:59.000000'",
                            "'1000-01-01 00:00:00'", "'1970-01-01 00:00:00.1'", "'2000-02-29 12:34:56.78'",
                            "'2038-01-19 03:14:07.999'", "'9999-12-31 23:59:59.9999'", "'2020-06-15 01:02:03.00001'",
                            "'9999-12-31 23:59:59.999999'", "'1970-01-01 00:00:01'", "'1970-01-01 00:00:01.9'",
                            "'2038-01-19 03:14:07.99'", "'2001-03-04 05:06:07.890'", "'2021-11-07 05:30:00.0001'",
                            "'2021-03-14 05:30:00.00001'", "'2038-01-19 03:14:07.999999'", "1901"),
                    row("'9999-12-31'", "'838:59:59'", "'00:00:00.9'", "'23:59:59.99'", "'00:00:00.001'",
                            "'99:00:00.9999'", "'00:00:00.00001'", "'838:59:59.999999'",
                            "'9999-12-31 23:59:59'", "'2020-01-01 00:00:00.9'", "'2020-01-01 00:00:00.01'",
                            "'2020-01-01 00:00:00.001'", "'2020-01-01 00:00:00.0001'", "'2020-01-01 00:00:00.00001'",
                            "'2020-01-01 00:00:00.000001'", "'2038-01-19 03:14:07'", "'2000-01-01 00:00:00.1'",
                            "'2000-01-01 00:00:00.01'", "'2000-01-01 00:00:00.001'", "'2000-01-01 00:00:00.0001'",
                            "'2000-01-01 00:00:00.00001'", "'2000-01-01 00:00:00.000001'", "2155"),
                    row("'0000-00-00'", "'00:00:00'", "'00:00:00.0'", "'-00:00:00.5'", "'00:00:00.000'",
                            "'-00:00:00.5'", "'-00:00:00.5'", "'-00:00:00.000001'",
                            "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00.0'", "'2020-00-00 00:00:00'",
                            "'2020-01-00 10:00:00.5'", "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00'",
                            "'0000-00-00 00:00:00.000000'", "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00.0'",
                            "'0000-00-00 00:00:00.00'", "'0000-00-00 00:00:00.000'", "'0000-00-00 00:00:00'",
                            "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00.000000'", "0"),
                    row("'2020-00-00'", "'-00:00:01'", "'12:00:00.5'", "'-838:59:59.99'", "'838:59:59.999'",
                            "'-01:00:00.2500'", "'10:11:12.12345'", "'-00:00:00.999999'",
                            "'2021-03-14 02:30:00'", "'2021-11-07 01:30:00.5'", "'1999-12-31 23:59:59.99'",
                            "'1969-12-31 23:59:59.999'", "'2020-02-29 23:59:59.9999'", "'0001-01-01 00:00:00.00001'",
                            "'2020-02-29 23:59:59.000001'", "'2021-03-14 06:30:00'", "'2021-11-07 04:30:00.5'",
                            "'2021-11-07 03:29:59.99'", "'1999-12-31 23:59:59.999'", "'2010-06-30 18:15:00.1234'",
                            "'2024-02-29 12:00:00.12345'", "'2020-02-29 23:59:59.000001'", "1970"),
                    row("'2020-02-00'", "'00:00:00'", "'-00:00:00.0'", "'00:00:00.01'", "'-00:00:00.001'",
                            "'00:00:00.0001'", "'-00:00:00.00001'", "'00:00:00.000001'",
                            "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'",
                            "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'",
                            "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'",
                            "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'",
                            "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00'", "2000"))),
            new Family("enums_and_sets", """
                    en ENUM('a','b''q','c','é','x y'), el ENUM('x','é') CHARACTER SET latin1, ee ENUM('', 'a'),
                    st SET('x','y','z','ü'), sl SET('a','ä') CHARACTER SET latin1""", List.of(
                    row("'a'", "'x'", "''", "''", "''"),
                    row("'b''q'", "'é'", "'a'", "'x,y,z,ü'", "'a,ä'"),
                    row("'é'", "'é'", "''", "'ü'", "'ä'"),
                    row("'x y'", "'x'", "'a'", "'z,x'", "'a'"),
                    row("2", "1", "1", "5", "3"),
                    row("'c'", "'x'", "'b'", "'x,nope'", "''"))),
            new Family("json_values", "js JSON", List.of(
                    row("'{\"a\": \"quo\\\\\"te\", \"b\": \"\\\\\\\\\", \"c\": \"it''s\"}'"),
                    row("'[1, \"two\", 3.0, null, [], {}]'"),
                    row("'{}'"),
                    row("'null'"),
                    row("'true'"),
                    row("'42'"),
                    row("'52.13'"),
                    row("'\"a string\"'"),
                    row("'[]'"),
                    row("'{\"nested\": {\"k\": [true, false, null, -1.5e300, {\"deep\": [[[\"😀\"]]]}]}, \"s\": \"é\"}'"),
                    row("'  {  \"spaced\" :  1 }  '"))),
            new Family("geometries", "g GEOMETRY, p POINT, ls LINESTRING, pg POLYGON", List.of(
                    row("ST_GeomFromText('POINT(1 2)')", "ST_GeomFromText('POINT(-180 90)')",
                            "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)')",
                            "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')"),
                    row("ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))')",
                            "ST_GeomFromText('POINT(0.1 -0.0)')", "ST_GeomFromText('LINESTRING(1e300 -1e-300, 0 0)')",
                            "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))')"),
                    row("ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))', 4326)",
                            "ST_GeomFromText('POINT(3 4)', 3857)", "ST_GeomFromText('LINESTRING(0 0, 0 1)', 4326)",
                            "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326)"))),
            new Family("generated", """
                    a INT, s VARCHAR(40) CHARACTER SET utf8mb4, v_sum BIGINT AS (a * 2 + 1) VIRTUAL,
                    s_up VARCHAR(50) CHARACTER SET utf8mb4 AS (CONCAT(UPPER(s), '!')) STORED,
                    v_js VARCHAR(80) CHARACTER SET utf8mb4 AS (JSON_OBJECT('a', a, 's', s)) VIRTUAL,
                    s_len INT AS (CHAR_LENGTH(s)) STORED""", List.of(
                    row("1", "'😀 é'", "DEFAULT", "DEFAULT", "DEFAULT", "DEFAULT"),
                    row("-2147483648", "''", "DEFAULT", "DEFAULT", "DEFAULT", "DEFAULT"),
                    row("0", "'a''b\\\\'", "DEFAULT", "DEFAULT", "DEFAULT", "DEFAULT"))));

    /** Ids of the rows every table starts with and how the binlog round treats them. */
    private static final int KEPT = 0;          // edge row i: copied, untouched
    private static final int EDGE_TO_OTHER = 100; // edge row i: updated to another edge row, or to NULL
    private static final int NULL_TO_EDGE = 200;  // all-NULL row: updated to edge row i
    private static final int DELETED = 300;       // edge row i: odd ones deleted through the binlog
    private static final int INSERTED = 500;      // edge row i: inserted through the binlog
    private static final int NULL_ROW = 900;      // an all-NULL row, copied; 901 inserted through the binlog

    /** MariaDB's TIME(n) values past MySQL's 838:59:59, e.g. {@code '-838:59:59.99'}. */
    private static final Pattern BEYOND_MYSQL_TIME = Pattern.compile("'(?<sign>-?)838:59:59\\.\\d*[1-9]\\d*'");

    private final TestPair pair;
    private final boolean mariaDbToMySql;
    private final boolean mySqlToMariaDb;
    private final List<Family> families;

    TypeFidelityIT(TestPair pair) {
        this.pair = pair;
        boolean sourceMariaDb = pair.source().info().isMariaDb();
        boolean targetMariaDb = pair.target().info().isMariaDb();
        this.mariaDbToMySql = sourceMariaDb && !targetMariaDb;
        this.mySqlToMariaDb = !sourceMariaDb && targetMariaDb;
        this.families = mariaDbToMySql ? FAMILIES.stream().map(TypeFidelityIT::withinMySqlTime).toList() : FAMILIES;
    }

    /**
     * The family with MariaDB's TIME values past 838:59:59 at MySQL's limit: MySQL cannot hold them, and ferry
     * refuses them (asserted by {@link #aTimeBeyondMySqlsRangeStopsTheRunNamingIt}).
     */
    private static Family withinMySqlTime(Family f) {
        return new Family(f.table(), f.columns(), f.edges().stream().map(edge -> edge.stream()
                .map(v -> BEYOND_MYSQL_TIME.matcher(v).replaceAll("'${sign}838:59:59'")).toList()).toList());
    }

    /**
     * Identical, except where the README documents a mapping: MySQL's JSON type normalises MariaDB's documents (so
     * they are compared as JSON), and MariaDB stores MySQL's FLOAT and DOUBLE negative zero as 0; every other value
     * must be the same.
     */
    private void assertCopied(String db, Family f) {
        if (mariaDbToMySql && f.table().equals("json_values")) {
            pair.assertEquivalent(db, f.table());
            return;
        }
        if (!mySqlToMariaDb || !f.table().equals("floats")) {
            pair.assertIdentical(db, f.table());
            return;
        }
        List<String> differences = TableComparison.differences(pair.source(), new TableId(db, f.table()), pair.target(),
                new TableId(db, f.table()), 1000);
        assertFalse(differences.isEmpty(), "the floats family has negative zeros");
        for (String d : differences) {
            assertTrue(d.matches("row \\(\\d+\\) column \\w+: source -0\\.0, target 0\\.0"), d);
        }
    }

    @Test
    void aTimeBeyondMySqlsRangeStopsTheRunNamingIt() throws Exception {
        if (!mariaDbToMySql) {
            return; // only MariaDB's TIME goes past 838:59:59
        }
        for (boolean throughTheBinlog : new boolean[] {false, true}) {
            String db = pair.newDatabase("time_range");
            String t = "`" + db + "`.t";
            pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, t6 TIME(6))",
                    "INSERT INTO " + t + " VALUES (1, '838:59:59')" + (throughTheBinlog ? "" : ", (2, '-838:59:59.5')"));
            var hooks = new RunHooks() {
                @Override
                public void rowCopyCompleted() {
                    if (throughTheBinlog) {
                        pair.source().exec("INSERT INTO " + t + " VALUES (2, '-838:59:59.5')");
                    }
                }
            };
            try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), hooks)) {
                var e = assertThrows(RunFailed.class, ferry::run);
                assertTrue(e.getMessage().contains("column t6 (time(6)) holds -838:59:59.500000, beyond MySQL's TIME"
                        + " range (-838:59:59 to 838:59:59)"), e.getMessage());
                assertTrue(e.getMessage().contains(throughTheBinlog ? "binlog event" : "cannot write a row of " + db + ".t"),
                        e.getMessage());
            }
            assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM " + t + " WHERE id = 2"), "nothing clipped");
        }
    }

    /** Both ways of writing a batch: LOAD DATA (where the target's local_infile allows it) and INSERT. */
    @ParameterizedTest(name = "LoadData {0}")
    @ValueSource(booleans = {true, false})
    void everyValueSurvivesTheCopyAndTheBinlogExactly(boolean loadData) throws Exception {
        String db = pair.newDatabase("fidelity");
        for (Family f : families) {
            pair.source().exec("CREATE TABLE `" + db + "`.`" + f.table() + "` (id INT NOT NULL PRIMARY KEY, "
                    + f.columns() + ")");
            List<String> rows = new ArrayList<>();
            for (int i = 1; i <= f.edges().size(); i++) {
                List<String> edge = f.edges().get(i - 1);
                for (int base : new int[] {KEPT, EDGE_TO_OTHER, DELETED}) {
                    rows.add(values(base + i, edge));
                }
                rows.add(values(NULL_TO_EDGE + i, nulls(f)));
            }
            rows.add(values(NULL_ROW, nulls(f)));
            insert(db, f, rows);
        }

        Set<String> changed = ConcurrentHashMap.newKeySet();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                // Each table is copied in one batch: from here on its values reach the target only via the binlog.
                if (table.database().equals(db) && changed.add(table.table())) {
                    changeThroughTheBinlog(db, family(table.table()));
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"DataIterationBatchSize\": 1000, \"LoadData\": "
                + loadData, db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
            assertTrue(ferry.status().eventsApplied() > 0, "no binlog change was applied");
        }
        assertEquals(families.stream().map(Family::table).collect(Collectors.toSet()), changed,
                "every table was changed through the binlog");
        for (Family f : families) {
            int n = f.edges().size();
            assertEquals(5L * n + 2 - (n + 1) / 2, pair.source().count("`" + db + "`.`" + f.table() + "`"),
                    f.table() + ": the binlog round ran as planned");
        }
        assertAll(families.stream().map(f -> (Executable) () -> assertCopied(db, f)));
    }

    /** Inserts new edge rows, updates rows to and from edge values and NULL, deletes some; all on the source. */
    private void changeThroughTheBinlog(String db, Family f) {
        int n = f.edges().size();
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
        String table = "`" + db + "`.`" + f.table() + "`";
        // one multi-row insert and single-row inserts: both row-event shapes
        statements.add("INSERT INTO " + table + " (id, " + String.join(", ", f.names()) + ") VALUES "
                + IntStream.rangeClosed(2, n).mapToObj(i -> values(INSERTED + i, f.edges().get(i - 1)))
                .collect(Collectors.joining(", ")));
        statements.add("INSERT INTO " + table + " (id, " + String.join(", ", f.names()) + ") VALUES "
                + values(INSERTED + 1, f.edges().getFirst()));
        statements.add("INSERT INTO " + table + " (id, " + String.join(", ", f.names()) + ") VALUES "
                + values(NULL_ROW + 1, nulls(f)));
        for (int i = 1; i <= n; i++) {
            // edge -> another edge (odd) or -> NULL (even)
            List<String> to = i % 2 == 1 ? f.edges().get(n - i) : nulls(f);
            statements.add("UPDATE " + table + " SET " + assignments(f, to) + " WHERE id = " + (EDGE_TO_OTHER + i));
            // NULL -> edge
            statements.add("UPDATE " + table + " SET " + assignments(f, f.edges().get(i - 1))
                    + " WHERE id = " + (NULL_TO_EDGE + i));
        }
        // one row changes only its key, keeping its edge values
        statements.add("UPDATE " + table + " SET id = id + 50 WHERE id = " + (EDGE_TO_OTHER + 1));
        statements.add("DELETE FROM " + table + " WHERE id > " + DELETED + " AND id <= " + (DELETED + n)
                + " AND id % 2 = 1");
        // a multi-row update touching every column of many rows at once
        statements.add("UPDATE " + table + " SET " + assignments(f, f.edges().getLast()) + " WHERE id > " + INSERTED
                + " AND id <= " + (INSERTED + n) + " AND id % 3 = 0");
        pair.source().exec(statements.toArray(String[]::new));
    }

    private Family family(String table) {
        return families.stream().filter(f -> f.table().equals(table)).findFirst().orElseThrow();
    }

    private void insert(String db, Family f, List<String> rows) {
        List<String> statements = new ArrayList<>();
        // zero dates and out-of-range enum indexes need a session without NO_ZERO_DATE and strict mode
        statements.add("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
        for (String row : rows) {
            statements.add("INSERT INTO `" + db + "`.`" + f.table() + "` (id, " + String.join(", ", f.names())
                    + ") VALUES " + row);
        }
        pair.source().exec(statements.toArray(String[]::new));
    }

    private static String values(int id, List<String> values) {
        return "(" + id + ", " + String.join(", ", values) + ")";
    }

    /** NULL for every stored column; generated columns keep DEFAULT. */
    private static List<String> nulls(Family f) {
        List<String> first = f.edges().getFirst();
        return first.stream().map(v -> v.equals("DEFAULT") ? "DEFAULT" : "NULL").toList();
    }

    private static String assignments(Family f, List<String> values) {
        List<String> names = f.names();
        return IntStream.range(0, names.size()).filter(i -> !values.get(i).equals("DEFAULT"))
                .mapToObj(i -> names.get(i) + " = " + values.get(i)).collect(Collectors.joining(", "));
    }
}

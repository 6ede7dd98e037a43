package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * JSON values keep every scalar's type. MySQL's binary JSON holds DECIMAL, UNSIGNED INTEGER, DATE, TIME, DATETIME,
 * TIMESTAMP, BIT and binary ("opaque") scalars whose text reads back as another type ({@code 21.750000000} as a
 * DOUBLE, {@code "2001-01-01"} as a STRING); on MySQL the test asserts that the source holds them, and that the
 * target has, for every row, the same text and the same {@code JSON_TYPE} at every path, after the row copy (keyed
 * and whole-table) and after inserts, updates (matched by their typed old image) and deletes through the binlog.
 * On MariaDB, where JSON is text, the same values must keep their exact text.
 */
@MySqlPair
class JsonTypesIT {
    private final TestPair pair;

    JsonTypesIT(TestPair pair) {
        this.pair = pair;
    }

    private boolean mysql() throws Exception {
        try (Connection c = pair.source().connect()) {
            return !ServerInfo.of(c).isMariaDb();
        }
    }

    /** JSON values of every scalar type, each an SQL expression; the typed ones only where the source has them. */
    private List<String> values(boolean mysql, String columnsDb) {
        List<String> v = new ArrayList<>(List.of(
                "JSON_OBJECT('dec', 21.750000000, 'dbl', 21.75e0, 'negzero', -0e0, 'int', -5, 'big', 9223372036854775807,"
                        + " 'str', 'x', 'nul', NULL, 'yes', JSON_EXTRACT('true', '$'), 'no', JSON_EXTRACT('false', '$'))",
                "JSON_ARRAY(1.5, 0.1, 100, JSON_OBJECT('deep', JSON_ARRAY(JSON_OBJECT('k', 12345678901234567890.5))))",
                "JSON_OBJECT('k\"e\\\\y', 1.50, '', 'empty key', 'é😀', -0.000001)",
                "'{\"plain\": [1, 2.5, \"s\", true, null, {}, []]}'",
                "JSON_EXTRACT(JSON_ARRAY(1.50), '$[0]')",
                "'\"just a string\"'",
                "NULL",
                "JSON_ARRAY(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99999999999999999999999999999999999.999999999999999999999999999999)"));
        if (mysql) {
            v.addAll(List.of(
                    "JSON_OBJECT('uint', CAST(5 AS UNSIGNED), 'umax', CAST(18446744073709551615 AS UNSIGNED),"
                            + " 'date', CAST('2001-01-01' AS DATE), 'time', CAST('-10:00:00.5' AS TIME(1)),"
                            + " 'longtime', CAST('31:59:59.999999' AS TIME(6)), 'dt', CAST('2020-02-29 12:34:56.789' AS DATETIME(3)),"
                            + " 'vb', CAST(X'00FF' AS BINARY), 'dbl', CAST(21.75 AS DOUBLE))",
                    "JSON_ARRAY(CAST(7 AS UNSIGNED), JSON_ARRAY(CAST('1999-12-31' AS DATE), 1.25), 'tail')",
                    "JSON_EXTRACT(JSON_ARRAY(CAST('2002-02-02' AS DATE)), '$[0]')",
                    "JSON_EXTRACT(JSON_ARRAY(CAST(42 AS UNSIGNED)), '$[0]')",
                    // TIMESTAMP, BIT and binary field types come from columns of those types
                    "(SELECT JSON_OBJECT('ts', ts, 'bit', bt, 'bit64', b64, 'blob', bl, 'tiny', tb, 'medium', mb,"
                            + " 'long', lb, 'bin', bn, 'varbin', vb) FROM `" + columnsDb + "`.typed_columns)",
                    "(SELECT JSON_ARRAY(bl, JSON_OBJECT('big', REPEAT(lb, 100))) FROM `" + columnsDb + "`.typed_columns)"));
        }
        return v;
    }

    @Test
    void everyScalarKeepsItsJsonTypeThroughTheCopyAndTheBinlog() throws Exception {
        boolean mysql = mysql();
        String db = pair.newDatabase("jsontypes");
        String columnsDb = pair.newDatabase("jsoncolumns"); // not copied: only the source needs it
        String keyed = "`" + db + "`.keyed";
        String whole = "`" + db + "`.whole";
        pair.source().exec("CREATE TABLE `" + columnsDb + "`.typed_columns (ts TIMESTAMP(6) NULL, bt BIT(12), b64 BIT(64),"
                        + " bl BLOB, tb TINYBLOB, mb MEDIUMBLOB, lb LONGBLOB, bn BINARY(3), vb VARBINARY(4))",
                "INSERT INTO `" + columnsDb + "`.typed_columns VALUES ('2021-03-14 05:30:00.000001', b'101000000001',"
                        + " b'1111111111111111111111111111111111111111111111111111111111111111', X'00FF10', X'01',"
                        + " X'0203', X'0405', 'ab', X'0607')",
                "CREATE TABLE " + keyed + " (id INT PRIMARY KEY, j JSON)",
                "CREATE TABLE " + whole + " (n INT, j JSON)");
        List<String> values = values(mysql, columnsDb);
        for (int i = 0; i < values.size(); i++) {
            pair.source().exec("INSERT INTO " + keyed + " VALUES (" + (i + 1) + ", " + values.get(i) + ")",
                    "INSERT INTO " + whole + " VALUES (" + (i + 1) + ", " + values.get(i) + ")");
        }
        if (mysql) {
            List<String> types = typesAt(pair.source(), keyed);
            for (String expected : List.of("DECIMAL", "UNSIGNED INTEGER", "DATE", "TIME", "DATETIME", "TIMESTAMP",
                    "BIT", "BLOB", "DOUBLE", "INTEGER", "BOOLEAN", "NULL", "STRING")) {
                assertTrue(types.stream().anyMatch(t -> t.endsWith(" " + expected)),
                        "the source holds no JSON " + expected + ": " + types);
            }
        }

        int n = values.size();
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (table.table().equals("keyed") && changed.compareAndSet(false, true)) {
                    // Rows 1 and 2 are on the target now; the others are not copied yet.
                    List<String> changes = new ArrayList<>();
                    changes.add("INSERT INTO " + keyed + " SELECT id + 100, j FROM " + keyed);
                    changes.add("INSERT INTO " + whole + " SELECT n + 100, j FROM " + whole);
                    for (int i = 1; i <= n; i++) {
                        String to = values.get(n - i); // another value, typed or not
                        changes.add("UPDATE " + keyed + " SET j = " + to + " WHERE id = " + i);
                        changes.add("UPDATE " + whole + " SET j = " + to + " WHERE n = " + i);
                    }
                    changes.add("UPDATE " + keyed + " SET j = JSON_ARRAY(j, j) WHERE id IN (101, 102, 103)");
                    changes.add("DELETE FROM " + keyed + " WHERE id IN (2, 104)");
                    changes.add("DELETE FROM " + whole + " WHERE n IN (2, 104)");
                    pair.source().exec(changes.toArray(String[]::new));
                }
            }
        };
        String config = "\"DataIterationBatchSize\": 2, \"CascadingPaginationColumnConfig\": {\"FullTableCopies\": {\""
                + db + "\": [\"whole\"]}}";
        try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertTrue(changed.get(), "the binlog changes ran");
        pair.assertIdentical(db, "keyed");
        assertEquals(texts(pair.source(), whole), texts(pair.target(), whole));
        if (mysql) {
            assertEquals(typesAt(pair.source(), keyed), typesAt(pair.target(), keyed));
            assertEquals(typesAt(pair.source(), whole), typesAt(pair.target(), whole));
        }
    }

    @Test
    void aJsonTimeMySqlCannotStoreExactlyStopsTheRunNamingTheColumn() throws Exception {
        boolean mysql = mysql();
        String db = pair.newDatabase("jsonlongtime");
        String t = "`" + db + "`.t";
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, j JSON)",
                "INSERT INTO " + t + " VALUES (1, JSON_OBJECT('t', CAST('838:59:59' AS TIME)))");
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "", db), RunHooks.NONE)) {
            if (!mysql) {
                ferry.run(); // MariaDB's JSON is text: nothing to rebuild
                pair.assertIdentical(db, "t");
                return;
            }
            var e = assertThrows(RunFailed.class, ferry::run);
            assertTrue(e.getMessage().contains(db + ".t") && e.getMessage().contains("column j")
                    && e.getMessage().contains("630:59:59") && e.getMessage().contains("32 hours"), e.getMessage());
        }
    }

    /** Every row's JSON text, in a stable order (for a table without a key). */
    private static List<String> texts(TestServer server, String table) {
        return server.query("SELECT CONCAT(COALESCE(n, 'null'), ' ', CAST(j AS CHAR)) FROM " + table
                + " ORDER BY 1").stream().map(r -> String.valueOf(r.getFirst())).toList();
    }

    /** {@code "<row> <path> <JSON_TYPE>"} for every value nested in every row's JSON (MySQL), in a stable order. */
    private static List<String> typesAt(TestServer server, String table) {
        String rowKey = table.endsWith(".keyed") ? "id" : "CONCAT(n, ' ', MD5(CAST(j AS CHAR)))";
        return server.query("WITH RECURSIVE w (r, p, v) AS (SELECT " + rowKey + ", CAST('[]' AS JSON), j FROM " + table
                + " WHERE j IS NOT NULL"
                + " UNION ALL SELECT w.r, JSON_ARRAY_APPEND(w.p, '$', m.k), JSON_EXTRACT(w.v, CONCAT('$.', m.k))"
                + " FROM w, JSON_TABLE(JSON_KEYS(w.v), '$[*]' COLUMNS (k JSON PATH '$')) m WHERE JSON_TYPE(w.v) = 'OBJECT'"
                + " UNION ALL SELECT w.r, JSON_ARRAY_APPEND(w.p, '$', a.i - 1), a.e"
                + " FROM w, JSON_TABLE(w.v, '$[*]' COLUMNS (i FOR ORDINALITY, e JSON PATH '$')) a"
                + " WHERE JSON_TYPE(w.v) = 'ARRAY')"
                + " SELECT CONCAT(w.r, ' ', CAST(w.p AS CHAR), ' ', JSON_TYPE(w.v)) FROM w ORDER BY 1")
                .stream().map(r -> String.valueOf(r.getFirst())).toList();
    }
}

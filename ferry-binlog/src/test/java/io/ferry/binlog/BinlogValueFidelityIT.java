package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Row images decoded from the binlog equal, byte for byte and column by column, the rows read over JDBC with
 * {@link SqlLiterals}, for every column family and its edge values, in INSERT, UPDATE (both images) and DELETE.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: runs on every pair of engines (bin/test --matrix)
class BinlogValueFidelityIT {
    private static final String DDL = """
            CREATE TABLE %s (
              id INT NOT NULL PRIMARY KEY,
              ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED,
              ii INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
              de DECIMAL(30,10), d14 DECIMAL(18,14), d0 DECIMAL(10,0), d65 DECIMAL(65,30),
              fl FLOAT, db DOUBLE, b1 BIT(1), b9 BIT(9), bt BIT(64),
              dt DATE, t0 TIME, t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6),
              dt0 DATETIME, dt1 DATETIME(1), dt2 DATETIME(2), dt3 DATETIME(3), dt4 DATETIME(4), dt5 DATETIME(5),
              dt6 DATETIME(6), ts0 TIMESTAMP NULL, ts2 TIMESTAMP(2) NULL, ts3 TIMESTAMP(3) NULL, ts6 TIMESTAMP(6) NULL,
              yr YEAR,
              u8 VARCHAR(50) CHARACTER SET utf8mb4, u3 VARCHAR(50) CHARACTER SET utf8mb3, l1 VARCHAR(50) CHARACTER SET latin1,
              ch CHAR(5), cu CHAR(10) CHARACTER SET utf8mb4, tx TEXT, lt LONGTEXT CHARACTER SET latin1,
              en ENUM('a','b''q','c','é'), el ENUM('x','é') CHARACTER SET latin1, st SET('x','y','z','ü'),
              bn BINARY(4), b1n BINARY(1), vb VARBINARY(16), bl BLOB, js JSON, geo GEOMETRY,
              gen_v INT AS (id * 2) VIRTUAL, gen_s VARCHAR(60) AS (CONCAT(u8, '!')) STORED
            )""";

    private static final List<String> ROWS = List.of(
            // integer boundaries
            "(id, ti, tu, si, su, mi, mu, ii, iu, bi, bu) VALUES (1, -128, 255, -32768, 65535, -8388608, 16777215,"
                    + " -2147483648, 4294967295, -9223372036854775808, 18446744073709551615)",
            "(id, ti, tu, si, su, mi, mu, ii, iu, bi, bu) VALUES (2, 127, 128, 32767, 32768, 8388607, 8388608,"
                    + " 2147483647, 2147483648, 9223372036854775807, 9223372036854775808)",
            "(id, ti, tu, si, su, mi, mu, ii, iu, bi, bu) VALUES (3, 0, 0, -1, 0, -1, 0, -1, 0, -1, 0)",
            // decimals, floats, bits
            "(id, de, d14, d0, d65, fl, db, b1, b9, bt) VALUES (4, -12345678901234567890.0123456789, -1234.56789012345678,"
                    + " -9999999999, 12345678901234567890123456789012345.123456789012345678901234567890, 3.4028234e38,"
                    + " 2.2250738585072014e-308, b'1', b'100000001', b'1111111111111111111111111111111111111111111111111111111111111111')",
            "(id, de, d14, d0, d65, fl, db, b1, b9, bt) VALUES (5, 0, 0, 0, -0.000000000000000000000000000001, 0.1, 0.1,"
                    + " b'0', b'0', b'0')",
            "(id, de, d14, d0, d65, fl, db) VALUES (6, 0.0000000001, -0.00000000000001, 1, -1, -1.17549435e-38, 1e15)",
            "(id, fl, db) VALUES (7, 16777217, 123456789012345678)",
            "(id, fl, db) VALUES (8, 1e-45, -1e-300)",
            "(id, fl, db) VALUES (9, 123.456, 1.7976931348623157e308)",
            "(id, fl, db) VALUES (10, -0.0, 1234567890123456.7)",
            "(id, fl, db) VALUES (11, 1e-5, 0.000123456789)",
            // temporal
            "(id, dt, t0, t1, t2, t3, t4, t5, t6, yr) VALUES (12, '1000-01-01', '-838:59:59', '-00:00:00.1', '-00:00:01.01',"
                    + " '-12:34:56.789', '-00:00:00.0001', '-100:00:00.00001', '-838:59:59.000000', 1901)",
            "(id, dt, t0, t1, t2, t3, t4, t5, t6, yr) VALUES (13, '9999-12-31', '838:59:59', '00:00:00.9', '23:59:59.99',"
                    + " '00:00:00.001', '99:00:00.9999', '00:00:00.00001', '838:59:59.999999', 2155)",
            "(id, dt, t0, t1, t2, t3, t4, t5, t6, yr) VALUES (14, '0000-00-00', '00:00:00', '00:00:00', '-00:00:00.5',"
                    + " '00:00:00', '-00:00:00.5', '-00:00:00.5', '-00:00:00.000001', 0)",
            "(id, dt, yr) VALUES (15, '2020-00-00', 1970)",
            "(id, dt) VALUES (16, '2020-02-00')",
            "(id, dt0, dt1, dt2, dt3, dt4, dt5, dt6) VALUES (17, '1000-01-01 00:00:00', '1970-01-01 00:00:00.1',"
                    + " '2000-02-29 12:34:56.78', '2038-01-19 03:14:07.999', '9999-12-31 23:59:59.9999',"
                    + " '2020-06-15 01:02:03.00001', '9999-12-31 23:59:59.999999')",
            "(id, dt0, dt1, dt2, dt3, dt4, dt5, dt6) VALUES (18, '0000-00-00 00:00:00', '0000-00-00 00:00:00.0',"
                    + " '2020-00-00 00:00:00', '2020-01-00 10:00:00.5', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
                    + " '0000-00-00 00:00:00.000000')",
            "(id, ts0, ts2, ts3, ts6) VALUES (19, '1970-01-01 00:00:01', '2038-01-19 03:14:07.99', '2001-03-04 05:06:07.890',"
                    + " '2038-01-19 03:14:07.999999')",
            "(id, ts0, ts2, ts3, ts6) VALUES (20, '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
                    + " '2020-02-29 23:59:59.000001')",
            // text and enums
            "(id, u8, u3, l1, ch, cu, tx, lt, en, el, st) VALUES (21, 'a''b\\\\c \"😀\" é', 'quote '' and \\\\ é',"
                    + " 'caf\\xe9 ''x''', 'ab', 'é  ', CONCAT('nul', CHAR(0), 'byte'), CONCAT('x', CHAR(0), '\\\\'), 'b''q',"
                    + " 'é', 'x,z')",
            "(id, u8, u3, l1, ch, cu, tx, lt, en, el, st) VALUES (22, '', '', '', '', '', '', '', 'é', 'x', '')",
            "(id, u8, l1, ch, cu, tx, en, st) VALUES (23, 'trailing  ', 'x  ', 'c  ', '😀😀', REPEAT('z', 3000), 'c', 'x,y,z,ü')",
            // binary, JSON, geometry
            "(id, bn, b1n, vb, bl, js, geo) VALUES (24, 'ABC', '', X'00FF00', X'00FF00', '{\"a\": [1, 2.5, \"x\"], \"b\": null}',"
                    + " ST_GeomFromText('POINT(1 2)'))",
            "(id, bn, b1n, vb, bl, js, geo) VALUES (25, X'41424300', X'00', X'', X'', '[]', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'))",
            "(id, bn, b1n, vb, bl, js) VALUES (26, X'FFFFFFFF', 'z', X'0102030400', REPEAT(X'AB', 70000), '\"str\"')",
            "(id, bn, js) VALUES (27, X'00000000', '{\"nested\": {\"k\": [true, false, null, -1.5e300]}, \"s\": \"é\\\\\\\\\"}')",
            "(id) VALUES (28)");

    private final TestPair pair;

    BinlogValueFidelityIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void insertedUpdatedAndDeletedRowsDecodeExactlyLikeTheyReadOverJdbc() throws Exception {
        assertRowImagesMatchJdbc(pair.table("fidelity"));
    }

    /**
     * With binlog_row_metadata=FULL, TABLE_MAP events also carry column names, signedness, charsets and more
     * (MySQL's default is MINIMAL, MariaDB's NO_LOG): the rows decode the same. The global setting is flipped for
     * this test only and restored.
     */
    @Test
    void rowImagesDecodeTheSameWithFullRowMetadata() throws Exception {
        String before = String.valueOf(pair.source().scalar("SELECT @@GLOBAL.binlog_row_metadata"));
        pair.source().exec("SET GLOBAL binlog_row_metadata = 'FULL'");
        try {
            assertRowImagesMatchJdbc(pair.table("fidelity_full_metadata"));
        } finally {
            pair.source().exec("SET GLOBAL binlog_row_metadata = '" + before + "'");
        }
    }

    private void assertRowImagesMatchJdbc(TableId table) throws Exception {
        pair.source().exec(DDL.formatted(table.sql()));
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), table);
        TableSchema schema = schemas.schemaOf(table);

        BinlogPosition beforeInsert = BinlogCapture.currentPosition(pair.source());
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            for (String row : ROWS) {
                st.execute("INSERT INTO " + table.sql() + " " + row);
            }
        }
        Map<String, Row> inserted = readRows(table, schema);
        assertEquals(ROWS.size(), inserted.size());

        BinlogPosition beforeUpdate = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("UPDATE " + table.sql() + " SET id = id + 1000, u8 = CONCAT(u8, 'é'), ti = ti DIV 2,"
                + " dt6 = '2001-01-01 00:00:00.5', t6 = '-01:00:00.25', bn = 'x', st = 'y,ü', js = '{\"u\": 1}'");
        Map<String, Row> updated = readRows(table, schema);

        BinlogPosition beforeDelete = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("DELETE FROM " + table.sql());
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());

        List<BinlogEvent> events = BinlogCapture.read(pair.source().endpoint().rootConfig(), schemas,
                ResumablePosition.at(beforeInsert), end);

        List<Row> insertImages = new ArrayList<>();
        List<RowsUpdated.Change> changes = new ArrayList<>();
        List<Row> deleteImages = new ArrayList<>();
        for (BinlogEvent e : events) {
            switch (e) {
                case RowsInserted r -> {
                    assertTrue(r.position().event().compareTo(beforeUpdate) <= 0, "insert after the update: " + r);
                    insertImages.addAll(r.rows());
                }
                case RowsUpdated u -> changes.addAll(u.changes());
                case RowsDeleted d -> {
                    assertTrue(d.position().event().compareTo(beforeDelete) > 0, "delete before the DELETE: " + d);
                    deleteImages.addAll(d.rows());
                }
                default -> {
                }
            }
        }
        assertImagesEqual("INSERT", schema, inserted, insertImages);
        assertImagesEqual("UPDATE before", schema, inserted, changes.stream().map(RowsUpdated.Change::before).toList());
        assertImagesEqual("UPDATE after", schema, updated, changes.stream().map(RowsUpdated.Change::after).toList());
        assertImagesEqual("DELETE", schema, updated, deleteImages);
    }

    private Map<String, Row> readRows(TableId table, TableSchema schema) throws Exception {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection c = pair.source().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(schema.columns()) + " FROM "
                     + table.sql() + " ORDER BY id")) {
            while (rs.next()) {
                Row row = SqlLiterals.readRow(rs, 1, schema.columns().size());
                rows.put(new String(row.get(0), StandardCharsets.US_ASCII), row);
            }
        }
        return rows;
    }

    /** Compares decoded images with JDBC rows by id, column by column, naming the first differing columns. */
    private static void assertImagesEqual(String what, TableSchema schema, Map<String, Row> expected, List<Row> actual) {
        assertEquals(expected.size(), actual.size(), what + ": number of row images");
        List<String> problems = new ArrayList<>();
        for (Row got : actual) {
            String id = new String(got.get(0), StandardCharsets.US_ASCII);
            Row want = expected.get(id);
            if (want == null) {
                problems.add("id " + id + ": no such row over JDBC");
                continue;
            }
            for (int i = 0; i < schema.columns().size(); i++) {
                ColumnSchema col = schema.columns().get(i);
                if (col.generated() && got.get(i) == null && col.name().equals("gen_v")) {
                    continue; // MariaDB does not log virtual columns; the streamer documents them as null
                }
                if (!java.util.Arrays.equals(want.get(i), got.get(i))) {
                    problems.add("id " + id + " column " + col.name() + " (" + col.columnType() + "): JDBC "
                            + show(want.get(i)) + " but binlog " + show(got.get(i)));
                }
            }
        }
        assertTrue(problems.isEmpty(), what + ": " + problems.size() + " differences:\n  " + String.join("\n  ", problems));
    }

    private static String show(byte[] v) {
        if (v == null) {
            return "NULL";
        }
        String text = new String(v, StandardCharsets.UTF_8);
        String hex = v.length > 40 ? HexFormat.of().formatHex(v, 0, 40) + "..." : HexFormat.of().formatHex(v);
        return "'" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "' [" + v.length + " bytes 0x" + hex + "]";
    }
}

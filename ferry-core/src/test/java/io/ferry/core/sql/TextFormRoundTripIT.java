package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Values read in text form from the source and written back with {@link SqlLiterals}, as literals and as bound
 * parameters, land on the target byte for byte, for every column family and its edge values.
 */
@MySqlPair
class TextFormRoundTripIT {
    private static final String DDL = """
            CREATE TABLE %s (
              id INT NOT NULL PRIMARY KEY,
              ti TINYINT, tu TINYINT UNSIGNED, mi MEDIUMINT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
              de DECIMAL(30,10), fl FLOAT, db DOUBLE, bt BIT(64),
              dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(3) NULL, yr YEAR,
              u8 VARCHAR(50) CHARACTER SET utf8mb4, l1 VARCHAR(50) CHARACTER SET latin1, ch CHAR(5), tx TEXT,
              en ENUM('a','b''q','c'), st SET('x','y','z'),
              bn BINARY(4), vb VARBINARY(16), bl BLOB, js JSON, geo GEOMETRY,
              gen_v INT AS (id * 2) VIRTUAL, gen_s VARCHAR(60) AS (CONCAT(u8, '!')) STORED
            )""";

    private static final String ROWS = """
            INSERT INTO %s (id, ti, tu, mi, bi, bu, de, fl, db, bt, dt, tm, dtm, ts, yr, u8, l1, ch, tx, en, st, bn, vb, bl, js, geo) VALUES
            (1, -128, 255, 16777215, -9223372036854775808, 18446744073709551615, -12345678901234567890.0123456789,
             3.4028234e38, 2.2250738585072014e-308, b'1111111111111111111111111111111111111111111111111111111111111111',
             '1000-01-01', '-838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', 1901,
             'a''b\\\\c "😀" é', 'caf\\xe9 ''x''', 'ab', CONCAT('nul', CHAR(0), 'byte'), 'b''q', 'x,z',
             X'41424300', X'00000000', X'00FF00', '{"a": [1, 2.5, "x"], "b": null}', ST_GeomFromText('POINT(1 2)')),
            (2, 0, 0, 0, 0, 0, 0, 0.1, 0.1, b'0', '2020-02-29', '00:00:00', '1970-01-01 00:00:01', '1970-01-01 00:00:01', 2155,
             '', '', '', '', 'a', '', X'00', X'', X'', '[]', NULL),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (4, 127, 128, 8388608, 9223372036854775807, 9223372036854775808, 0.0000000001, -1.17549435e-38, -0.0,
             b'101', '0000-00-00', '838:59:59.999999', '0000-00-00 00:00:00', '2001-03-04 05:06:07.890', 0,
             'trailing  ', 'x', 'c  ', REPEAT('z', 3000), 'c', 'x,y,z', X'FFFFFFFF', X'0102030400', REPEAT(X'AB', 70000),
             '"str"', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'))
            """;

    @Test
    void everyValueSurvivesAsLiteralAndAsBoundParameter(TestPair pair) throws Exception {
        String db = pair.database();
        TableId src = new TableId(db, "types");
        pair.source().exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
                DDL.formatted(src.sql()));
        pair.source().exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES'");
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            st.execute(ROWS.formatted(src.sql()));
        }
        TableSchema schema;
        List<Row> rows = new ArrayList<>();
        ServerInfo target;
        try (Connection c = pair.source().connect(); Statement st = c.createStatement()) {
            schema = SchemaLoader.loadOne(c, src);
            try (ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(schema.columns()) + " FROM "
                    + src.sql() + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add(SqlLiterals.readRow(rs, 1, schema.columns().size()));
                }
            }
        }
        assertEquals(4, rows.size());
        pair.target().exec("CREATE DATABASE `" + db + "`");
        TableId viaLiterals = new TableId(db, "via_literals");
        TableId viaBinds = new TableId(db, "via_binds");
        pair.target().exec(DDL.formatted(viaLiterals.sql()), DDL.formatted(viaBinds.sql()));
        List<ColumnSchema> writable = schema.writableColumns();
        String columns = writable.stream().map(c -> Sql.quote(c.name())).collect(Collectors.joining(", "));
        try (Connection c = pair.target().connect()) {
            target = ServerInfo.of(c);
            var literals = new SqlLiterals(target.flavor());
            try (Statement st = c.createStatement()) {
                for (Row row : rows) {
                    var sql = new StringBuilder("INSERT INTO " + viaLiterals.sql() + " (" + columns + ") VALUES (");
                    for (int i = 0; i < writable.size(); i++) {
                        sql.append(i == 0 ? "" : ", ");
                        ColumnSchema col = writable.get(i);
                        literals.append(sql, col, row.get(schema.columns().indexOf(col)));
                    }
                    st.execute(sql.append(')').toString());
                }
            }
            String placeholders = writable.stream().map(literals::placeholder).collect(Collectors.joining(", "));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + viaBinds.sql() + " (" + columns + ") VALUES (" + placeholders + ")")) {
                for (Row row : rows) {
                    for (int i = 0; i < writable.size(); i++) {
                        ColumnSchema col = writable.get(i);
                        literals.bind(ps, i + 1, col, row.get(schema.columns().indexOf(col)));
                    }
                    ps.executeUpdate();
                }
            }
        }
        TableComparison.assertIdentical(pair.source(), src, pair.target(), viaLiterals);
        TableComparison.assertIdentical(pair.source(), src, pair.target(), viaBinds);
    }
}

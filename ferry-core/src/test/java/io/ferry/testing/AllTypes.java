package io.ferry.testing;

/**
 * A table with one column of every value family ferry carries, and rows with their edge values (min/max, NULL,
 * empty, padding, fractions, zero dates, 4-byte characters, NUL bytes). Format both with a qualified table name.
 * Insert the rows with a session {@code sql_mode} that allows zero dates, e.g. {@code NO_AUTO_VALUE_ON_ZERO}.
 */
public final class AllTypes {
    private AllTypes() {
    }

    public static final String DDL = """
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

    public static final String ROWS = """
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

}

package io.ferry.core.schema;

/**
 * How ferry carries and renders a column's values. Every value travels in its MySQL text-protocol form (the bytes
 * the server sends for it in a text result set with {@code character_set_results = binary}); the kind says how
 * those bytes are written back as SQL.
 */
public enum ColumnKind {
    /** TINYINT..BIGINT, signed or unsigned: ASCII decimal digits. */
    INTEGER,
    /** DECIMAL/NUMERIC: exact ASCII decimal. */
    DECIMAL,
    /** FLOAT: read as {@code CAST(col AS DOUBLE)} so no digit is lost; ASCII decimal or E notation. */
    FLOAT,
    /** DOUBLE/REAL: ASCII decimal or E notation with 17 significant digits. */
    DOUBLE,
    /** BIT(n): ASCII decimal of the unsigned value. */
    BIT,
    /** YEAR, DATE, TIME, DATETIME, TIMESTAMP: the server's text form, read and written with time_zone '+00:00'. */
    TEMPORAL,
    /** CHAR/VARCHAR/TEXT: raw bytes in the column's character set. */
    TEXT,
    /** ENUM and SET: the member names as text in the column's character set. */
    ENUM_OR_SET,
    /** BINARY(n): raw bytes, right-padded with 0x00 to n. */
    FIXED_BINARY,
    /** VARBINARY and BLOB: raw bytes. */
    BINARY,
    /**
     * JSON: text in utf8mb4 (MySQL) or the column's character set (MariaDB, where JSON is LONGTEXT); on MySQL, a value
     * holding scalars whose type the text loses (DECIMAL, DATE, ...) is in {@link io.ferry.core.sql.TypedJson}'s form.
     */
    JSON,
    /** Spatial types: the server's internal geometry bytes (SRID + WKB). */
    GEOMETRY,
    /** VECTOR and types ferry does not know: refused up front. */
    UNSUPPORTED
}

package io.ferry.core.schema;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column as {@code information_schema.COLUMNS} describes it.
 *
 * @param name            column name
 * @param ordinal         1-based position in the table
 * @param dataType        lower-case DATA_TYPE, e.g. {@code bigint}, {@code varchar}
 * @param columnType      full COLUMN_TYPE, e.g. {@code bigint(20) unsigned}
 * @param unsigned        numeric column declared UNSIGNED
 * @param nullable        IS_NULLABLE
 * @param charset         character set of a text column, else {@code null}
 * @param collation       collation of a text column, else {@code null}
 * @param maxLength       CHARACTER_MAXIMUM_LENGTH (characters, or bytes for binary types), or -1
 * @param scale           NUMERIC_SCALE or DATETIME_PRECISION, or -1
 * @param generated       a VIRTUAL or STORED generated column: never written, never compared
 * @param autoIncrement   EXTRA says auto_increment
 * @param members         ENUM or SET members in declaration order, else empty
 */
public record ColumnSchema(
        String name,
        int ordinal,
        String dataType,
        String columnType,
        boolean unsigned,
        boolean nullable,
        String charset,
        String collation,
        long maxLength,
        int scale,
        boolean generated,
        boolean autoIncrement,
        List<String> members) {

    public ColumnSchema {
        Objects.requireNonNull(name, "name");
        dataType = dataType.toLowerCase(Locale.ROOT);
        members = List.copyOf(members);
    }

    public ColumnKind kind() {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> ColumnKind.INTEGER;
            case "decimal", "numeric" -> ColumnKind.DECIMAL;
            case "float" -> ColumnKind.FLOAT;
            case "double", "real", "double precision" -> ColumnKind.DOUBLE;
            case "bit" -> ColumnKind.BIT;
            case "year", "date", "time", "datetime", "timestamp" -> ColumnKind.TEMPORAL;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" ->
                    "binary".equals(charset) ? ColumnKind.BINARY : ColumnKind.TEXT;
            case "enum", "set" -> ColumnKind.ENUM_OR_SET;
            case "binary" -> ColumnKind.FIXED_BINARY;
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> ColumnKind.BINARY;
            case "json" -> ColumnKind.JSON;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> ColumnKind.GEOMETRY;
            default -> ColumnKind.UNSUPPORTED;
        };
    }

    public boolean isInteger() {
        return kind() == ColumnKind.INTEGER;
    }

    /** A text column whose collation orders and compares exactly like its bytes. */
    public boolean hasBinaryCollation() {
        return collation == null || collation.endsWith("_bin") || "binary".equals(collation);
    }

    /** The character set a text value's bytes are in ({@code utf8mb4} for JSON on MySQL, whose charset is null). */
    public String textCharset() {
        return charset != null ? charset : "utf8mb4";
    }
}

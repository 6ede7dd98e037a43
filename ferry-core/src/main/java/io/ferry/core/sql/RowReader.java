package io.ferry.core.sql;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.ColumnKind;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads a table's rows in text form (see {@link SqlLiterals#selectList}) so that they can be written back exactly.
 * On a MySQL source every JSON column also selects the scalars whose type its text loses
 * ({@link TypedJson#typesExpression}), which costs nothing for tables without JSON columns and little for values
 * without such scalars; the row then holds the {@link TypedJson} form. MariaDB's JSON is text and needs nothing.
 */
public final class RowReader {
    private final List<ColumnSchema> columns;
    private final int[] jsonColumns;
    private final String selectList;

    private RowReader(TableSchema schema, ServerInfo source) {
        this.columns = schema.columns();
        this.jsonColumns = source.flavor() == ServerFlavor.MYSQL
                ? IntStream.range(0, columns.size()).filter(i -> columns.get(i).kind() == ColumnKind.JSON).toArray()
                : new int[0];
        var sb = new StringBuilder(SqlLiterals.selectList(columns));
        for (int i : jsonColumns) {
            sb.append(", ").append(TypedJson.typesExpression(schema.id().sql() + "." + Sql.quote(columns.get(i).name())));
        }
        this.selectList = sb.toString();
    }

    /**
     * A reader of {@code schema}'s rows on {@code source}; the SELECT must read {@code FROM} that table. On MySQL it
     * needs {@link #readsJsonTypes} for tables with JSON columns.
     */
    public static RowReader of(TableSchema schema, ServerInfo source) {
        if (source.flavor() == ServerFlavor.MYSQL && !readsJsonTypes(source)
                && schema.columns().stream().anyMatch(c -> c.kind() == ColumnKind.JSON)) {
            throw new IllegalArgumentException("MySQL " + source.version() + " cannot list the types of the JSON values"
                    + " of " + schema.id() + " (it has no JSON_TABLE)");
        }
        return new RowReader(schema, source);
    }

    /** Whether the server can list the typed scalars of its JSON values: MariaDB (text JSON), MySQL 8.0 or newer. */
    public static boolean readsJsonTypes(ServerInfo server) {
        return server.isMariaDb() || server.major() >= 8;
    }

    /** The SELECT list: every column, then the type lists of MySQL JSON columns. */
    public String selectList() {
        return selectList;
    }

    /** How many result columns {@link #selectList} takes. */
    public int width() {
        return columns.size() + jsonColumns.length;
    }

    /** The current row of {@code rs}, whose first column selected by {@link #selectList} is {@code first}. */
    public Row read(ResultSet rs, int first) throws SQLException {
        Row row = SqlLiterals.readRow(rs, first, columns.size());
        if (jsonColumns.length == 0) {
            return row;
        }
        byte[][] values = row.values();
        for (int j = 0; j < jsonColumns.length; j++) {
            byte[] types = rs.getBytes(first + columns.size() + j);
            if (types != null) {
                values[jsonColumns[j]] = TypedJson.of(values[jsonColumns[j]], types);
            }
        }
        return row;
    }
}

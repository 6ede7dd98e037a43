package io.ferry.core;

import io.ferry.core.sql.Sql;
import java.util.Objects;

/** A table named by its database (schema) and table name, as the server spells them. */
public record TableId(String database, String table) implements Comparable<TableId> {
    public TableId {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
    }

    /** Parses {@code db.table}; the first dot separates the two. */
    public static TableId parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("'" + qualified + "' is not of the form database.table");
        }
        return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** The quoted SQL name, {@code `db`.`table`}. */
    public String sql() {
        return Sql.quote(database) + "." + Sql.quote(table);
    }

    @Override
    public int compareTo(TableId o) {
        int c = database.compareTo(o.database);
        return c != 0 ? c : table.compareTo(o.table);
    }

    /** {@code db.table}, the form used in logs, state files and config keys. */
    @Override
    public String toString() {
        return database + "." + table;
    }
}

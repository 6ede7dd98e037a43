package io.ferry.core.schema;

import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table's columns and keys, read from {@code information_schema}.
 *
 * @param id         the table
 * @param columns    every column, in ordinal order
 * @param primaryKey primary-key column names in key order; empty when the table has none
 * @param uniqueKeys other unique indexes, each as column names in index order (NOT NULL and nullable alike); unique
 *                   indexes over expressions (MySQL functional key parts) are left out
 */
public record TableSchema(TableId id, List<ColumnSchema> columns, List<String> primaryKey, List<List<String>> uniqueKeys) {

    public TableSchema {
        Objects.requireNonNull(id, "id");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }

    public Optional<ColumnSchema> column(String name) {
        for (ColumnSchema c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The columns ferry writes: every column except generated ones. */
    public List<ColumnSchema> writableColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }

    public List<ColumnSchema> primaryKeyColumns() {
        List<ColumnSchema> out = new ArrayList<>(primaryKey.size());
        for (String name : primaryKey) {
            out.add(column(name).orElseThrow());
        }
        return out;
    }

    /**
     * The key that identifies a row: the primary key, else the first unique key whose columns are all NOT NULL
     * (a nullable unique key admits several rows with NULLs); empty when there is none. Without one, identical rows
     * may exist, so a binlog change applied twice is not harmless.
     */
    public List<String> identityKey() {
        if (!primaryKey.isEmpty()) {
            return primaryKey;
        }
        for (List<String> unique : uniqueKeys) {
            boolean notNull = !unique.isEmpty() && unique.stream()
                    .allMatch(k -> column(k).map(c -> !c.nullable()).orElse(false));
            if (notNull) {
                return unique;
            }
        }
        return List.of();
    }

    /** This schema under another name (database/table rewrites); columns and keys are unchanged. */
    public TableSchema renamed(TableId to) {
        return new TableSchema(to, columns, primaryKey, uniqueKeys);
    }
}

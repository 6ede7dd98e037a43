package io.ferry.core.filter;

import java.util.Objects;

/**
 * The part of the selected databases a run moves: its tables and their rows.
 *
 * @param tables which tables take part
 * @param rows   which of their rows
 */
public record CopySubset(TableFilter tables, RowFilter rows) {
    /** Every row of every selected table: a whole copy. */
    public static final CopySubset ALL = new CopySubset(TableFilter.ALL, RowFilter.ALL);

    public CopySubset {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(rows, "rows");
    }

    /** Only the rows {@code rows} selects, of every selected table. */
    public static CopySubset of(RowFilter rows) {
        return new CopySubset(TableFilter.ALL, rows);
    }

    /** What a saved state records of the subset: the row filter's identity, {@code null} for every row. */
    public String stateIdentity() {
        return filtersRows() ? rows.identity() : null;
    }

    /** Whether rows are filtered at all (a whole copy's tables may still be filtered). */
    public boolean filtersRows() {
        return rows != RowFilter.ALL;
    }
}

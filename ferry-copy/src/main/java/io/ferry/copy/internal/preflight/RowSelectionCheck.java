package io.ferry.copy.internal.preflight;

import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs each table's row selection once on the source before anything is copied, so that a condition the server
 * cannot run (a misspelt column, a missing join table, a hint naming no index) is reported with its table instead of
 * failing the copy of that table later.
 */
final class RowSelectionCheck {
    private RowSelectionCheck() {
    }

    /** One line per table whose selection fails on the source. */
    static List<String> check(Connection source, Collection<TableSchema> tables, RowFilter rows) throws SQLException {
        List<String> refused = new ArrayList<>();
        if (rows == RowFilter.ALL) {
            return refused;
        }
        try (Statement st = source.createStatement()) {
            for (TableSchema t : tables) {
                RowSelection selection = rows.select(t, t.id());
                if (selection.selectsAll() && selection.indexHint().isEmpty()) {
                    continue;
                }
                String sql = "SELECT 1 FROM " + t.id().sql() + " " + selection.indexHint()
                        + (selection.selectsAll() ? "" : " WHERE (" + selection.condition() + ")") + " LIMIT 1";
                try {
                    st.executeQuery(sql).close();
                } catch (SQLException e) {
                    if (SqlErrors.isConnectionLost(e)) {
                        throw e;
                    }
                    refused.add(t.id() + ": the row filter's selection fails on the source (" + SqlErrors.describe(e)
                            + "): " + sql + "; fix the filter");
                }
            }
        }
        return refused;
    }
}

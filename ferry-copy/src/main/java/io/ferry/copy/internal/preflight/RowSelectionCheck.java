package io.ferry.copy.internal.preflight;

import io.ferry.core.TableId;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.schema.TableSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts each table's selected rows on the source before anything is copied: progress and key ranges go by the
 * selection's size rather than the table's, and a condition the server cannot run (a misspelt column, a missing join
 * table, a hint naming no index) is reported with its table instead of failing the copy of that table later.
 */
final class RowSelectionCheck {
    private RowSelectionCheck() {
    }

    /**
     * @param refused  one line per table whose selection fails on the source
     * @param selected the number of rows each filtered table's selection holds now
     */
    record Result(List<String> refused, Map<TableId, Long> selected) {
    }

    static Result check(Connection source, Collection<TableSchema> tables, RowFilter rows) throws SQLException {
        List<String> refused = new ArrayList<>();
        Map<TableId, Long> selected = new LinkedHashMap<>();
        if (rows == RowFilter.ALL) {
            return new Result(refused, selected);
        }
        try (Statement st = source.createStatement()) {
            for (TableSchema t : tables) {
                RowSelection selection = rows.select(t, t.id());
                if (selection.selectsAll() && selection.indexHint().isEmpty()) {
                    continue;
                }
                String sql = "SELECT COUNT(*) FROM " + selection.on(t.id());
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    selected.put(t.id(), rs.getLong(1));
                } catch (SQLException e) {
                    if (SqlErrors.isConnectionLost(e)) {
                        throw e;
                    }
                    refused.add(t.id() + ": the row filter's selection fails on the source (" + SqlErrors.describe(e)
                            + "): " + sql + "; fix the filter");
                }
            }
        }
        return new Result(refused, selected);
    }
}

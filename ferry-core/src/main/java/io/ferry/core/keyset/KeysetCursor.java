package io.ferry.core.keyset;

import io.ferry.core.TableId;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.sql.KeyOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyset pagination over one table: the SQL that reads the rows of a {@link KeyRange} in key order, a batch at a
 * time, and the reads of the keys that bound such ranges. Every comparison and every order is the server's, in the
 * key columns' own collations (see {@link KeyOrder}, which renders them), so a walk never skips or repeats a key
 * whatever the key's type; Java only tests keys for equality.
 *
 * @param key       the key's order on this table (possibly another table's order applied here, {@link KeyOrder#on})
 * @param from      the table as the FROM clause names it, with an index hint if any
 * @param condition the rows taking part (a {@link RowSelection}'s condition), or empty for all; every read and every
 *                  bound of the cursor stays within them
 */
public record KeysetCursor(KeyOrder key, String from, String condition) {

    /** A cursor over every row of {@code from}. */
    public KeysetCursor(KeyOrder key, String from) {
        this(key, from, "");
    }

    /** A cursor over the rows of {@code table} that {@code rows} selects, read through its index hint. */
    public static KeysetCursor of(KeyOrder key, TableId table, RowSelection rows) {
        return new KeysetCursor(key, table.sql() + (rows.indexHint().isEmpty() ? "" : " " + rows.indexHint()),
                rows.condition());
    }

    /** {@code WHERE <condition>} (with a leading space) for a statement of its own over the cursor's rows. */
    public String where() {
        return condition.isEmpty() ? "" : " WHERE (" + condition + ")";
    }

    /** How many columns a key has. */
    public int width() {
        return key.columns().size();
    }

    /** {@code SELECT columns FROM table WHERE <range> ORDER BY <key> LIMIT limit}: the range's next batch. */
    public String select(String columns, KeyRange range, int limit) {
        return select(columns, range) + " LIMIT " + limit;
    }

    /** {@code SELECT columns FROM table WHERE <range> ORDER BY <key>}: every row of the range, in its direction. */
    public String select(String columns, KeyRange range) {
        var sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(from).append(where());
        if (range.after() != null || range.upTo() != null) {
            sql.append(condition.isEmpty() ? " WHERE " : " AND ");
            if (range.after() != null) {
                sql.append(key.after(range.after(), range.descending()));
            }
            if (range.upTo() != null) {
                sql.append(range.after() != null ? " AND " : "").append(key.upTo(range.upTo(), range.descending()));
            }
        }
        return sql.append(" ORDER BY ").append(key.orderBy(range.descending())).toString();
    }

    /** {@code SELECT columns FROM table WHERE key = k1 OR key = k2 ...}; {@code keys} must not be empty. */
    public String selectKeys(String columns, List<List<byte[]>> keys) {
        return "SELECT " + columns + " FROM " + from + (condition.isEmpty() ? " WHERE " : where() + " AND ")
                + key.in(keys);
    }

    /** The key read by {@link KeyOrder#selectList} at column {@code first} of the current row. */
    public List<byte[]> readKey(ResultSet rs, int first) throws SQLException {
        return KeyValues.read(rs, first, width());
    }

    /** The key of the last row in key order now (the first when {@code descending}), or {@code null} if none. */
    public List<byte[]> lastKey(Statement st, boolean descending) throws SQLException {
        try (ResultSet rs = st.executeQuery(select(key.selectList(), new KeyRange(null, null, !descending), 1))) {
            return rs.next() ? readKey(rs, 1) : null;
        }
    }

    /**
     * Up to {@code parts - 1} keys that split the {@code rows} rows up to {@code last} into parts of about equal
     * size, in the walk's order: every n-th key as the server orders them ({@code LIMIT 1 OFFSET n}), so the parts
     * follow the key's collation. Each point is counted on from the one before, so the server walks the key once
     * in all rather than once per point. Stops early when the rows run out or at {@code last}, so no part is empty.
     */
    public List<List<byte[]>> splitPoints(Statement st, List<byte[]> last, boolean descending, long rows, int parts)
            throws SQLException {
        return splitPoints(st, null, last, descending, rows, parts);
    }

    /** {@link #splitPoints(Statement, List, boolean, long, int)} of the rows after {@code after} (null: the start). */
    public List<List<byte[]>> splitPoints(Statement st, List<byte[]> after, List<byte[]> last, boolean descending,
                                          long rows, int parts) throws SQLException {
        List<List<byte[]>> out = new ArrayList<>();
        long step = Math.max(1, rows / parts);
        for (int i = 1; i < parts; i++) {
            List<byte[]> previous = out.isEmpty() ? after : out.getLast();
            // The first point of a walk from the start is its step-th row; any other the step-th row after a key.
            long offset = previous == null ? step : step - 1;
            String sql = select(key.selectList(), new KeyRange(previous, last, descending), 1) + " OFFSET " + offset;
            try (ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    break;
                }
                List<byte[]> point = readKey(rs, 1);
                if (KeyValues.same(point, last)) {
                    break;
                }
                out.add(point);
            }
        }
        return out;
    }

    /**
     * The optimizer's estimate of the rows in {@code range} ({@code EXPLAIN}'s {@code rows}: a few index dives, no
     * scan), or 0 when it gives none.
     */
    public long estimateRows(Statement st, KeyRange range) throws SQLException {
        try (ResultSet rs = st.executeQuery("EXPLAIN " + select("1", range))) {
            long rows = 0;
            while (rs.next()) {
                rows = Math.max(rows, rs.getLong("rows"));
            }
            return rows;
        }
    }
}

package io.ferry.verify.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.sql.RowFingerprint;
import io.ferry.core.verify.Mismatch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Compares a table without a key on both sides as multisets of row fingerprints: each server groups its rows by
 * fingerprint ({@code GROUP BY} in byte order) and streams fingerprint and count, and the two sorted streams are
 * merged, so duplicate rows count and memory stays constant. A fingerprint whose counts differ is one
 * {@link Mismatch.Kind#ROWS_MISSING_ON_TARGET} or {@link Mismatch.Kind#ROWS_MISSING_ON_SOURCE} with both counts.
 * Only meaningful while neither side is written.
 *
 * <p>A fingerprint finished in Java (JSON compared across engines, see {@link RowFingerprint}) cannot be grouped by
 * the server: then that side's rows are streamed and counted in a sorted map, which holds one entry per distinct
 * row (tables without a key are copied whole and meant to be small).
 */
final class RowMultisets {
    private RowMultisets() {
    }

    /** A side of the comparison: where to read, how to fingerprint, what to read from. */
    record Side(DataSource ds, String name, TableId table, RowFingerprint fingerprint, String from) {
        String sql() {
            if (!fingerprint.serverOnly()) {
                return "SELECT " + fingerprint.selectList() + " FROM " + from;
            }
            // Binary, so both servers order the hex digits the way Java compares them.
            return "SELECT CAST(" + fingerprint.expression() + " AS BINARY) AS fp, COUNT(*) FROM " + from
                    + " GROUP BY fp ORDER BY fp";
        }
    }

    /** Fingerprints with their counts, in ascending order. */
    private interface Counts {
        boolean next() throws SQLException;

        String fingerprint() throws SQLException;

        long count() throws SQLException;
    }

    /** The server's grouped rows. */
    private record Grouped(ResultSet rs) implements Counts {
        @Override
        public boolean next() throws SQLException {
            return rs.next();
        }

        @Override
        public String fingerprint() throws SQLException {
            return rs.getString(1);
        }

        @Override
        public long count() throws SQLException {
            return rs.getLong(2);
        }
    }

    /** Every row's fingerprint, finished and counted here. */
    private static final class CountedHere implements Counts {
        private final Iterator<Map.Entry<String, Long>> entries;
        private Map.Entry<String, Long> current;

        CountedHere(ResultSet rs, RowFingerprint fp) throws SQLException {
            var counts = new TreeMap<String, Long>();
            while (rs.next()) {
                counts.merge(fp.read(rs, 1), 1L, Long::sum);
            }
            entries = counts.entrySet().iterator();
        }

        @Override
        public boolean next() {
            current = entries.hasNext() ? entries.next() : null;
            return current != null;
        }

        @Override
        public String fingerprint() {
            return current.getKey();
        }

        @Override
        public long count() {
            return current.getValue();
        }
    }

    static List<Mismatch> compare(TableId verified, Side source, Side target) {
        List<Mismatch> out = new ArrayList<>();
        try (Connection sc = source.ds().getConnection(); Connection tc = target.ds().getConnection();
             Statement ss = streaming(sc); Statement ts = streaming(tc);
             ResultSet sr = query(ss, source, verified); ResultSet tr = query(ts, target, verified)) {
            Counts s = counts(sr, source);
            Counts t = counts(tr, target);
            boolean hasS = s.next();
            boolean hasT = t.next();
            while (hasS || hasT) {
                int order = !hasS ? 1 : !hasT ? -1 : s.fingerprint().compareTo(t.fingerprint());
                String fp = order <= 0 ? s.fingerprint() : t.fingerprint();
                long sourceCount = order <= 0 ? s.count() : 0;
                long targetCount = order >= 0 ? t.count() : 0;
                if (sourceCount != targetCount) {
                    out.add(new Mismatch(verified, "", sourceCount > targetCount ? Mismatch.Kind.ROWS_MISSING_ON_TARGET
                            : Mismatch.Kind.ROWS_MISSING_ON_SOURCE, counted(fp, sourceCount), counted(fp, targetCount),
                            List.of()));
                }
                if (order <= 0) {
                    hasS = s.next();
                }
                if (order >= 0) {
                    hasT = t.next();
                }
            }
        } catch (SQLException e) {
            throw new RunFailed("verifying " + verified + " (no key; compared by counting row fingerprints) failed: "
                    + SqlErrors.describe(e), e);
        }
        return out;
    }

    private static Counts counts(ResultSet rs, Side side) throws SQLException {
        return side.fingerprint().serverOnly() ? new Grouped(rs) : new CountedHere(rs, side.fingerprint());
    }

    private static String counted(String fingerprint, long count) {
        return count == 0 ? "" : fingerprint + " x" + count;
    }

    /** A statement whose rows are streamed rather than buffered by the driver. */
    private static Statement streaming(Connection c) throws SQLException {
        Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        st.setFetchSize(Integer.MIN_VALUE);
        return st;
    }

    private static ResultSet query(Statement st, Side side, TableId verified) throws SQLException {
        try {
            return st.executeQuery(side.sql());
        } catch (SQLException e) {
            throw new RunFailed("verifying " + verified + ": counting row fingerprints of " + side.table() + " on the "
                    + side.name() + " failed: " + SqlErrors.describe(e), e);
        }
    }
}

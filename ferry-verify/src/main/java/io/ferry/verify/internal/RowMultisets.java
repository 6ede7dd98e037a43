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
import java.util.List;
import javax.sql.DataSource;

/**
 * Compares a table without a key on both sides as multisets of row fingerprints: each server groups its rows by
 * fingerprint ({@code GROUP BY} in byte order) and streams fingerprint and count, and the two sorted streams are
 * merged, so duplicate rows count and memory stays constant. A fingerprint whose counts differ is one
 * {@link Mismatch.Kind#ROWS_MISSING_ON_TARGET} or {@link Mismatch.Kind#ROWS_MISSING_ON_SOURCE} with both counts.
 * Only meaningful while neither side is written.
 */
final class RowMultisets {
    private RowMultisets() {
    }

    /** A side of the comparison: where to read, how to fingerprint, what to read from. */
    record Side(DataSource ds, String name, TableId table, RowFingerprint fingerprint, String from) {
        String sql() {
            // Binary, so both servers order the hex digits the way Java compares them.
            return "SELECT CAST(" + fingerprint.expression() + " AS BINARY) AS fp, COUNT(*) FROM " + from
                    + " GROUP BY fp ORDER BY fp";
        }
    }

    static List<Mismatch> compare(TableId verified, Side source, Side target) {
        List<Mismatch> out = new ArrayList<>();
        try (Connection sc = source.ds().getConnection(); Connection tc = target.ds().getConnection();
             Statement ss = streaming(sc); Statement ts = streaming(tc);
             ResultSet s = query(ss, source, verified); ResultSet t = query(ts, target, verified)) {
            boolean hasS = s.next();
            boolean hasT = t.next();
            while (hasS || hasT) {
                int order = !hasS ? 1 : !hasT ? -1 : s.getString(1).compareTo(t.getString(1));
                String fp = order <= 0 ? s.getString(1) : t.getString(1);
                long sourceCount = order <= 0 ? s.getLong(2) : 0;
                long targetCount = order >= 0 ? t.getLong(2) : 0;
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

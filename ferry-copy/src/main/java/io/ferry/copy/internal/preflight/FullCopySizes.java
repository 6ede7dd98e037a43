package io.ferry.copy.internal.preflight;

import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preflight for tables copied whole: warns with each table's size (a full copy holds the binlog apply of every table
 * while it writes, and starts over when interrupted), and refuses tables whose engine has no consistent snapshot.
 */
final class FullCopySizes {
    private static final Logger LOG = LoggerFactory.getLogger(FullCopySizes.class);

    private FullCopySizes() {
    }

    /** Logs a warning per table; returns the refusals ({@code db.table: reason}), empty when all can be copied. */
    static List<String> checkAndWarn(Connection source, List<TableId> tables) throws SQLException {
        List<String> refused = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT COALESCE(TABLE_ROWS, 0), "
                + "COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0), ENGINE FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (TableId t : tables) {
                ps.setString(1, t.database());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue; // dropped meanwhile: the copy reports it
                    }
                    String engine = rs.getString(3);
                    if (engine != null && !engine.equalsIgnoreCase("InnoDB")) {
                        refused.add(t + ": it is listed in CascadingPaginationColumnConfig.FullTableCopies but is a "
                                + engine + " table; a full-table copy reads it in a consistent snapshot, which only "
                                + "InnoDB provides. Convert it (ALTER TABLE " + t.sql() + " ENGINE=InnoDB), give it a "
                                + "key with PerTable or FallbackColumn instead, or leave it out with Tables.Blacklist");
                        continue;
                    }
                    LOG.warn("{}: copied whole (CascadingPaginationColumnConfig.FullTableCopies): about {} rows, {}; "
                            + "the binlog apply of every table waits while its rows are written to the target, and an "
                            + "interrupted copy of it starts over", t, rs.getLong(1), bytes(rs.getLong(2)));
                }
            }
        }
        return refused;
    }

    /** {@code 512 bytes}, {@code 1.5 MiB}, {@code 2.0 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

package io.ferry.copy.internal.preflight;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises a target that is the source server itself (another host name, address or port forward for it): with
 * no database rewrite the "target tables" would be the source's own, so preflight refuses before anything is
 * written. A copy to other databases of the same server is allowed, with a warning.
 */
final class SameServer {
    private static final Logger LOG = LoggerFactory.getLogger(SameServer.class);

    private SameServer() {
    }

    static void check(Connection source, ServerInfo sourceInfo, Connection target, ServerInfo targetInfo,
                      Collection<TableId> tables, UnaryOperator<TableId> targetOf) throws SQLException {
        if (sourceInfo.flavor() != targetInfo.flavor() || !identity(source, sourceInfo).equals(identity(target, targetInfo))) {
            return;
        }
        List<String> same = tables.stream().filter(t -> t.equals(targetOf.apply(t))).map(TableId::toString).toList();
        if (!same.isEmpty()) {
            throw new PreconditionFailed("Source and Target are the same server (" + identity(source, sourceInfo)
                    + "), so the target tables would be the source tables themselves (" + String.join(", ",
                    same.subList(0, Math.min(5, same.size()))) + (same.size() > 5 ? ", ..." : "") + "); point Target"
                    + " at the other server, or copy into other databases with Databases.Rewrites");
        }
        LOG.warn("Source and Target are the same server; copying into other databases of it (Databases.Rewrites)");
    }

    /** What tells servers apart: MySQL's server UUID; on MariaDB, which has none, its host, port and data directory. */
    private static String identity(Connection c, ServerInfo info) throws SQLException {
        String query = info.isMariaDb() ? "SELECT CONCAT(@@hostname, ':', @@port, ':', @@datadir)" : "SELECT @@server_uuid";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

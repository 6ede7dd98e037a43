package io.ferry.copy.internal.dialect;

import io.ferry.core.db.ServerCollations;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What one server accepts in a table definition, as it says itself: its engine and version, its character sets and
 * collations, and its storage engines.
 *
 * @param engines lower-case names of the storage engines it can create tables with
 */
record ServerDialect(ServerInfo server, ServerCollations collations, Set<String> engines) {
    ServerDialect {
        engines = Set.copyOf(engines);
    }

    static ServerDialect load(Connection c) throws SQLException {
        Set<String> engines = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ENGINE FROM information_schema.ENGINES WHERE SUPPORT IN ('YES', 'DEFAULT')")) {
            while (rs.next()) {
                engines.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return new ServerDialect(ServerInfo.of(c), ServerCollations.load(c), engines);
    }

    ServerFlavor flavor() {
        return server.flavor();
    }

    /** e.g. {@code MariaDB 10.11} */
    String describe() {
        return (server.isMariaDb() ? "MariaDB " : "MySQL ") + server.major() + "." + server.minor();
    }
}

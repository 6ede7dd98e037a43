package io.ferry.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What ferry needs to know about a server to speak its dialect.
 *
 * @param flavor  MySQL or MariaDB
 * @param version the VERSION() string
 * @param major   major version number
 * @param minor   minor version number
 */
public record ServerInfo(ServerFlavor flavor, String version, int major, int minor) {

    public static ServerInfo of(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return parse(rs.getString(1));
        }
    }

    public static ServerInfo parse(String version) {
        ServerFlavor flavor = version.toLowerCase(Locale.ROOT).contains("mariadb") ? ServerFlavor.MARIADB : ServerFlavor.MYSQL;
        String[] parts = version.split("[.-]");
        int major = parts.length > 0 ? parseInt(parts[0]) : 0;
        int minor = parts.length > 1 ? parseInt(parts[1]) : 0;
        return new ServerInfo(flavor, version, major, minor);
    }

    public boolean isMariaDb() {
        return flavor == ServerFlavor.MARIADB;
    }

    /** The shared-lock clause for a locking read that fails fast on a conflict instead of waiting. */
    public String shareLockClause() {
        if (flavor == ServerFlavor.MYSQL && major >= 8) {
            return "FOR SHARE NOWAIT";
        }
        // MariaDB 10.3+ accepts NOWAIT after LOCK IN SHARE MODE; MySQL 5.7 has no NOWAIT.
        return flavor == ServerFlavor.MARIADB && (major > 10 || (major == 10 && minor >= 3))
                ? "LOCK IN SHARE MODE NOWAIT" : "LOCK IN SHARE MODE";
    }

    /** The statement that reports the current binlog file and position. */
    public String binlogStatusStatement() {
        boolean newSpelling = flavor == ServerFlavor.MYSQL && (major > 8 || (major == 8 && minor >= 4));
        return newSpelling ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

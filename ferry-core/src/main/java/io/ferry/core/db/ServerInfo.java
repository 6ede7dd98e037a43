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
        String[] parts = numbers(version);
        int major = parts.length > 0 ? parseInt(parts[0]) : 0;
        int minor = parts.length > 1 ? parseInt(parts[1]) : 0;
        return new ServerInfo(flavor, version, major, minor);
    }

    /** The patch number (the {@code 31} of 8.0.31), 0 when the version has none. */
    public int patch() {
        String[] parts = numbers(version);
        return parts.length > 2 ? parseInt(parts[2]) : 0;
    }

    /** The version's numbers; MariaDB's replication handshake puts "5.5.5-" before its own version. */
    private static String[] numbers(String version) {
        String v = version.startsWith("5.5.5-") && version.toLowerCase(Locale.ROOT).contains("mariadb")
                ? version.substring("5.5.5-".length()) : version;
        return v.split("[.-]");
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

    /**
     * The statement that reports the current binlog file and position: MySQL has {@code SHOW BINARY LOG STATUS}
     * from 8.2 and no {@code SHOW MASTER STATUS} from 8.4; MariaDB keeps {@code SHOW MASTER STATUS}.
     */
    public String binlogStatusStatement() {
        return isMySqlAtLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    /**
     * The statement that lists the replicas registered with the server, server id first: MySQL has
     * {@code SHOW REPLICAS} from 8.0.22 and no {@code SHOW SLAVE HOSTS} from 8.4; MariaDB keeps
     * {@code SHOW SLAVE HOSTS}.
     */
    public String replicasStatement() {
        return isMySqlAtLeast(8, 0, 22) ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";
    }

    private boolean isMySqlAtLeast(int wantMajor, int wantMinor, int wantPatch) {
        if (flavor != ServerFlavor.MYSQL) {
            return false;
        }
        if (major != wantMajor) {
            return major > wantMajor;
        }
        return minor != wantMinor ? minor > wantMinor : patch() >= wantPatch;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

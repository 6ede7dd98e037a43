package io.ferry.copy.internal.cutover;

import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads, on a replica, the position in its master's binlog up to which it has applied the master's changes: from
 * {@code ReplicatedMasterPositionQuery} (first row: file, position), or from the replica's own status
 * ({@code SHOW REPLICA STATUS}: {@code Relay_Master_Log_File} and {@code Exec_Master_Log_Pos}, named
 * {@code Relay_Source_Log_File}/{@code Exec_Source_Log_Pos} on MySQL 8.0.22+). The status is right for a replica
 * of the master itself; behind an intermediate replica its coordinates are the intermediate's, and a heartbeat
 * query (pt-heartbeat's {@code file, position}) is needed.
 */
public final class ReplicatedMasterPosition {
    private final String query;

    /** @param query {@code ReplicatedMasterPositionQuery}, or {@code null} for the replication status */
    public ReplicatedMasterPosition(String query) {
        this.query = query;
    }

    /** Where the read comes from, for messages. */
    public String describe() {
        return query == null ? "SHOW REPLICA STATUS (Relay_Master_Log_File, Exec_Master_Log_Pos)"
                : "ReplicatedMasterPositionQuery (" + query + ")";
    }

    /**
     * The applied master position.
     *
     * @throws SQLException          when the query fails
     * @throws IllegalStateException when it returns no usable position, saying why
     */
    public BinlogPosition read(Connection replica) throws SQLException {
        if (query != null) {
            try (Statement st = replica.createStatement(); ResultSet rs = st.executeQuery(query)) {
                if (!rs.next()) {
                    throw new IllegalStateException("ReplicatedMasterPositionQuery returned no row; it must return one"
                            + " row of (file, position)");
                }
                String file = rs.getString(1);
                long position = rs.getLong(2);
                if (file == null || file.isEmpty() || rs.wasNull() || position < 0) {
                    throw new IllegalStateException("ReplicatedMasterPositionQuery returned (" + file + ", "
                            + rs.getString(2) + "); it must return a binlog file name and a position");
                }
                return new BinlogPosition(file, position);
            }
        }
        Map<String, String> status = status(replica);
        if (status.isEmpty()) {
            throw new IllegalStateException("the source is not a replica: SHOW REPLICA STATUS shows no replication;"
                    + " RunFerryFromReplica needs a source that replicates from SourceReplicationMaster (or give a"
                    + " ReplicatedMasterPositionQuery)");
        }
        String file = first(status, "relay_master_log_file", "relay_source_log_file");
        String position = first(status, "exec_master_log_pos", "exec_source_log_pos");
        if (file == null || file.isEmpty() || position == null) {
            throw new IllegalStateException("SHOW REPLICA STATUS on the source names no executed master position yet"
                    + " (Relay_Master_Log_File = " + file + ", Exec_Master_Log_Pos = " + position + ")");
        }
        return new BinlogPosition(file, Long.parseLong(position));
    }

    /** The replica's state in a few words (threads running, last error, lag), or "" when it has none to show. */
    public static String replicaState(Connection replica) {
        try {
            Map<String, String> s = status(replica);
            if (s.isEmpty()) {
                return "no replication is configured on it";
            }
            String error = first(s, "last_error");
            String ioError = first(s, "last_io_error");
            return "IO thread running: " + first(s, "slave_io_running", "replica_io_running")
                    + ", SQL thread running: " + first(s, "slave_sql_running", "replica_sql_running")
                    + ", seconds behind: " + first(s, "seconds_behind_master", "seconds_behind_source")
                    + (error == null || error.isEmpty() ? "" : ", last error: " + error)
                    + (ioError == null || ioError.isEmpty() ? "" : ", last IO error: " + ioError);
        } catch (SQLException e) {
            return "its replication status could not be read (" + e.getMessage() + ")";
        }
    }

    /** The replica status row, column names lower-case; empty when the server replicates from nothing. */
    private static Map<String, String> status(Connection replica) throws SQLException {
        try (Statement st = replica.createStatement(); ResultSet rs = statusQuery(st)) {
            Map<String, String> out = new LinkedHashMap<>();
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
                }
            }
            return out;
        }
    }

    private static ResultSet statusQuery(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW REPLICA STATUS");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1064) {
                throw e;
            }
            return st.executeQuery("SHOW SLAVE STATUS"); // MariaDB before 10.5, MySQL before 8.0.22
        }
    }

    private static String first(Map<String, String> status, String... names) {
        for (String n : names) {
            if (status.containsKey(n)) {
                return status.get(n);
            }
        }
        return null;
    }
}

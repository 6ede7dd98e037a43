package io.ferry.copy.internal.rowcopy;

import io.ferry.binlog.BinlogStreamer;
import io.ferry.core.TableId;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A consistent read view of one source table together with the binlog position P it corresponds to: the view holds
 * exactly the table's changes logged at or before P. Reads on {@link #connection()} see that view until
 * {@link #close()}.
 *
 * <ul>
 *   <li>MariaDB: {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} is taken in step with the binlog commit order,
 *       and the session's {@code Binlog_snapshot_file}/{@code Binlog_snapshot_position} status give P. No lock.</li>
 *   <li>MySQL has no such status. A second session holds {@code LOCK TABLES t READ} while the snapshot starts and P
 *       is read ({@code SHOW MASTER STATUS}): the lock waits for every transaction that wrote the table to end
 *       (they hold its metadata lock until then, after their binlog write) and keeps new ones out, so the table's
 *       logged changes up to P are all in the view and none after it. The lock lasts a few milliseconds; it needs
 *       the {@code LOCK TABLES} privilege. While it waits for an open transaction that wrote the table, new writers
 *       are not held up (MySQL grants their metadata locks ahead of a waiting {@code LOCK TABLES ... READ}). (A single session cannot do this: starting a transaction releases the
 *       session's table locks before the snapshot is taken.)</li>
 * </ul>
 * The view is InnoDB's; other engines have none (preflight refuses them for full-table copy).
 */
final class TableSnapshot implements AutoCloseable {
    /** The isolation level applies to the next transaction only. */
    private static final String START =
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT";
    private final Connection connection;
    private final BinlogPosition position;

    private TableSnapshot(Connection connection, BinlogPosition position) {
        this.connection = connection;
        this.position = position;
    }

    static TableSnapshot open(DataSource source, ServerInfo server, TableId table) throws SQLException {
        Connection c = source.getConnection();
        try {
            BinlogPosition p = server.isMariaDb() ? startOnMariaDb(c) : mySql(source, c, table);
            return new TableSnapshot(c, p);
        } catch (SQLException | RuntimeException e) {
            rollbackAndClose(c);
            throw e;
        }
    }

    /** Starts a consistent snapshot on {@code c} (MariaDB) and returns the binlog position it corresponds to. */
    static BinlogPosition startOnMariaDb(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // One round trip (a LockInGhostferry batch pays it each time): the snapshot and its binlog position.
            boolean isResultSet = st.execute(START + "; SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
            while (!isResultSet && st.getUpdateCount() != -1) {
                isResultSet = st.getMoreResults();
            }
            String file = null;
            long offset = -1;
            try (ResultSet rs = st.getResultSet()) {
                while (rs != null && rs.next()) {
                    switch (rs.getString(1).toLowerCase(Locale.ROOT)) {
                        case "binlog_snapshot_file" -> file = rs.getString(2);
                        case "binlog_snapshot_position" -> offset = rs.getLong(2);
                        default -> {
                        }
                    }
                }
            }
            if (file == null || file.isEmpty() || offset < 0) {
                throw new SQLException("the source reports no binlog position for its consistent snapshot "
                        + "(Binlog_snapshot_file is empty): is binary logging on?");
            }
            return new BinlogPosition(file, offset);
        }
    }

    private static BinlogPosition mySql(DataSource source, Connection snapshot, TableId table) throws SQLException {
        // LOCK TABLES waits for transactions that wrote the table to end, however long they run: no read timeout.
        try (Connection locker = source.getConnection(); var untimed = DataSources.untimed(locker);
             Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES " + table.sql() + " READ");
            try (Statement st = snapshot.createStatement()) {
                st.execute(START);
                return BinlogStreamer.currentPosition(locker);
            } finally {
                lock.execute("UNLOCK TABLES");
            }
        }
    }

    Connection connection() {
        return connection;
    }

    BinlogPosition position() {
        return position;
    }

    @Override
    public void close() {
        rollbackAndClose(connection);
    }

    /**
     * Ends the snapshot. A connection that cannot roll back (lost, or a broken streamed read still registered on it)
     * is aborted before it is handed back, so the pool never lends it out with an open transaction.
     */
    private static void rollbackAndClose(Connection c) {
        try {
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException e) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // already broken
                }
            }
        } finally {
            try {
                c.close();
            } catch (SQLException ignored) {
                // aborted or lost: nothing more to release
            }
        }
    }
}

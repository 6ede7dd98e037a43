package io.ferry.testing;

import com.mysql.cj.jdbc.JdbcConnection;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.ServerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One side of the pair as a test sees it: its endpoint plus helpers that run SQL as root, so fixtures can do what
 * ferry's own user may not. The helpers share a few idle root connections per server among all test classes, each
 * reset to a fresh session (COM_RESET_CONNECTION) after use: tests run thousands of helper statements, and a
 * connection costs a round of authentication each.
 */
public final class TestServer {
    /** Idle connections kept per server; more are closed (the servers allow a few hundred in all). */
    private static final int IDLE_PER_SERVER = 4;
    private static final Map<ServerEndpoint, ConcurrentLinkedDeque<Connection>> IDLE = new ConcurrentHashMap<>();

    private final ServerEndpoint endpoint;
    private final ConcurrentLinkedDeque<Connection> idle;
    private volatile ServerInfo info;

    TestServer(ServerEndpoint endpoint) {
        this.endpoint = endpoint;
        this.idle = IDLE.computeIfAbsent(endpoint, e -> new ConcurrentLinkedDeque<>());
    }

    public ServerEndpoint endpoint() {
        return endpoint;
    }

    /** Connection settings for ferry's user, to put into a ferry config. */
    public DatabaseConfig ferryConfig() {
        return endpoint.ferryConfig();
    }

    /** The server's engine and version, read once. */
    public ServerInfo info() {
        ServerInfo known = info;
        if (known == null) {
            known = ServerInfo.parse(String.valueOf(scalar("SELECT VERSION()")));
            info = known;
        }
        return known;
    }

    /** A root connection with ferry's session settings (UTC, strict mode), over a plain (non-TLS) connection. */
    public Connection connect() throws SQLException {
        return DataSources.connect(endpoint.rootConfig());
    }

    /** Whether the server offers TLS: a connection with ferry's default settings uses it. */
    public boolean offersTls() throws SQLException {
        try (Connection c = DataSources.connect(endpoint.ferryConfig()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            return rs.next() && !rs.getString(2).isEmpty();
        }
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on an idle root connection (or a new one) and keeps the connection for the next helper
     * when it succeeded and holds no default database; one that failed is closed, whatever state it was left in.
     */
    private <T> T withConnection(Work<T> work) throws SQLException {
        Connection c = idle.pollFirst();
        while (c != null && !c.isValid(2)) { // a server restarted or a connection killed since
            c.close();
            c = idle.pollFirst();
        }
        if (c == null) {
            c = connect();
        }
        boolean reusable = false;
        try {
            T result = work.on(c);
            c.unwrap(JdbcConnection.class).resetServerState();
            reusable = rows(c, "SELECT DATABASE()").get(0).get(0) == null; // a reset keeps a USE
            return result;
        } finally {
            if (reusable && idle.size() < IDLE_PER_SERVER) {
                idle.offerFirst(c);
            } else {
                c.close();
            }
        }
    }

    /** Runs each statement in order on one root connection. */
    public void exec(String... statements) {
        try {
            withConnection(c -> {
                try (Statement st = c.createStatement()) {
                    for (String sql : statements) {
                        st.execute(sql);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, each column as {@code getObject} returns it. */
    public List<List<Object>> query(String sql, Object... args) {
        try {
            return withConnection(c -> rows(c, sql, args));
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage() + " in: " + sql, e);
        }
    }

    private static List<List<Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    row = java.util.Collections.unmodifiableList(row);
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** The first column of the first row, or {@code null}. */
    public Object scalar(String sql, Object... args) {
        var rows = query(sql, args);
        return rows.isEmpty() ? null : rows.getFirst().getFirst();
    }

    /**
     * Inserts {@code count} rows into {@code table} in multi-row statements; {@code rowValues} gives the
     * parenthesised VALUES of row {@code i} (1-based), e.g. {@code i -> "(" + i + ", 'x')"}.
     */
    public void insertRows(String table, String columns, int count, java.util.function.IntFunction<String> rowValues) {
        try {
            withConnection(c -> {
                insertRows(c, table, columns, count, rowValues);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage(), e);
        }
    }

    private static void insertRows(Connection c, String table, String columns, int count,
            java.util.function.IntFunction<String> rowValues) throws SQLException {
        try (Statement st = c.createStatement()) {
            var sql = new StringBuilder();
            for (int i = 1; i <= count; i++) {
                if (sql.isEmpty()) {
                    sql.append("INSERT INTO ").append(table).append(" (").append(columns).append(") VALUES ");
                } else {
                    sql.append(',');
                }
                sql.append(rowValues.apply(i));
                if (i % 500 == 0 || i == count) {
                    st.execute(sql.toString());
                    sql.setLength(0);
                }
            }
        }
    }

    public long count(String table) {
        return ((Number) scalar("SELECT COUNT(*) FROM " + table)).longValue();
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}

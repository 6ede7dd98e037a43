package io.ferry.testing;

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

/**
 * One side of the pair as a test sees it: its endpoint plus helpers that run SQL as root, so fixtures can do what
 * ferry's own user may not. Every helper opens and closes its own connection; tests stay simple and leak nothing.
 */
public final class TestServer {
    private final ServerEndpoint endpoint;
    private volatile ServerInfo info;

    TestServer(ServerEndpoint endpoint) {
        this.endpoint = endpoint;
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

    /** A root connection with ferry's session settings (UTC, strict mode). */
    public Connection connect() throws SQLException {
        return DataSources.connect(endpoint.rootConfig());
    }

    /** Runs each statement in order on one root connection. */
    public void exec(String... statements) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, each column as {@code getObject} returns it. */
    public List<List<Object>> query(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
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
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage() + " in: " + sql, e);
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
        try (Connection c = connect(); Statement st = c.createStatement()) {
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
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.role() + ": " + e.getMessage(), e);
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

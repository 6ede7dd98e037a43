package io.ferry.core.db;

import com.mysql.cj.jdbc.JdbcStatement;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;

/**
 * {@code LOAD DATA LOCAL INFILE} fed from memory, never from a file. The driver answers a server's request for a
 * "local file" with the session's stream when one is set, and otherwise opens the file the server names; so every
 * session of a pool that allows local infile gets a stream that refuses (see {@link #refuseFiles}), and a load sets
 * its own data only for its own statement. A server can then read nothing of this machine, whatever it asks.
 */
public final class LocalInfile {
    /** What a server that asks for a file it was not offered gets: an error, which ends the statement. */
    private static final InputStream REFUSED = new InputStream() {
        @Override
        public int read() throws IOException {
            throw new IOException("ferry sends no local files; only its own LOAD DATA statements are fed");
        }
    };

    private LocalInfile() {
    }

    /** Makes {@code c}'s session answer any request for a local file with an error. */
    static void refuseFiles(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            setStream(st.unwrap(JdbcStatement.class), REFUSED);
        }
    }

    /**
     * Sets the session's stream. The driver drops a lost connection's session, so setting a stream then fails
     * with a NullPointerException; that is reported as the lost connection it is (which callers retry).
     */
    private static void setStream(JdbcStatement driver, InputStream stream) throws SQLException {
        try {
            driver.setLocalInfileInputStream(stream);
        } catch (NullPointerException e) {
            throw new SQLNonTransientConnectionException("the connection was lost", "08003", e);
        }
    }

    /**
     * Runs {@code loadStatement} (a {@code LOAD DATA LOCAL INFILE}) on {@code st}, sending the first {@code length}
     * bytes of {@code data} as the file; returns the rows it inserted. The connection must come from a pool opened
     * with local infile allowed.
     */
    public static long load(Statement st, String loadStatement, byte[] data, int length) throws SQLException {
        JdbcStatement driver = st.unwrap(JdbcStatement.class);
        setStream(driver, new ByteArrayInputStream(data, 0, length));
        long rows;
        try {
            rows = st.executeLargeUpdate(loadStatement);
        } catch (SQLException e) {
            try {
                setStream(driver, REFUSED);
            } catch (SQLException lost) {
                // The statement's own error says why; a lost session asks for no file any more.
                e.addSuppressed(lost);
            }
            throw e;
        }
        setStream(driver, REFUSED);
        return rows;
    }
}

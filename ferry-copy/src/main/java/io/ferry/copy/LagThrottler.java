package io.ferry.copy;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.config.LagThrottlerConfig;
import io.ferry.core.db.DataSources;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ghostferry's {@code LagThrottler}: runs a lag query every {@code UpdateInterval} on its own connection and
 * throttles while the last answer is above {@code MaxLag}. A NULL or an empty result leaves the last answer in place;
 * a failing query is logged and retried on a new connection at the next interval, keeping the last answer.
 * The first query runs in {@link #start}, so a wrong query or server fails the run before anything is copied.
 */
public final class LagThrottler implements Throttler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagThrottler.class);

    private final LagThrottlerConfig config;
    private final Thread poller;
    private volatile long lag;
    private volatile boolean closed;
    private Connection connection; // used by the poller thread only after start

    private LagThrottler(LagThrottlerConfig config) {
        this.config = config;
        this.poller = Thread.ofVirtual().name("ferry-lag-throttler").unstarted(this::pollLoop);
    }

    /**
     * Connects, runs the query once and starts polling.
     *
     * @throws PreconditionFailed when the server cannot be reached or the query fails
     */
    public static LagThrottler start(LagThrottlerConfig config) {
        var t = new LagThrottler(config);
        try {
            t.connection = DataSources.connect(config.connection());
            t.measure();
        } catch (SQLException e) {
            t.closeConnection();
            throw new PreconditionFailed("the lag throttler's query failed on " + config.connection().describe() + ": "
                    + e.getMessage() + "; check LagThrottlerConfig.Connection and LagThrottlerConfig.Query");
        }
        LOG.info("{}: lag now {}", config.describe(), t.lag);
        t.poller.start();
        return t;
    }

    /** The last lag the query reported (0 before it reported any). */
    public long lag() {
        return lag;
    }

    @Override
    public boolean throttled() {
        return lag > config.maxLag();
    }

    private void measure() throws SQLException {
        // execute, not executeQuery: the driver would refuse a mistyped SELECT itself, hiding the server's error.
        try (Statement st = connection.createStatement()) {
            if (!st.execute(config.query())) {
                throw new SQLException("the query returned no result set: it must be a SELECT whose first column is the lag");
            }
            try (ResultSet rs = st.getResultSet()) {
                read(rs);
            }
        }
    }

    /** Takes the first column of the first row as the lag; NULL or no row keeps the last value. */
    private void read(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return;
        }
        long value = rs.getLong(1);
        if (rs.wasNull()) {
            return;
        }
        boolean was = throttled();
        lag = value;
        if (was != throttled()) {
            LOG.info("lag {} {} max {}: {}", value, throttled() ? "above" : "within", config.maxLag(),
                    throttled() ? "throttling" : "resuming");
        }
    }

    private void pollLoop() {
        Duration every = config.updateInterval();
        while (!closed) {
            try {
                Thread.sleep(every.toMillis());
                if (connection == null) {
                    connection = DataSources.connect(config.connection());
                }
                measure();
            } catch (InterruptedException e) {
                break;
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("the lag throttler's query failed on {} (keeping the last lag {}): {}",
                            config.connection().describe(), lag, e.getMessage());
                }
                closeConnection();
            }
        }
        closeConnection();
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the lag throttler's connection failed", e);
            }
        }
    }

    /** Stops polling and closes the connection; {@link #throttled()} keeps its last answer. */
    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.control.ServerWait;
import io.ferry.testing.FaultProxy;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read and write timeouts on ferry's connections and the watch over unanswered statements, against a real server
 * and a {@link FaultProxy} that freezes it as SIGSTOP would.
 */
@MySqlPair
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StatementWatchIT {
    private final TestPair pair;

    StatementWatchIT(TestPair pair) {
        this.pair = pair;
    }

    private DatabaseConfig withTimeouts(DatabaseConfig db, Duration read, Duration write) {
        return new DatabaseConfig(db.host(), db.port(), db.net(), db.user(), db.password(), db.collation(),
                db.params(), db.tls(), read, write);
    }

    @Test
    void summariesStopBeforeTheFirstValueSoThatNoRowDataIsShown() {
        assertEquals("INSERT INTO `shop`.`users` (`id`,`email`) ...",
                StatementWatch.summary("INSERT INTO `shop`.`users` (`id`,`email`) VALUES (1,'a@b.example')"));
        assertEquals("UPDATE `shop`.`users` ...", StatementWatch.summary("UPDATE `shop`.`users` SET email='x' WHERE id=1"));
        assertEquals("SELECT `id` FROM `t` ...", StatementWatch.summary("SELECT `id` FROM `t`\n  WHERE `id` > 5 LIMIT 200"));
        assertEquals("ALTER TABLE `t` ADD COLUMN c INT", StatementWatch.summary("ALTER TABLE `t` ADD COLUMN c INT"));
        assertEquals("a statement", StatementWatch.summary(null));
        String manyColumns = "INSERT INTO `t` (" + "`a_long_column_name`,".repeat(200) + "`z`) VALUES (X'00')";
        String summary = StatementWatch.summary(manyColumns);
        assertTrue(summary.startsWith("INSERT INTO `t` (`a_long_column_name`,") && summary.endsWith(" ...")
                && summary.length() <= 104 && !summary.contains("X'"), summary);
    }

    @Test
    void aStatementInFlightIsListedUntilTheServerAnswers() throws Exception {
        try (PooledDataSource pool = DataSources.open("source", pair.source().ferryConfig(), 2)) {
            Thread sleeper = Thread.ofVirtual().start(() -> {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.executeQuery("SELECT SLEEP(2)").close();
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            // First the pool opens a connection (listed too), then the statement runs.
            List<ServerWait> waits = List.of();
            for (int i = 0; i < 100 && waits.isEmpty(); i++) {
                Thread.sleep(20);
                waits = pool.waits().stream().filter(w -> !w.statement().startsWith("a connection")).toList();
            }
            assertEquals(1, waits.size(), "the sleeping statement is listed");
            assertEquals("SELECT SLEEP(2)", waits.get(0).statement());
            assertTrue(waits.get(0).server().startsWith("source " + pair.source().ferryConfig().describe()),
                    waits.get(0).server());
            assertTrue(waits.get(0).timed());
            sleeper.join();
            assertEquals(List.of(), pool.waits(), "answered, no longer listed");
        }
    }

    @Test
    void aReadTimeoutEndsAStatementWithARetriableErrorUnlessLifted() throws Exception {
        DatabaseConfig db = withTimeouts(pair.source().ferryConfig(), Duration.ofSeconds(1), null);
        try (PooledDataSource pool = DataSources.open("source", db, 2)) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT SLEEP(3)"));
                assertTrue(SqlErrors.isRetriable(e) && SqlErrors.isConnectionLost(e), SqlErrors.describe(e));
            }
            try (Connection c = pool.getConnection(); var untimed = DataSources.untimed(c);
                 Statement st = c.createStatement(); var rs = st.executeQuery("SELECT SLEEP(2)")) {
                assertTrue(rs.next(), "an untimed statement may take longer than the read timeout");
                assertEquals(0, rs.getInt(1));
            }
            try (Connection c = pool.getConnection()) {
                assertEquals(1000, c.getNetworkTimeout(), "back in the pool, a connection has its timeout again");
            }
        }
    }

    @Test
    void aConnectionToAFrozenServerIsClosedOnceBothTimeoutsHavePassed() throws Exception {
        try (var proxy = FaultProxy.to(pair.source().endpoint())) {
            DatabaseConfig db = withTimeouts(proxy.endpoint().ferryConfig(), Duration.ofSeconds(1), Duration.ofSeconds(1));
            try (PooledDataSource pool = DataSources.open("source", db, 1);
                 Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT 1");
                proxy.freeze(true);
                long started = System.nanoTime();
                // A statement far larger than the socket buffers: its send blocks on the frozen server.
                String big = "SELECT LENGTH('" + "x".repeat(15 << 20) + "')"; // within max_allowed_packet (16M)
                // ferry's statements run on virtual threads (under TLS, only their sends can be ended)
                var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
                Thread.ofVirtual().start(() -> {
                    try {
                        st.execute(big);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                    failure.compareAndSet(null, new AssertionError("the statement succeeded"));
                }).join(Duration.ofSeconds(30));
                SQLException e = assertInstanceOf(SQLException.class, failure.get());
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                System.out.println("frozen send ended after " + seconds + " s: " + SqlErrors.describe(e));
                assertTrue(seconds >= 2 && seconds < 15, "closed after read + write timeout, not never: " + seconds + " s");
                assertTrue(SqlErrors.isRetriable(e), SqlErrors.describe(e));
                assertEquals(List.of(), pool.waits());
            } finally {
                proxy.freeze(false);
            }
        }
    }
}

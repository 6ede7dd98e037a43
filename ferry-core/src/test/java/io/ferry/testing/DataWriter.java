package io.ferry.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes to a source table from several threads, as an application would during a copy: random INSERTs, UPDATEs
 * and DELETEs spread over the whole key range (rows already copied, being copied and not yet copied). The table
 * needs an auto-increment integer key {@code id} and a text column {@code data}. Stop it before comparing.
 */
public final class DataWriter implements AutoCloseable {
    private final TestServer server;
    private final String table;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private final List<String> sessionSettings;
    private final Duration pause;

    public DataWriter(TestServer server, String qualifiedTable, int threads) {
        this(server, qualifiedTable, threads, List.of());
    }

    /** With each writing session first running {@code sessionSettings} (e.g. {@code SET SESSION ...}). */
    public DataWriter(TestServer server, String qualifiedTable, int threads, List<String> sessionSettings) {
        this(server, qualifiedTable, threads, sessionSettings, Duration.ZERO);
    }

    /**
     * A writer whose sessions each wait {@code pause} after every write: an application that does not outrun one
     * binlog applier, so that a run that fell behind (a side down or frozen) catches up and can cut over.
     */
    public DataWriter(TestServer server, String qualifiedTable, int threads, List<String> sessionSettings,
                      Duration pause) {
        this.server = server;
        this.table = qualifiedTable;
        this.sessionSettings = List.copyOf(sessionSettings);
        this.pause = pause;
        for (int i = 0; i < threads; i++) {
            this.threads.add(Thread.ofVirtual().name("data-writer-" + i).start(this::loop));
        }
    }

    private void loop() {
        try (Connection c = server.connect()) {
            try (var st = c.createStatement()) {
                for (String setting : sessionSettings) {
                    st.execute(setting);
                }
            }
            var random = ThreadLocalRandom.current();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (data) VALUES (?)");
                 PreparedStatement update = c.prepareStatement(
                         "UPDATE " + table + " SET data = ? WHERE id >= ? ORDER BY id LIMIT 1");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id >= ? ORDER BY id LIMIT 1")) {
                while (running) {
                    long max = maxId(c);
                    int op = random.nextInt(3);
                    if (op == 0 || max == 0) {
                        insert.setString(1, "inserted " + random.nextLong());
                        insert.executeUpdate();
                    } else if (op == 1) {
                        update.setString(1, "updated " + random.nextLong());
                        update.setLong(2, random.nextLong(1, max + 1));
                        update.executeUpdate();
                    } else {
                        delete.setLong(1, random.nextLong(1, max + 1));
                        delete.executeUpdate();
                    }
                    writes.incrementAndGet();
                    if (!pause.isZero()) {
                        Thread.sleep(pause);
                    }
                }
            }
        } catch (SQLException e) {
            if (running) {
                failure.compareAndSet(null, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long maxId(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long writes() {
        return writes.get();
    }

    /** Stops every thread and waits for it; rethrows the first write failure. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new AssertionError("the data writer failed: " + f, f);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

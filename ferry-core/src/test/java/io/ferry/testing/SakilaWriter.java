package io.ferry.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An application writing to a {@link Sakila} database until stopped: rentals and payments inserted, customers and
 * addresses updated, films inserted and updated (their triggers write {@code film_text}), payments and film actors
 * deleted. Each thread uses its own root connection, one statement per transaction.
 */
public final class SakilaWriter implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;

    public SakilaWriter(TestServer server, String database, int threadCount) {
        for (int i = 0; i < threadCount; i++) {
            int thread = i;
            threads.add(Thread.ofPlatform().name("sakila-writer-" + i).daemon().start(() -> write(server, database, thread)));
        }
    }

    private void write(TestServer server, String database, int thread) {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("USE `" + database + "`");
            var random = ThreadLocalRandom.current();
            for (long n = 0; !stopped; n++) {
                st.execute(statement(random, thread, n));
                writes.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static String statement(ThreadLocalRandom random, int thread, long n) {
        int customer = random.nextInt(1, 600);
        return switch (random.nextInt(8)) {
            // rental_date is part of a unique key: each thread writes its own seconds.
            case 0 -> "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) VALUES ('2030-01-01' + INTERVAL "
                    + (thread * 10_000_000L + n) + " SECOND, " + random.nextInt(1, 4582) + ", " + customer + ", "
                    + random.nextInt(1, 3) + ")";
            case 1 -> "INSERT INTO payment (customer_id, staff_id, amount, payment_date) VALUES (" + customer + ", "
                    + random.nextInt(1, 3) + ", " + random.nextInt(1, 1000) / 100.0 + ", NOW())";
            case 2 -> "UPDATE customer SET email = 'w" + thread + "-" + n + "@example.com', active = 1 - active"
                    + " WHERE customer_id = " + customer;
            case 3 -> "UPDATE film SET rental_rate = rental_rate + 0.01, description = CONCAT('rev " + n + ": ',"
                    + " LEFT(description, 40)) WHERE film_id = " + random.nextInt(1, 1001);
            case 4 -> "DELETE FROM payment WHERE payment_id = " + random.nextInt(1, 16050);
            case 5 -> "INSERT INTO film (title, description, language_id, rating, special_features) VALUES ('NEW "
                    + thread + "-" + n + "', 'written during the copy', 1, 'PG', 'Trailers,Deleted Scenes')";
            case 6 -> "UPDATE address SET phone = '" + n + "', address2 = NULL WHERE address_id = " + random.nextInt(1, 604);
            default -> "DELETE FROM film_actor WHERE actor_id = " + random.nextInt(1, 201) + " AND film_id = "
                    + random.nextInt(1, 1001);
        };
    }

    /** Statements run so far. */
    public long writes() {
        return writes.get();
    }

    /** Stops every thread and waits for it; rethrows the first write failure. */
    public void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the Sakila writer failed: " + failure.get(), failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

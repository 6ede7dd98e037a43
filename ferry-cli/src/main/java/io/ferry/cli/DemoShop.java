package io.ferry.cli;

import io.ferry.core.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** The demo's sample shop database: schema, seed data and an application-like writer. */
final class DemoShop {
    private static final List<String> TABLES = List.of("customers", "products", "orders", "order_items");

    private final DatabaseConfig source;
    private final String db;

    DemoShop(DatabaseConfig source, String db) {
        this.source = source;
        this.db = db;
    }

    List<String> tables() {
        return TABLES;
    }

    void create(int scale) throws SQLException {
        try (Connection c = DemoCommand.connect("source", source); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + db + "`");
            st.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
            st.execute("USE `" + db + "`");
            st.execute("""
                    CREATE TABLE customers (
                      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      email VARCHAR(120) NOT NULL UNIQUE,
                      name VARCHAR(100) CHARACTER SET utf8mb4 NOT NULL,
                      city VARCHAR(60) CHARACTER SET latin1,
                      country CHAR(2) NOT NULL,
                      created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                      birthday DATE,
                      balance DECIMAL(12,2) NOT NULL DEFAULT 0,
                      vip BIT(1) NOT NULL DEFAULT b'0',
                      prefs JSON
                    )""");
            st.execute("""
                    CREATE TABLE products (
                      id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      sku BINARY(16) NOT NULL,
                      title VARCHAR(200) NOT NULL,
                      price DECIMAL(10,2) NOT NULL,
                      weight_kg FLOAT,
                      rating DOUBLE,
                      status ENUM('draft','active','retired') NOT NULL DEFAULT 'draft',
                      tags SET('new','sale','eco','gift'),
                      description MEDIUMTEXT,
                      released YEAR,
                      thumbnail BLOB
                    )""");
            st.execute("""
                    CREATE TABLE orders (
                      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      customer_id INT UNSIGNED NOT NULL,
                      placed_at DATETIME(6) NOT NULL,
                      pickup_window TIME,
                      total DECIMAL(14,2) NOT NULL,
                      notes TEXT,
                      total_cents BIGINT AS (total * 100) VIRTUAL,
                      FOREIGN KEY (customer_id) REFERENCES customers(id)
                    )""");
            st.execute("""
                    CREATE TABLE order_items (
                      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      order_id BIGINT NOT NULL,
                      product_id MEDIUMINT UNSIGNED NOT NULL,
                      quantity SMALLINT UNSIGNED NOT NULL,
                      unit_price DECIMAL(10,2) NOT NULL,
                      discount DOUBLE NOT NULL DEFAULT 0,
                      FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE,
                      FOREIGN KEY (product_id) REFERENCES products(id)
                    )""");
            int customers = 2_000 * scale;
            int products = 500 * scale;
            int orders = 12_000 * scale;
            int items = 36_000 * scale;
            insert(st, "customers (email, name, city, country, created_at, birthday, balance, vip, prefs)", customers,
                    i -> "('user" + i + "@example.com', 'Kund€ Nr. " + i + " 😀', 'Köln', '"
                            + (i % 2 == 0 ? "DE" : "FR") + "', TIMESTAMP'2021-03-01 10:00:00.123' + INTERVAL " + i
                            + " MINUTE, " + (i % 5 == 0 ? "NULL" : "DATE'1980-01-01' + INTERVAL " + i + " DAY") + ", "
                            + (i % 1000) + ".50, " + (i % 10 == 0 ? "b'1'" : "b'0'")
                            + ", '{\"lang\": \"de\", \"newsletter\": " + (i % 3 == 0) + "}')");
            insert(st, "products (sku, title, price, weight_kg, rating, status, tags, description, released, thumbnail)",
                    products, i -> "(UNHEX(MD5(" + i + ")), 'Product \\'" + i + "\\'', " + (i % 300) + ".99, "
                            + (i * 0.37) + ", " + (i / 7.0) + ", '" + (i % 3 == 0 ? "active" : "draft") + "', '"
                            + (i % 2 == 0 ? "new,eco" : "") + "', REPEAT('lorem ipsum ', " + (i % 40) + "), "
                            + (1990 + i % 30) + ", " + (i % 4 == 0 ? "NULL" : "X'89504E470D0A1A0A00'") + ")");
            insert(st, "orders (customer_id, placed_at, pickup_window, total, notes)", orders,
                    i -> "(" + (1 + i % customers) + ", TIMESTAMP'2022-01-01 00:00:00.000001' + INTERVAL " + i
                            + " MINUTE, '" + (8 + i % 10) + ":30:00', " + (i % 900) + ".25, "
                            + (i % 4 == 0 ? "NULL" : "'leave at the door; ring twice'") + ")");
            insert(st, "order_items (order_id, product_id, quantity, unit_price, discount)", items,
                    i -> "(" + (1 + i % orders) + ", " + (1 + i % products) + ", " + (1 + i % 5) + ", "
                            + (i % 200) + ".10, " + (i % 3 == 0 ? "0.15" : "0") + ")");
        }
    }

    private static void insert(Statement st, String into, int count, IntFunction<String> row) throws SQLException {
        var sql = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            sql.append(sql.isEmpty() ? "INSERT INTO " + into + " VALUES " : ",").append(row.apply(i));
            if (i % 1000 == 0 || i == count) {
                st.execute(sql.toString());
                sql.setLength(0);
            }
        }
    }

    Writer startWriting(int threads) {
        return new Writer(threads);
    }

    /** Places, changes and cancels orders, as a shop's application would, until stopped. */
    final class Writer implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean running = true;

        Writer(int count) {
            for (int i = 0; i < count; i++) {
                threads.add(Thread.ofVirtual().name("demo-writer-" + i).start(this::loop));
            }
        }

        private void loop() {
            var random = ThreadLocalRandom.current();
            try (Connection c = DemoCommand.connect("source", source)) {
                c.setCatalog(db);
                try (PreparedStatement order = c.prepareStatement(
                        "INSERT INTO orders (customer_id, placed_at, total, notes) SELECT id, NOW(6), ?, 'demo' FROM customers ORDER BY id DESC LIMIT 1",
                        Statement.RETURN_GENERATED_KEYS);
                     PreparedStatement item = c.prepareStatement(
                             "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (?, 1 + ? % 500, ?, 9.99)");
                     PreparedStatement pay = c.prepareStatement(
                             "UPDATE customers SET balance = balance + ?, prefs = JSON_SET(prefs, '$.last', ?) WHERE id = ?");
                     PreparedStatement cancel = c.prepareStatement("DELETE FROM orders WHERE id = ?");
                     PreparedStatement reprice = c.prepareStatement(
                             "UPDATE products SET price = price + 0.01, rating = rating * 1.01, weight_kg = weight_kg + 0.5 WHERE id = ?")) {
                    while (running) {
                        int op = random.nextInt(4);
                        if (op == 0) {
                            c.setAutoCommit(false);
                            order.setString(1, random.nextInt(1, 500) + ".75");
                            order.executeUpdate();
                            try (var keys = order.getGeneratedKeys()) {
                                keys.next();
                                long id = keys.getLong(1);
                                for (int k = 0; k < 3; k++) {
                                    item.setLong(1, id);
                                    item.setInt(2, random.nextInt(10_000));
                                    item.setInt(3, 1 + k);
                                    item.addBatch();
                                }
                                item.executeBatch();
                            }
                            c.commit();
                            c.setAutoCommit(true);
                        } else if (op == 1) {
                            pay.setString(1, random.nextInt(-50, 50) + ".01");
                            pay.setString(2, "order " + random.nextInt());
                            pay.setInt(3, random.nextInt(1, 2000));
                            pay.executeUpdate();
                        } else if (op == 2) {
                            cancel.setLong(1, random.nextLong(1, 12_000));
                            cancel.executeUpdate();
                        } else {
                            reprice.setInt(1, random.nextInt(1, 500));
                            reprice.executeUpdate();
                        }
                        writes.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                if (running) {
                    failure.compareAndSet(null, e);
                }
            }
        }

        long writes() {
            return writes.get();
        }

        void stop() {
            running = false;
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failure.get() != null) {
                throw new IllegalStateException("the demo writer failed: " + failure.get(), failure.get());
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}

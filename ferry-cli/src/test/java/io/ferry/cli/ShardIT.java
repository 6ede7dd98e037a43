package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.copy.shard.TenantFilter;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.ShardConfig;
import io.ferry.core.config.ShardConfigLoader;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.verify.Verifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Moving one tenant of a live multi-tenant database: shops (the primary-key table), orders (integer key) and
 * order_items (composite key) sharded by shop_id, assets shared between shops through shop_assets (a joined table),
 * an audit log without shop_id and a scratch table left out by IgnoredTables. Writers on three shops, the moved one
 * included, insert, update and delete during the whole copy; the moved shop's writer stops when CutoverLock is
 * called, the others write on through the cutover. The target shard already holds another shop's rows. Afterwards
 * the target holds exactly the moved shop's rows, equal to the source, the other shop it held, and nothing else.
 */
@MySqlPair
@Tag("engines")
class ShardIT {
    private static final int MOVED = 2;
    private static final int RESIDENT = 9;
    private final TestPair pair;
    @TempDir
    Path dir;

    ShardIT(TestPair pair) {
        this.pair = pair;
    }

    private static final List<String> TABLES = List.of(
            "CREATE TABLE shops (id INT PRIMARY KEY, name VARCHAR(40))",
            "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, shop_id INT NOT NULL, v VARCHAR(40),"
                    + " KEY shop_orders (shop_id, id))",
            "CREATE TABLE order_items (order_id BIGINT NOT NULL, line INT NOT NULL, shop_id INT NOT NULL, qty INT,"
                    + " PRIMARY KEY (order_id, line), KEY (shop_id))",
            "CREATE TABLE assets (id INT PRIMARY KEY, data VARCHAR(40))",
            "CREATE TABLE shop_assets (shop_id INT NOT NULL, asset_id INT NOT NULL, PRIMARY KEY (shop_id, asset_id))",
            "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(40))",
            "CREATE TABLE tmp_scratch (id INT PRIMARY KEY, shop_id INT)");

    /** The source database with shops 1-3 and shared assets; the target shard with shop 9 already on it. */
    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        List<String> statements = new ArrayList<>(List.of("USE `" + db + "`"));
        statements.addAll(TABLES);
        statements.add("INSERT INTO shops VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        statements.add("INSERT INTO assets VALUES (1, 'logo'), (2, 'banner'), (3, 'font'), (4, 'unused')");
        statements.add("INSERT INTO shop_assets VALUES (1, 1), (2, 1), (2, 2), (3, 3)");
        statements.add("INSERT INTO audit_log (msg) VALUES ('a'), ('b')");
        statements.add("INSERT INTO tmp_scratch VALUES (1, 2)");
        pair.source().exec(statements.toArray(String[]::new));
        pair.source().insertRows("`" + db + "`.orders", "shop_id, v", 900, i -> "(" + (i % 3 + 1) + ", 'o" + i + "')");
        pair.source().exec("INSERT INTO `" + db + "`.order_items SELECT id, 1, shop_id, 1 FROM `" + db + "`.orders",
                "INSERT INTO `" + db + "`.order_items SELECT id, 2, shop_id, 2 FROM `" + db + "`.orders WHERE id % 2 = 0");
        String shard = db + "_shard";
        pair.dropAfterwards(shard);
        statements = new ArrayList<>(List.of("DROP DATABASE IF EXISTS `" + shard + "`", "CREATE DATABASE `" + shard + "`",
                "USE `" + shard + "`"));
        statements.addAll(TABLES.subList(0, 5));
        statements.add("INSERT INTO shops VALUES (9, 'resident')");
        statements.add("INSERT INTO orders VALUES (100000, 9, 'resident order')");
        statements.add("INSERT INTO order_items VALUES (100000, 1, 9, 5)");
        statements.add("INSERT INTO assets VALUES (1, 'logo'), (50, 'resident asset')");
        statements.add("INSERT INTO shop_assets VALUES (9, 1), (9, 50)");
        pair.target().exec(statements.toArray(String[]::new));
        return db;
    }

    private Path config(String db, String extra) throws Exception {
        String json = """
                {
                  "Source": %s,
                  "Target": %s,
                  "SourceDB": "%s",
                  "TargetDB": "%s_shard",
                  "ShardingKey": "shop_id",
                  "ShardingValue": %d,
                  "JoinedTables": {"assets": [{"TableName": "shop_assets", "JoinColumn": "asset_id"}]},
                  "PrimaryKeyTables": ["shops"],
                  "IgnoredTables": ["^tmp_"],
                  "AutomaticCutover": true,
                  "DataIterationBatchSize": 40%s
                }""".formatted(server(pair.source().endpoint()), server(pair.target().endpoint()), db, db, MOVED,
                extra.isEmpty() ? "" : ",\n  " + extra);
        Path file = Files.createTempFile(dir, "shard", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    /** Writes to one shop's orders and items until stopped: inserts, updates and deletes, one transaction each. */
    private static final class ShopWriter implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger writes = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        ShopWriter(TestPair pair, String db, int shop) {
            thread = Thread.ofVirtual().start(() -> {
                try (Connection c = pair.source().connect(); var st = c.createStatement()) {
                    st.execute("USE `" + db + "`");
                    var random = ThreadLocalRandom.current();
                    while (running.get()) {
                        switch (random.nextInt(4)) {
                            case 0 -> {
                                st.execute("INSERT INTO orders (shop_id, v) VALUES (" + shop + ", 'new')");
                                st.execute("INSERT INTO order_items SELECT MAX(id), 1, " + shop + ", 7 FROM orders"
                                        + " WHERE shop_id = " + shop);
                            }
                            case 1 -> st.execute("UPDATE orders SET v = CONCAT('u', " + random.nextInt(1000)
                                    + ") WHERE shop_id = " + shop + " ORDER BY RAND() LIMIT 3");
                            case 2 -> st.execute("UPDATE order_items SET qty = qty + 1 WHERE shop_id = " + shop
                                    + " AND order_id % 7 = " + random.nextInt(7));
                            default -> st.execute("DELETE FROM orders WHERE shop_id = " + shop + " ORDER BY RAND() LIMIT 1");
                        }
                        writes.incrementAndGet();
                        Thread.sleep(2);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            if (failure.get() != null) {
                throw new AssertionError("the writer failed", failure.get());
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    private List<List<Object>> rows(boolean source, String table, String where, String db) {
        String name = source ? db : db + "_shard";
        var server = source ? pair.source() : pair.target();
        return server.query("SELECT * FROM `" + name + "`.`" + table + "` WHERE " + where + " ORDER BY 1, 2");
    }

    /** The target shard holds the moved shop's rows as the source does, its resident shop's, and nothing else. */
    private void assertMoved(String db, List<Integer> assets) {
        for (String table : List.of("orders", "order_items", "shop_assets")) {
            var moved = rows(true, table, "shop_id = " + MOVED, db);
            assertFalse(moved.isEmpty(), table);
            assertEquals(moved, rows(false, table, "shop_id = " + MOVED, db), table + ": the moved shop's rows");
            assertEquals(List.of(), rows(false, table, "shop_id NOT IN (" + MOVED + ", " + RESIDENT + ")", db),
                    table + ": rows of shops that did not move");
            assertFalse(rows(false, table, "shop_id = " + RESIDENT, db).isEmpty(), table + ": the resident shop");
        }
        assertEquals(rows(true, "shops", "id = " + MOVED, db), rows(false, "shops", "id = " + MOVED, db));
        assertEquals(2, rows(false, "shops", "TRUE", db).size(), "shops: the moved and the resident one");
        // The moved shop's assets (asset 1 is shared with shop 1) and the resident's; never asset 3 or 4.
        assertEquals(assets, rows(false, "assets", "TRUE", db).stream()
                .map(r -> ((Number) r.getFirst()).intValue()).toList());
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME IN ('audit_log', 'tmp_scratch')", db + "_shard"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LockOnSourceDB", "LockInGhostferry"})
    void movesOneShopOfALiveDatabaseExactly(String lock) throws Exception {
        String db = seeded("shard_" + lock);
        try (var callbacks = new CallbackServer();
             var others1 = new ShopWriter(pair, db, 1);
             var others3 = new ShopWriter(pair, db, 3)) {
            var moving = new ShopWriter(pair, db, MOVED);
            callbacks.respondWith(r -> {
                if (r.path().equals("/lock")) {
                    try {
                        moving.stop(); // the application stops writing the moved shop
                        // A new asset of the moved shop, written outside the binlog the run applies: the joined
                        // table's copy under the lock brings it.
                        pair.source().exec("INSERT INTO `" + db + "`.assets VALUES (5, 'new asset')",
                                "INSERT INTO `" + db + "`.shop_assets VALUES (" + MOVED + ", 5)");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 500;
                    }
                }
                return 200;
            });
            var result = MainTest.run("shard", config(db, "\"LockStrategy\": \"" + lock + "\", "
                    + "\"CutoverLock\": {\"URI\": \"" + callbacks.url("/lock") + "\"}, "
                    + "\"CutoverUnlock\": {\"URI\": \"" + callbacks.url("/unlock") + "\"}").toString());
            assertEquals(0, result.exit(), result.err());
            assertTrue(moving.writes.get() > 0);
            assertEquals(1, callbacks.requests("/unlock").size());
        }
        assertMoved(db, List.of(1, 2, 5, 50));
        assertEquals(List.of(List.of(5, "new asset")), pair.target().query("SELECT * FROM `" + db
                + "_shard`.assets WHERE id = 5"));
    }

    @Test
    void interruptedAndResumedOnceTheMoveIsExact() throws Exception {
        String db = seeded("shard_resume");
        Path state = dir.resolve("state.json");
        Path file = config(db, "\"StateFilename\": \"" + state + "\"");
        ShardConfig shard = ShardConfigLoader.load(file);
        TenantFilter tenant;
        try (Connection c = pair.source().connect()) {
            tenant = TenantFilter.load(shard.sharding(), c);
        }
        var subset = new CopySubset(tenant, tenant);
        var config = shard.copydb();
        var ferryRef = new AtomicReference<Ferry>();
        var batches = new AtomicInteger();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (batches.incrementAndGet() == 5) {
                    ferryRef.get().requestStop();
                }
            }
        };
        try (var others = new ShopWriter(pair, db, 1)) {
            var moving = new ShopWriter(pair, db, MOVED);
            try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow(), subset)) {
                ferryRef.set(ferry);
                var stopped = assertThrows(RunFailed.class, ferry::run);
                assertTrue(stopped.getMessage().contains("interrupted on request"), stopped.getMessage());
            }
            var saved = StateCodec.fromJson(Files.readString(state));
            assertTrue(saved.rowFilter().contains("shop_id = " + MOVED), saved.rowFilter());
            var resumed = config.withState(config.state().withStateToResumeFrom(Files.readString(state)));
            Thread.sleep(300); // the moved shop writes on while the run is down
            moving.stop();
            try (var ferry = new Ferry(resumed, RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow(),
                    subset)) {
                var summary = ferry.run();
                assertTrue(summary.verified(), summary.describe());
            }
        }
        assertMoved(db, List.of(1, 2, 50));

        // ferry verify compares the tenant's rows only: the resident shop's rows are not the source's, and match.
        var verified = MainTest.run("verify", file.toString());
        assertEquals(0, verified.exit(), verified.out() + verified.err());
        pair.target().exec("UPDATE `" + db + "_shard`.orders SET v = 'edited' WHERE shop_id = " + MOVED
                + " ORDER BY id LIMIT 1");
        var edited = MainTest.run("verify", file.toString());
        assertEquals(4, edited.exit(), edited.out() + edited.err());
        assertTrue(edited.out().contains("1 difference(s) in 1 table(s)") && edited.out().contains(".orders"),
                edited.out());
    }

    @Test
    void aRowMovedToAnotherShopStopsTheRunNamingTheTableKeyAndValues() throws Exception {
        String db = seeded("shard_keychange");
        String orders = "`" + db + "`.orders";
        var hooks = new RunHooks() {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (done.compareAndSet(false, true)) {
                    pair.source().exec("UPDATE " + orders + " SET shop_id = 3 WHERE id = 4"); // shop 2's
                }
            }
        };
        ShardConfig shard = ShardConfigLoader.load(config(db, ""));
        TenantFilter tenant;
        try (Connection c = pair.source().connect()) {
            tenant = TenantFilter.load(shard.sharding(), c);
        }
        var config = shard.copydb();
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow(),
                new CopySubset(tenant, tenant))) {
            var e = assertThrows(RunFailed.class, ferry::run);
            assertTrue(e.getMessage().contains(db + ".orders"), e.getMessage());
            assertTrue(e.getMessage().contains("the sharding key shop_id of the row (id=4) changed from 2 to 3"),
                    e.getMessage());
        }
    }

    @Test
    void aTenantRowCorruptedOnTheTargetFailsVerification() throws Exception {
        String db = seeded("shard_corrupt");
        pair.target().exec("CREATE TRIGGER `" + db + "_shard`.corrupt BEFORE INSERT ON `" + db + "_shard`.orders"
                + " FOR EACH ROW SET NEW.v = IF(NEW.id IN (7, 8), 'corrupted', NEW.v)"); // 7 is shop 2's, 8 is not
        var result = MainTest.run("shard", config(db, "").toString());
        assertEquals(4, result.exit(), result.err());
        assertTrue(result.err().contains("orders") && result.err().contains("7"), result.err());
        assertFalse(result.err().contains("id=8") || result.err().contains("[8]"), result.err());
    }

    @Test
    void thePrimaryKeyTablesRowCopiedAtCutoverIsVerifiedToo() throws Exception {
        String db = seeded("shard_pkcorrupt");
        pair.target().exec("CREATE TRIGGER `" + db + "_shard`.corrupt BEFORE INSERT ON `" + db + "_shard`.shops"
                + " FOR EACH ROW SET NEW.name = IF(NEW.id = " + MOVED + ", 'corrupted', NEW.name)");
        var result = MainTest.run("shard", config(db, "").toString());
        assertEquals(4, result.exit(), result.err());
        assertTrue(result.err().contains("shops"), result.err());
    }

    @Test
    void dryRunPrintsHowEachTableIsFilteredAndTheShopsRows() throws Exception {
        String db = seeded("shard_dry");
        var result = MainTest.run("shard", "--dry-run", config(db, "").toString());
        assertEquals(0, result.exit(), result.err());
        String out = result.out();
        assertTrue(out.contains("sharded by shop_id"), out);
        assertTrue(out.contains("joined through shop_assets.asset_id"), out);
        assertTrue(out.contains("primary-key table"), out);
        assertTrue(out.matches("(?s).*" + db + "\\.orders\\s+300 of about \\d+: sharded by shop_id.*"), out);
        assertTrue(out.contains(db + ".audit_log: left out: has no column shop_id"), out);
        assertTrue(out.contains(db + ".tmp_scratch: left out: matches IgnoredTables"), out);
        assertEquals(1, pair.target().query("SELECT * FROM `" + db + "_shard`.orders").size(), "the dry run wrote");
    }
}

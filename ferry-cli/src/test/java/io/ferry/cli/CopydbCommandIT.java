package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry copydb} against the real pair, run in-process through {@link Main#run}: outputs and exit codes. */
@MySqlPair
class CopydbCommandIT {
    private final TestPair pair;
    private final String password;
    @TempDir
    Path dir;

    CopydbCommandIT(TestPair pair) {
        this.pair = pair;
        this.password = pair.source().endpoint().password();
    }

    /** A database with two small tables. */
    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec(
                "CREATE TABLE `" + db + "`.orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2), note VARCHAR(40))",
                "CREATE TABLE `" + db + "`.items (item_no INT UNSIGNED PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4)");
        pair.source().insertRows("`" + db + "`.orders", "id, total, note", 120, i -> "(" + i + ", " + i + ".25, 'o" + i + "')");
        pair.source().insertRows("`" + db + "`.items", "item_no, name", 7, i -> "(" + i + ", 'ité😀" + i + "')");
        pair.source().exec("ANALYZE TABLE `" + db + "`.orders, `" + db + "`.items");
        return db;
    }

    private Path config(String extra, ServerEndpoint target) throws IOException {
        String json = """
                {
                  "Source": %s,
                  "Target": %s,
                  "AutomaticCutover": true,
                  "DataIterationBatchSize": 50%s
                }""".formatted(server(pair.source().endpoint()), server(target), extra.isEmpty() ? "" : ",\n  " + extra);
        Path file = Files.createTempFile(dir, "copydb", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private static String whitelist(String db) {
        return "\"Databases\": {\"Whitelist\": [\"" + db + "\"]}";
    }

    private MainTest.Result run(String... args) {
        MainTest.Result r = MainTest.run(args);
        r.assertNoPassword(password);
        return r;
    }

    private void assertNoTargetDatabase(String db) {
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db),
                "the target database " + db + " was created");
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        String db = seeded("dryrun");
        String renamed = db + "_new";
        pair.dropAfterwards(renamed);
        Path file = config("\"Databases\": {\"Whitelist\": [\"" + db + "\"], \"Rewrites\": {\"" + db + "\": \"" + renamed
                + "\"}},\n  \"Tables\": {\"Rewrites\": {\"items\": \"products\"}}", pair.target().endpoint());
        MainTest.Result r = run("copydb", "--dry-run", file.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        String orders = lines.stream().filter(l -> l.contains(db + ".orders")).findFirst().orElseThrow(() ->
                new AssertionError("the plan does not list orders:\n" + r.out()));
        assertTrue(orders.matches(".*" + db + "\\.orders\\s+" + renamed + "\\.orders\\s+id\\s+120\\s*"), orders);
        String items = lines.stream().filter(l -> l.contains(db + ".items")).findFirst().orElseThrow(() ->
                new AssertionError("the plan does not list items:\n" + r.out()));
        assertTrue(items.matches(".*" + db + "\\.items\\s+" + renamed + "\\.products\\s+item_no\\s+7\\s*"), items);
        assertTrue(r.out().contains("2 tables, about 127 rows"), r.out());
        assertTrue(r.out().contains("source: ") && r.out().contains("target: "), r.out());
        assertNoTargetDatabase(db);
        assertNoTargetDatabase(renamed);
    }

    @Test
    void aPartitionedDryRunPrintsTheSameSplitOnEveryWorkerAndPlansOnlyItsPart() throws Exception {
        String db = pair.newDatabase("partition_plan");
        List<String> names = List.of("big", "mid", "small_a", "small_b", "small_c");
        for (String t : names) {
            pair.source().exec("CREATE TABLE `" + db + "`.`" + t + "` (id INT PRIMARY KEY, pad VARCHAR(200))");
        }
        pair.source().insertRows("`" + db + "`.big", "id, pad", 3000, i -> "(" + i + ", REPEAT('b', 200))");
        pair.source().insertRows("`" + db + "`.mid", "id, pad", 800, i -> "(" + i + ", REPEAT('m', 200))");
        pair.source().exec("ANALYZE TABLE `" + db + "`.big, `" + db + "`.mid");
        Path file = config(whitelist(db), pair.target().endpoint());

        List<List<String>> splits = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int part = i;
            MainTest.Result r = run("copydb", "--dry-run", "--partition", part + "/2", file.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("partition " + part + "/2: this run copies part " + part), r.out());
            List<String> split = r.out().lines().filter(l -> l.matches("\\s+[* ] part \\d: .*"))
                    .map(l -> l.substring(4)).toList();
            assertEquals(2, split.size(), r.out());
            splits.add(split);
            String mine = r.out().lines().filter(l -> l.startsWith("  * part " + part + ": ")).findFirst().orElseThrow();
            for (String t : names) {
                boolean planned = r.out().lines().anyMatch(l -> l.matches("\\d+\\s+" + db + "\\." + t + "\\s.*"));
                assertEquals(mine.matches(".*\\b" + db + "\\." + t + "\\b.*"), planned, t + " in\n" + r.out());
            }
        }
        assertEquals(splits.get(0), splits.get(1), "every worker computes the same split");
        String all = String.join("\n", splits.get(0));
        for (String t : names) {
            assertEquals(1, all.split(db + "\\." + t + "\\b", -1).length - 1, t + " in exactly one part:\n" + all);
        }
        assertTrue(splits.get(0).getFirst().contains(db + ".big"), "the largest table comes first: " + all);

        MainTest.Result copy = run("copydb", "--partition", "0/2", file.toString());
        assertEquals(2, copy.exit(), copy.err());
        assertTrue(copy.err().contains("set ResumeStateFromDB"), copy.err());
        assertNoTargetDatabase(db);
        MainTest.Result bad = run("copydb", "--partition", "2/2", file.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("numbered from 0"), bad.err());
    }

    @Test
    void aPartitionedRunRefusesCascadingForeignKeysBetweenParts() throws Exception {
        String db = pair.newDatabase("partition_cascade");
        String stateDb = pair.newDatabase("partition_cascade_state");
        pair.source().exec("CREATE TABLE `" + db + "`.parent (id INT PRIMARY KEY, pad VARCHAR(200))",
                "CREATE TABLE `" + db + "`.child (id INT PRIMARY KEY, parent_id INT,"
                        + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)");
        pair.source().insertRows("`" + db + "`.parent", "id, pad", 3000, i -> "(" + i + ", REPEAT('p', 200))");
        pair.source().exec("ANALYZE TABLE `" + db + "`.parent, `" + db + "`.child");
        Path file = config(whitelist(db) + ", \"ResumeStateFromDB\": \"" + stateDb + "\", \"MyServerId\": 8181",
                pair.target().endpoint());

        MainTest.Result r = run("copydb", "--partition", "1/2", file.toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("foreign keys with cascading actions link tables of different parts: " + db
                + ".parent (part 0) -> " + db + ".child (part 1)"), r.err());
        assertNoTargetDatabase(db);
    }

    @Test
    void aFullRunCopiesTheDatabaseAndExitsZero() throws Exception {
        String db = seeded("full");
        Path file = config(whitelist(db), pair.target().endpoint());
        // The run's own log lines go to the process's stderr (the test logger writes to whatever System.err is).
        PrintStream realErr = System.err;
        var logs = new ByteArrayOutputStream();
        MainTest.Result r;
        try (var capture = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            r = run("copydb", file.toString());
        } finally {
            System.setErr(realErr);
        }
        String log = logs.toString(StandardCharsets.UTF_8);
        realErr.print(log);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(log.contains(": copy from " + pair.source().endpoint().user() + "@"), "no run log captured:\n" + log);
        assertFalse(log.contains(password), "the log shows the password");
        pair.assertIdentical(db, "orders");
        pair.assertIdentical(db, "items");
        assertEquals(120L, pair.target().count("`" + db + "`.orders"));
    }

    @Test
    void aPreconditionFailureExitsThreeWithAOneLineReason() throws Exception {
        String db = seeded("precondition");
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ServerEndpoint t = pair.target().endpoint();
        var unreachable = new ServerEndpoint(t.role(), t.host(), closed, t.user(), t.password(), t.rootUser(), t.rootPassword());
        MainTest.Result r = run("copydb", config(whitelist(db), unreachable).toString());
        assertEquals(3, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ferry copydb: cannot connect to the target server " + t.user() + "@" + t.host()
                + ":" + closed), r.err());

        var wrongPassword = new ServerEndpoint(t.role(), t.host(), t.port(), t.user(), "not-" + t.password(),
                t.rootUser(), t.rootPassword());
        r = run("copydb", config(whitelist(db), wrongPassword).toString());
        assertEquals(3, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("Target.User and Target.Pass"), r.err());
        r.assertNoPassword("not-" + t.password());

        pair.source().exec("CREATE TABLE `" + db + "`.keyless (a INT)");
        r = run("copydb", "--dry-run", config(whitelist(db), t).toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().startsWith("ferry copydb: ferry cannot copy 1 selected table(s):")
                && r.err().contains(db + ".keyless: it has no primary key"), r.err());
        assertNoTargetDatabase(db);
    }

    @Test
    void aConfigErrorExitsTwoWithoutTouchingTheServers() throws Exception {
        String db = seeded("badconfig");
        MainTest.Result r = run("copydb", config(whitelist(db) + ", \"DataIterationBatchSize\": 0, \"Verbose\": true",
                pair.target().endpoint()).toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("DataIterationBatchSize") && r.err().contains("Verbose: unknown key"), r.err());
        assertNoTargetDatabase(db);
    }

    @Test
    void theConfigNeverShowsThePassword() throws Exception {
        String db = pair.database();
        CopydbConfig config = ConfigLoader.load(config(whitelist(db)
                + ", \"CutoverLock\": {\"URI\": \"http://127.0.0.1:1/lock\", \"Payload\": \"" + password + "\"}",
                pair.target().endpoint()));
        assertEquals(password, config.source().password().value(), "the config did read the password");
        for (String text : List.of(config.describe(), config.toString(), config.source().toString(),
                config.target().toString())) {
            assertFalse(text.contains(password), "the password shows in: " + text);
        }
        assertTrue(config.describe().contains(pair.source().endpoint().user() + "@"), config.describe());
    }
}

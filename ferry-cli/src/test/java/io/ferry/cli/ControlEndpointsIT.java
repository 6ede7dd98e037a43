package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints {@link ControlServerIT} does not cover, against a live {@code ferry copydb} on the real pair:
 * pausing only the copy lets replication go on and pausing only replication lets the copy go on,
 * {@code /api/config} changes the batch size the copy really uses, and {@code /metrics} names every metric.
 */
@MySqlPair
class ControlEndpointsIT {
    private static final List<String> METRICS = List.of("ferry_run_seconds", "ferry_phase", "ferry_tables",
            "ferry_tables_completed", "ferry_rows_copied_total", "ferry_table_rows_copied_total",
            "ferry_copy_rows_per_second", "ferry_copy_eta_seconds", "ferry_copy_batches_total", "ferry_copy_errors_total",
            "ferry_copy_retries_total", "ferry_copy_batch_duration_seconds_bucket", "ferry_binlog_events_applied_total",
            "ferry_binlog_lag_seconds", "ferry_binlog_writer_state_age_seconds", "ferry_paused", "ferry_automatic_cutover");
    private final TestPair pair;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    @TempDir
    Path dir;

    ControlEndpointsIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void eachPauseHoldsOnlyItsPartAndTheBatchSizeSetOverHttpIsUsed() throws Exception {
        String db = pair.newDatabase("ends");
        pair.source().exec("CREATE TABLE `" + db + "`.events (id BIGINT PRIMARY KEY, payload VARCHAR(100))",
                "CREATE TABLE `" + db + "`.side (id INT PRIMARY KEY)");
        pair.source().insertRows("`" + db + "`.events", "id, payload", 3000, i -> "(" + i + ", 'event " + i + "')");
        pair.source().exec("ANALYZE TABLE `" + db + "`.events");
        CompletableFuture<Integer> run = start(db);

        // Copy paused: replication still applies (the empty side table is only filled through the binlog).
        assertEquals(200, post("/api/actions/pause?type=migration").statusCode());
        await(() -> "copying".equals(status().get("OverallState").getAsString())
                && status().getAsJsonArray("TableStatuses").asList().stream()
                        .anyMatch(t -> t.getAsJsonObject().get("TableName").getAsString().endsWith(".side")
                                && "complete".equals(t.getAsJsonObject().get("Status").getAsString())), "copying", run);
        Thread.sleep(300);
        long heldRows = rows();
        pair.source().exec("INSERT INTO `" + db + "`.side VALUES (1)");
        await(() -> pair.target().count("`" + db + "`.side") == 1, "the side row applied while the copy is paused", run);
        assertEquals(heldRows, rows(), "rows were copied while the copy was paused");
        JsonObject s = status();
        assertTrue(s.get("MigrationThrottled").getAsBoolean());
        assertFalse(s.get("ReplicationThrottled").getAsBoolean());
        assertTrue(heldRows < 3000, "the copy finished before the pause took effect");

        // Batch size read and changed over HTTP.
        assertEquals(20, JsonParser.parseString(send("GET", "/api/config", null).body()).getAsJsonObject()
                .get("DataIterationBatchSize").getAsInt());
        assertEquals(200, send("POST", "/api/config", "{\"DataIterationBatchSize\": 500}").statusCode());
        assertEquals(500, JsonParser.parseString(send("GET", "/api/config", null).body()).getAsJsonObject()
                .get("DataIterationBatchSize").getAsInt());
        long batchesBefore = metric("ferry_copy_batches_total");

        // Replication paused, copy resumed: the copy finishes while a new binlog change waits.
        assertEquals(200, post("/api/actions/pause?type=replication").statusCode());
        assertEquals(200, post("/api/actions/unpause?type=migration").statusCode());
        pair.source().exec("INSERT INTO `" + db + "`.side VALUES (2)");
        await(() -> "wait-for-cutover".equals(status().get("OverallState").getAsString()), "wait-for-cutover", run);
        assertEquals(3000, rows());
        long batches = metric("ferry_copy_batches_total") - batchesBefore;
        long rowsAfter = 3000 - heldRows;
        assertTrue(batches <= rowsAfter / 500 + 8, batches + " batches for " + rowsAfter + " rows: the new batch size was not used");
        assertTrue(batches < rowsAfter / 20, batches + " batches for " + rowsAfter + " rows: the new batch size was not used");
        Thread.sleep(500);
        assertEquals(1L, pair.target().count("`" + db + "`.side"), "a binlog change was applied while replication was paused");
        s = status();
        assertFalse(s.get("MigrationThrottled").getAsBoolean());
        assertTrue(s.get("ReplicationThrottled").getAsBoolean());

        String metrics = send("GET", "/metrics", null).body();
        for (String name : METRICS) {
            assertTrue(Pattern.compile("(?m)^" + name + "[ {]").matcher(metrics).find(), name + " missing from /metrics:\n" + metrics);
        }
        assertTrue(metrics.contains("ferry_paused{scope=\"replication\"} 1"), metrics);
        assertTrue(metrics.contains("ferry_phase{phase=\"wait-for-cutover\"} 1"), metrics);

        assertEquals(200, post("/api/unpause").statusCode());
        await(() -> pair.target().count("`" + db + "`.side") == 2, "the held side row", run);
        assertEquals(200, post("/api/actions/cutover?type=automatic").statusCode());
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        pair.assertIdentical(db, "events");
        pair.assertIdentical(db, "side");
    }

    private CompletableFuture<Integer> start(String db) throws Exception {
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ServerEndpoint s = pair.source().endpoint();
        ServerEndpoint t = pair.target().endpoint();
        Path config = dir.resolve("copydb.json");
        Files.writeString(config, """
                {"Source": {"Host": "%s", "Port": %d, "User": "%s", "Pass": "%s"},
                 "Target": {"Host": "%s", "Port": %d, "User": "%s", "Pass": "%s"},
                 "Databases": {"Whitelist": ["%s"]}, "AutomaticCutover": false, "DataIterationBatchSize": 20,
                 "ControlServerConfig": {"Enabled": true, "ServerBindAddr": "127.0.0.1:%d"}}
                """.formatted(s.host(), s.port(), s.user(), s.password(), t.host(), t.port(), t.user(), t.password(),
                db, port));
        var sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"copydb", config.toString()}, sink, sink));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before the control server answered: exit " + run.get());
            }
            try {
                send("GET", "/", null);
                return run;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the control server did not start on port " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static void await(Check condition, String what, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.test()) {
            if (run.isDone()) {
                throw new AssertionError("the run ended (exit " + run.get() + ") before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached: " + what);
            }
            Thread.sleep(50);
        }
    }

    private long metric(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(send("GET", "/metrics", null).body());
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    private JsonObject status() throws Exception {
        var r = send("GET", "/api/status", null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private long rows() throws Exception {
        return status().get("RowsCopied").getAsLong();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send("POST", path, "");
    }

    private HttpResponse<String> send(String method, String path, String jsonBody) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry copydb} with the control server enabled, against the real pair: the run is steered only over HTTP
 * (pause, unpause, batch size, health, cutover), as an operator would.
 */
@MySqlPair
class ControlServerIT {
    private static final String TOKEN = "it-token-7f3a";
    private final TestPair pair;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    private boolean anonymous;
    @TempDir
    Path dir;

    ControlServerIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void anOperatorPausesResumesWatchesHealthAndCutsOverOverHttp() throws Exception {
        String db = pair.newDatabase("ctl");
        pair.source().exec("CREATE TABLE `" + db + "`.events (id BIGINT PRIMARY KEY, payload VARCHAR(100))");
        pair.source().insertRows("`" + db + "`.events", "id, payload", 4000, i -> "(" + i + ", 'event " + i + "')");
        pair.source().exec("ANALYZE TABLE `" + db + "`.events");
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
                 "ControlServerConfig": {"Enabled": true, "ServerBindAddr": "127.0.0.1:%d", "BearerToken": "%s"}}
                """.formatted(s.host(), s.port(), s.user(), s.password(), t.host(), t.port(), t.user(), t.password(),
                db, port, TOKEN));

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"copydb", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));

        // Pause the copy as soon as the server answers: at most a batch or two gets through.
        awaitServer(run);
        anonymous = true;
        assertEquals(401, send("GET", "/api/status", null, null).statusCode(), "the token is required");
        anonymous = false;
        assertEquals(200, post("/api/actions/pause?type=migration").statusCode());
        JsonObject status = awaitStatus(st -> "copying".equals(st.get("OverallState").getAsString()), "copying");
        assertEquals(Main.version(), status.get("GhostferryVersion").getAsString(), "the status shows ferry --version");
        awaitReady();
        Thread.sleep(300);
        long pausedRows = rows(status());
        Thread.sleep(1500);
        status = status();
        assertEquals(pausedRows, rows(status), "rows were copied while the copy was paused");
        assertTrue(status.get("MigrationThrottled").getAsBoolean());
        assertFalse(status.get("ReplicationThrottled").getAsBoolean());
        assertTrue(pausedRows < 4000, "the copy finished before the pause took effect");

        var config200 = send("POST", "/api/config", "application/json", "{\"DataIterationBatchSize\": 100}");
        assertEquals(200, config200.statusCode(), config200.body());
        assertEquals(200, post("/api/actions/unpause?type=migration").statusCode());
        status = awaitStatus(st -> "wait-for-cutover".equals(st.get("OverallState").getAsString()), "wait-for-cutover");
        assertEquals(4000, rows(status));
        assertEquals(100, status.getAsJsonArray("TableStatuses").get(0).getAsJsonObject().get("BatchSize").getAsInt());
        assertFalse(run.isDone(), "the run must wait for a cutover request");

        // Replication paused with events pending: the applier's state stops moving and the probe fails.
        assertEquals(200, health().statusCode());
        assertEquals(200, post("/api/actions/pause?type=replication").statusCode());
        pair.source().exec("INSERT INTO `" + db + "`.events VALUES (5001, 'late'), (5002, 'later')",
                "UPDATE `" + db + "`.events SET payload = 'changed' WHERE id = 7");
        awaitHealth(500);
        assertEquals("ProcessingEvents", JsonParser.parseString(health().body()).getAsJsonObject()
                .get("BinlogWriterState").getAsString());
        assertEquals(200, post("/api/actions/unpause?type=replication").statusCode());
        awaitHealth(200);

        var cutover = send("POST", "/api/cutover", "application/json", "{\"type\": \"automatic\"}");
        assertEquals(200, cutover.statusCode(), cutover.body());
        assertEquals(0, run.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        pair.assertIdentical(db, "events");
        assertEquals(4002L, pair.target().count("`" + db + "`.events"));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(s.password()));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains(s.password()));
    }

    private void awaitServer(CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before the control server answered: exit " + run.get());
            }
            try {
                send("GET", "/", null, null);
                return;
            } catch (ConnectException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the control server did not start on port " + port);
    }

    private JsonObject awaitStatus(Predicate<JsonObject> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = status();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run never reached " + what + "; last status: " + last);
    }

    /** Readiness: the run streams the binlog once its applier started, soon after the copy began. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> last;
        do {
            last = send("GET", "/api/ready", null, null);
            if (last.statusCode() == 200) {
                return;
            }
            assertEquals(503, last.statusCode(), last.body());
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/api/ready never answered 200 while the run copied; last: " + last.body());
    }

    private void awaitHealth(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = health();
            if (last.statusCode() == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/api/health never answered " + expected + "; last: " + last.statusCode() + " " + last.body());
    }

    private HttpResponse<String> health() throws Exception {
        return send("GET", "/api/health?BinlogWriterStateTsAgeMs=1000", null, null);
    }

    private JsonObject status() throws Exception {
        var r = send("GET", "/api/status", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static long rows(JsonObject status) {
        return status.get("RowsCopied").getAsLong();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send("POST", path, "application/json", "");
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (!anonymous) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(r.body().contains(pair.source().endpoint().password()), "a response shows the password");
        return r;
    }
}

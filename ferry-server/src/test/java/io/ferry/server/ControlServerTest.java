package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.core.config.Secret;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.ServerWait;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.control.WriterState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlServerTest {
    private static final String TOKEN = "t0ken-Xy9-secret";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newHttpClient(); // does not follow redirects
    private final List<HttpResponse<String>> responses = new ArrayList<>();
    private FakeControl control;
    private ControlServer server;
    private String authorization;

    @BeforeEach
    void start() {
        control = new FakeControl();
        server = ControlServer.start(control, new ControlServerSettings("127.0.0.1", 0, Secret.NONE, "1.2.3"));
    }

    @AfterEach
    void stop() {
        server.close();
        for (HttpResponse<String> r : responses) {
            assertFalse(r.body().contains(TOKEN), "a response shows the bearer token: " + r.uri());
            boolean page = r.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
            assertFalse(!page && r.body().toLowerCase().contains("pass"), "a response mentions a password: " + r.uri());
        }
    }

    @Test
    void statusUsesGhostferrysFieldsAndUnits() throws Exception {
        var r = get("/api/status");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(JSON));
        JsonObject s = json(r);
        assertEquals("1.2.3", s.get("GhostferryVersion").getAsString());
        assertEquals("copying", s.get("OverallState").getAsString());
        assertEquals("src.example:3306", s.get("SourceHostPort").getAsString());
        assertEquals("2026-01-02T03:04:05Z", s.get("CurrentTime").getAsString());
        assertEquals(90_000_000_000L, s.get("TimeTaken").getAsLong(), "durations are Go nanoseconds");
        assertEquals(65_000_000_000L, s.get("ETA").getAsLong());
        assertEquals(1_500_000_000L, s.get("BinlogStreamerLag").getAsLong());
        assertEquals(123, s.get("PaginationKeysPerSecond").getAsLong());
        assertEquals("AppliedEvents", s.get("BinlogWriterState").getAsString());
        assertEquals(200_000_000L, s.get("BinlogWriterStateTsAge").getAsLong());
        assertEquals("mysql-bin.000007", s.getAsJsonObject("LastSuccessfulBinlogPos").get("Name").getAsString());
        assertEquals(8_500, s.getAsJsonObject("LastSuccessfulBinlogPos").get("Pos").getAsLong());
        assertEquals(9_000, s.getAsJsonObject("LastStreamedBinlogPos").get("Pos").getAsLong());
        assertEquals(1, s.get("CompletedTableCount").getAsInt());
        assertEquals(3, s.get("TotalTableCount").getAsInt());
        assertEquals("[\"crm\",\"shop\"]", s.get("AllDatabaseNames").toString());
        var items = s.getAsJsonArray("TableStatuses").get(1).getAsJsonObject();
        assertEquals("shop.items", items.get("TableName").getAsString());
        assertEquals("complete", items.get("Status").getAsString());
        assertEquals("(7, a\"b)", items.get("LastSuccessfulPaginationKey").getAsString());
        assertEquals(1000, items.get("BatchSize").getAsInt());
        var orders = s.getAsJsonObject("Tables").getAsJsonObject("shop.orders");
        assertEquals("copying", orders.get("CurrentAction").getAsString());
        assertEquals(500, orders.get("RowsWritten").getAsLong());
        assertEquals(64_000, orders.get("BytesWritten").getAsLong());
        assertFalse(s.get("VerifierSupport").getAsBoolean());
        assertFalse(s.get("Throttled").getAsBoolean());
        assertTrue(s.get("VerificationResult").isJsonNull());
    }

    @Test
    void pauseAndUnpauseBothScopesWithJsonOrForm() throws Exception {
        var r = post("/api/pause", JSON, "");
        assertEquals(200, r.statusCode());
        assertEquals("pause", json(r).get("Action").getAsString());
        JsonObject s = json(get("/api/status"));
        assertTrue(s.get("MigrationThrottled").getAsBoolean());
        assertTrue(s.get("ReplicationThrottled").getAsBoolean());
        assertTrue(s.get("Throttled").getAsBoolean());
        r = post("/api/unpause", FORM, "");
        assertEquals(303, r.statusCode(), "form posts go back to the page");
        assertEquals("/", r.headers().firstValue("Location").orElse("").replaceFirst("^http://[^/]+", ""));
        assertEquals(List.of("pause ALL", "unpause ALL"), control.calls);
    }

    @Test
    void actionsPauseOneScopeChosenByType() throws Exception {
        assertEquals(200, post("/api/actions/pause?type=migration", JSON, "").statusCode());
        JsonObject s = json(get("/api/status"));
        assertTrue(s.get("MigrationThrottled").getAsBoolean());
        assertFalse(s.get("ReplicationThrottled").getAsBoolean());
        assertEquals(303, post("/api/actions/pause", FORM, "type=replication").statusCode());
        assertEquals(200, post("/api/actions/unpause", JSON, "{\"type\": \"migration\"}").statusCode());
        assertEquals(200, post("/api/actions/unpause?type=replication", JSON, "").statusCode());
        assertEquals(List.of("pause MIGRATION", "pause REPLICATION", "unpause MIGRATION", "unpause REPLICATION"),
                control.calls);

        var bad = post("/api/actions/pause?type=everything", JSON, "");
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("Error").getAsString().contains("migration or replication"), bad.body());
        assertEquals(400, post("/api/actions/unpause", JSON, "").statusCode());
        assertEquals(4, control.calls.size(), "a bad request changes nothing");
    }

    @Test
    void cutoverTypeComesFromFormJsonOrQuery() throws Exception {
        assertEquals(303, post("/api/cutover", FORM, "type=automatic").statusCode());
        assertTrue(json(get("/api/status")).get("AutomaticCutover").getAsBoolean());
        assertEquals(200, post("/api/cutover", JSON, "{\"type\":\"manual\"}").statusCode());
        assertEquals(200, post("/api/actions/cutover?type=automatic", JSON, "").statusCode());
        assertEquals(List.of("cutover true", "cutover false", "cutover true"), control.calls);
        assertEquals(400, post("/api/cutover", JSON, "{\"type\":\"soon\"}").statusCode());
        assertEquals(400, post("/api/actions/cutover", FORM, "").statusCode());
        assertEquals(400, post("/api/cutover", JSON, "not json").statusCode());
        assertEquals(3, control.calls.size());
    }

    @Test
    void stopIsAcceptedAndRequestsAGracefulStop() throws Exception {
        var r = post("/api/stop", JSON, "");
        assertEquals(202, r.statusCode());
        assertEquals("stop", json(r).get("Action").getAsString());
        assertEquals(202, post("/api/actions/stop", JSON, "").statusCode());
        assertEquals(303, post("/api/actions/stop", FORM, "").statusCode());
        assertEquals(List.of("stop", "stop", "stop"), control.calls);
        assertTrue(json(get("/api/status")).get("BinlogStreamerStopRequested").getAsBoolean());
    }

    @Test
    void verifyIsNotImplementedWithoutAVerifier() throws Exception {
        for (String path : List.of("/api/verify", "/api/actions/verify")) {
            var r = post(path, JSON, "");
            assertEquals(501, r.statusCode());
            assertTrue(json(r).get("Error").getAsString().contains("no verifier"), r.body());
        }
        assertTrue(control.calls.isEmpty());
    }

    @Test
    void verifyStartsTheVerifierAndStatusShowsItsVerdict() throws Exception {
        control.verifier = new VerifierStatus(true, true, false, false, null, "");
        var r = post("/api/verify", JSON, "");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(List.of("verify"), control.calls);
        control.verifier = new VerifierStatus(true, false, true, false, null, "");
        assertEquals(409, post("/api/actions/verify", JSON, "").statusCode());
        control.verifier = new VerifierStatus(true, true, true, true, false, "cutover verification failed for: a.b [PKs: 1 (type: row missing on target) ] ");
        var s = json(get("/api/status"));
        assertTrue(s.get("VerificationDone").getAsBoolean());
        assertFalse(s.getAsJsonObject("VerificationResult").get("DataCorrect").getAsBoolean());
        assertTrue(s.getAsJsonObject("VerificationResult").get("Message").getAsString().contains("a.b [PKs: 1"));
    }

    @Test
    void healthFailsWhenTheApplierStateIsOlderThanAllowed() throws Exception {
        var ok = get("/api/health");
        assertEquals(200, ok.statusCode());
        assertEquals("AppliedEvents", json(ok).get("BinlogWriterState").getAsString());
        assertEquals(200, get("/api/health?BinlogWriterStateTsAgeMs=1000").statusCode());

        control.writerStateAt = control.now.minusSeconds(5);
        var stale = get("/api/health?BinlogWriterStateTsAgeMs=1000");
        assertEquals(500, stale.statusCode());
        JsonObject body = json(stale);
        assertEquals(5_000_000_000L, body.get("BinlogWriterStateTsAge").getAsLong(), "same body as a healthy answer");
        assertEquals("copying", body.get("OverallState").getAsString());
        assertEquals(200, get("/api/health?BinlogWriterStateTsAgeMs=6000").statusCode());
        assertEquals(200, get("/api/health").statusCode(), "no limit, no failure");

        for (String bad : List.of("0", "-5", "abc", "1.5", "")) {
            assertEquals(400, get("/api/health?BinlogWriterStateTsAgeMs=" + bad).statusCode(), bad);
        }
    }

    @Test
    void readyOnceTheApplierStreamsAndUntilTheRunIsDone() throws Exception {
        control.writerState = WriterState.INIT;
        control.phase = RunPhase.STARTING;
        var starting = get("/api/ready");
        assertEquals(503, starting.statusCode());
        assertEquals("starting", json(starting).get("OverallState").getAsString(), "the body is the status JSON");
        control.phase = RunPhase.COPYING;
        assertEquals(503, get("/api/ready").statusCode(), "copying before the applier started");
        control.writerState = WriterState.WAITING_FOR_EVENTS;
        assertEquals(200, get("/api/ready").statusCode());
        control.phase = RunPhase.WAIT_FOR_CUTOVER;
        assertEquals(200, get("/api/ready").statusCode());
        control.phase = RunPhase.DONE;
        assertEquals(503, get("/api/ready").statusCode());
    }

    @Test
    void healthFailsWhileAServerLeavesAStatementUnansweredTooLong() throws Exception {
        control.waits = List.of(new ServerWait("target ferry@tgt.example:3307", "INSERT INTO `shop`.`orders` ...",
                control.now.minusSeconds(45), true));
        var frozen = get("/api/health");
        assertEquals(500, frozen.statusCode(), "45 s is past the default limit of 30 s");
        JsonObject wait = json(frozen).getAsJsonArray("ServerWaits").get(0).getAsJsonObject();
        assertEquals("target ferry@tgt.example:3307", wait.get("Server").getAsString());
        assertEquals("INSERT INTO `shop`.`orders` ...", wait.get("Statement").getAsString());
        assertEquals(45, wait.get("WaitingSeconds").getAsLong());
        assertEquals(200, get("/api/health?BinlogWriterStateTsAgeMs=60000").statusCode(), "the limit is the query's");
        assertEquals(500, get("/api/health?BinlogWriterStateTsAgeMs=10000").statusCode());

        control.waits = List.of(new ServerWait("target ferry@tgt.example:3307", "ALTER TABLE `shop`.`orders` ...",
                control.now.minusSeconds(600), false));
        assertEquals(200, get("/api/health").statusCode(), "a schema change runs untimed and may take long");
        assertEquals(1, json(get("/api/status")).getAsJsonArray("ServerWaits").size(), "but the status shows it");
    }

    @Test
    void configReadsAndUpdatesTheBatchSizeAndRejectsUnknownFields() throws Exception {
        assertEquals(1000, json(get("/api/config")).get("DataIterationBatchSize").getAsInt());
        var r = post("/api/config", JSON, "{\"DataIterationBatchSize\": 250}");
        assertEquals(200, r.statusCode());
        assertEquals(250, json(r).get("DataIterationBatchSize").getAsInt());
        assertEquals(250, json(get("/api/config")).get("DataIterationBatchSize").getAsInt());
        assertEquals(List.of("batch size 250"), control.calls);

        var unknown = post("/api/config", JSON, "{\"DataIterationBatchSize\": 10, \"BinlogEventBatchSize\": 5}");
        assertEquals(400, unknown.statusCode());
        assertTrue(json(unknown).get("Error").getAsString().contains("BinlogEventBatchSize"), unknown.body());
        var zero = post("/api/config", JSON, "{\"DataIterationBatchSize\": 0}");
        assertEquals(400, zero.statusCode());
        assertTrue(json(zero).get("Error").getAsString().contains("between 1 and"), zero.body());
        assertEquals(400, post("/api/config", JSON, "{\"DataIterationBatchSize\": 2.5}").statusCode());
        assertEquals(400, post("/api/config", JSON, "{}").statusCode());
        assertEquals(400, post("/api/config", JSON, "[1]").statusCode());
        assertEquals(List.of("batch size 250"), control.calls, "rejected updates change nothing");
    }

    @Test
    void metricsAreValidPrometheusTextWithFerryNames() throws Exception {
        var r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Pattern sample = Pattern.compile("^(ferry_[a-z_]+)(\\{[a-z]+=\"(?:[^\"\\\\]|\\\\.)*\"})? -?[0-9.eE+-]+$");
        Set<String> helped = new HashSet<>();
        Set<String> typed = new HashSet<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped.add(line.split(" ")[2]);
            } else if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
            } else {
                var m = sample.matcher(line);
                assertTrue(m.matches(), "not a Prometheus sample: " + line);
                String family = m.group(1).replaceFirst("_(bucket|sum|count)$", "");
                assertTrue(helped.contains(family) && typed.contains(family), "no HELP/TYPE before " + line);
            }
        }
        String body = r.body();
        assertTrue(body.contains("ferry_rows_copied_total 520\n"), body);
        assertTrue(body.contains("ferry_binlog_events_applied_total 42\n"));
        assertTrue(body.contains("ferry_copy_retries_total 1\n"));
        assertTrue(body.contains("ferry_copy_errors_total 2\n"));
        assertTrue(body.contains("ferry_cutover_seconds 0.42\n"), body);
        assertTrue(body.contains("ferry_phase{phase=\"copying\"} 1\n"));
        assertTrue(body.contains("ferry_phase{phase=\"done\"} 0\n"));
        assertTrue(body.contains("ferry_table_rows_copied_total{table=\"shop.orders\"} 500\n"));
        assertTrue(body.contains("# TYPE ferry_copy_batch_duration_seconds histogram\n"));
        assertTrue(body.contains("ferry_copy_batch_duration_seconds_bucket{le=\"0.1\"} 9\n"));
        assertTrue(body.contains("ferry_copy_batch_duration_seconds_bucket{le=\"+Inf\"} 11\n"));
        assertTrue(body.contains("ferry_copy_batch_duration_seconds_sum 4.25\n"));
        assertTrue(body.contains("ferry_paused{scope=\"migration\"} 0\n"));
    }

    @Test
    void bearerTokenGuardsTheApiAndMetricsButNotThePage() throws Exception {
        server.close();
        server = ControlServer.start(control, new ControlServerSettings("127.0.0.1", 0, new Secret(TOKEN), "1.2.3"));
        for (String path : List.of("/api/status", "/api/health", "/api/ready", "/api/config", "/metrics")) {
            var r = get(path);
            assertEquals(401, r.statusCode(), path);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
        }
        assertEquals(401, post("/api/pause", JSON, "").statusCode());
        assertEquals(401, post("/api/actions/stop", FORM, "").statusCode());
        authorization = "Bearer wrong";
        assertEquals(401, get("/api/status").statusCode());
        assertEquals(401, post("/api/config", JSON, "{\"DataIterationBatchSize\": 5}").statusCode());
        assertTrue(control.calls.isEmpty(), "unauthorized requests change nothing");

        authorization = "Bearer " + TOKEN;
        assertEquals(200, get("/api/status").statusCode());
        assertEquals(200, get("/metrics").statusCode());
        assertEquals(200, post("/api/pause", JSON, "").statusCode());
        assertEquals(List.of("pause ALL"), control.calls);
        authorization = null;
        assertEquals(200, get("/").statusCode(), "the page asks for the token itself");
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        server.close();
        server = ControlServer.start(control, new ControlServerSettings("127.0.0.1", 0, new Secret(TOKEN), "1.2.3"));
        for (String scheme : List.of("bearer", "BEARER", "Bearer")) {
            authorization = scheme + " " + TOKEN;
            assertEquals(200, get("/api/status").statusCode(), scheme);
        }
        authorization = "Basic " + TOKEN;
        assertEquals(401, get("/api/status").statusCode(), "another scheme with the token's text is refused");
        authorization = TOKEN;
        assertEquals(401, get("/api/status").statusCode(), "the token without a scheme is refused");
    }

    @Test
    void postsFromAnotherWebPageAreRefusedAndChangeNothing() throws Exception {
        String evil = "http://evil.example";
        // What a page elsewhere can send without a CORS preflight: form posts and text/plain bodies.
        assertEquals(403, postFrom(evil, "/api/cutover", FORM, "type=automatic").statusCode());
        assertEquals(403, postFrom(evil, "/api/actions/pause?type=migration", "text/plain", "{}").statusCode());
        assertEquals(403, postFrom("null", "/api/stop", FORM, "").statusCode(), "a sandboxed or file: page");
        assertEquals(403, postFrom("http://127.0.0.1:1", "/api/pause", JSON, "{}").statusCode(), "another port is another origin");
        var crossSite = send(request("/api/actions/stop").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, crossSite.statusCode());
        assertTrue(json(crossSite).get("Error").getAsString().contains("from another web page refused"), crossSite.body());
        assertTrue(control.calls.isEmpty(), "refused requests change nothing: " + control.calls);
        assertFalse(control.automaticCutover);

        // The status page's own requests and tools without an Origin are served.
        assertEquals(200, postFrom("http://127.0.0.1:" + server.port(), "/api/pause", JSON, "{}").statusCode());
        assertEquals(200, send(request("/api/unpause").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals(303, post("/api/cutover", FORM, "type=automatic").statusCode(), "curl's form post");
        assertEquals(List.of("pause ALL", "unpause ALL", "cutover true"), control.calls);
        assertTrue(control.automaticCutover);
    }

    @Test
    void aHostNameOtherThanTheBindAddressIsRefused() throws Exception {
        // DNS rebinding: evil.example resolves to 127.0.0.1, so the browser sends Host: evil.example.
        assertEquals(421, raw("GET /api/status HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\n"));
        assertEquals(421, raw("POST /api/stop HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\n"));
        assertFalse(control.stopRequested);
        for (String host : List.of("127.0.0.1", "localhost", "[::1]", "127.0.0.2")) {
            assertEquals(200, raw("GET /api/status HTTP/1.1\r\nHost: " + host + ":" + server.port() + "\r\n"), host);
        }
        server.close();
        server = ControlServer.start(control, new ControlServerSettings("0.0.0.0", 0, Secret.NONE, "1.2.3"));
        assertEquals(200, raw("GET /api/status HTTP/1.1\r\nHost: ferry.internal:8000\r\n"),
                "bound to every interface, any name may reach it");
    }

    /** Sends one raw HTTP/1.1 request (HttpClient will not set Host) and returns the status code. */
    private int raw(String requestHead) throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write((requestHead + "Connection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private HttpResponse<String> postFrom(String origin, String path, String contentType, String body) throws Exception {
        return send(request(path).header("Origin", origin).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void pageIsSelfContainedAndPollsTheStatus() throws Exception {
        var r = get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String page = r.body();
        assertTrue(page.contains("fetch(path") && page.contains("\"/api/status\"") && page.contains("2000"));
        for (String route : List.of("/api/actions/pause?type=migration", "/api/actions/unpause?type=replication",
                "/api/actions/cutover?type=automatic", "/api/actions/stop", "/api/actions/verify")) {
            assertTrue(page.contains(route), route);
        }
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "no external assets");
    }

    @Test
    void serverReportsItsPortAndUrl() {
        assertTrue(server.port() > 0);
        assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        var r = http.send(request, HttpResponse.BodyHandlers.ofString());
        responses.add(r);
        return r;
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }
}

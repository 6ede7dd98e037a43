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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page at {@code /}, rendered by a real headless chromium during a live copy on the pair: it shows the
 * phase, per-table progress bars, lag, throughput and the pause state, refreshes itself, and its buttons steer the
 * run. Screenshots go to {@code ferry-cli/target/status-page/} (git-ignored) for a person to look at.
 */
@MySqlPair
class StatusPageIT {
    static final Path SCREENSHOTS = Path.of("target", "status-page");
    private final TestPair pair;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    @TempDir
    Path dir;

    StatusPageIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void thePageShowsTheRunAtAGlanceAndItsButtonsSteerIt() throws Exception {
        String db = pair.newDatabase("page");
        pair.source().exec("CREATE TABLE `" + db + "`.orders (id BIGINT PRIMARY KEY, note VARCHAR(100))",
                "CREATE TABLE `" + db + "`.customers (id INT PRIMARY KEY, name VARCHAR(50))");
        pair.source().insertRows("`" + db + "`.orders", "id, note", 20_000, i -> "(" + i + ", 'order " + i + "')");
        pair.source().insertRows("`" + db + "`.customers", "id, name", 200, i -> "(" + i + ", 'customer " + i + "')");
        pair.source().exec("ANALYZE TABLE `" + db + "`.orders", "ANALYZE TABLE `" + db + "`.customers");
        CompletableFuture<Integer> run = start(db);
        // Hold the copy part-way so the page has something to show mid-run.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status().get("RowsCopied").getAsLong() < 1000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        send("/api/actions/pause?type=migration");

        try (var browser = HeadlessChromium.launch(1280, 900)) {
            browser.open("http://127.0.0.1:" + port + "/");
            browser.awaitTrue("document.querySelector('#phase').textContent === 'copying'"
                    + " && document.querySelectorAll('#rowsBody tr').length === 2", "the copying phase and both tables");
            assertEquals("paused", browser.text("#migration"));
            assertEquals("running", browser.text("#replication"));
            assertTrue(browser.text("#lag").matches("\\d+\\.\\d s"), browser.text("#lag"));
            assertEquals("not started", browser.text("#verification"), "the default Inline verifier runs at cutover");
            assertTrue(browser.text("#route").contains(pair.source().endpoint().port() + " → "), browser.text("#route"));
            assertTrue(browser.text("#route").endsWith("ferry " + Main.version()), "the page shows what ferry --version"
                    + " prints: " + browser.text("#route"));
            assertTrue(browser.text("#rowsBody").contains(db + ".orders"));
            assertEquals(2, browser.evaluate("document.querySelectorAll('#rowsBody .bar > span').length").getAsInt());
            long shownRows = Long.parseLong(browser.text("#rows").replaceAll("\\D", ""));
            assertTrue(shownRows >= 1000 && shownRows < 20_200, "rows shown mid-copy: " + shownRows);
            browser.screenshot(SCREENSHOTS.resolve("1-copy-paused.png"));

            // Another web page the same person has open tries to drive the run: a form post and a text/plain fetch,
            // neither of which needs a CORS preflight. Both are refused; the run is untouched.
            try (var elsewhere = new CrossOriginPage(port)) {
                browser.open(elsewhere.url());
                browser.awaitTrue("document.body && document.body.textContent.includes('from another web page refused')",
                        "the refusal of the form post");
                assertTrue(status().get("MigrationThrottled").getAsBoolean(), "another page resumed the copy");
                assertFalse(status().get("AutomaticCutover").getAsBoolean(), "another page allowed the cutover");
                assertEquals(1, elsewhere.fetchesSent(), "the page's fetch ran");
            }
            browser.open("http://127.0.0.1:" + port + "/");
            browser.awaitTrue("document.querySelector('#phase').textContent === 'copying'", "the page again");

            // A person clicks "Resume copy": the run goes on and the page follows by itself.
            browser.click("button[onclick*='unpause?type=migration']");
            browser.awaitTrue("document.querySelector('#message').textContent.length > 0", "the action's answer");
            assertFalse(status().get("MigrationThrottled").getAsBoolean(), "the button did not resume the copy");
            browser.awaitTrue("document.querySelector('#phase').textContent === 'wait-for-cutover'"
                    + " && document.querySelector('#tables').textContent === '2 / 2'", "the finished copy");
            assertEquals("100%", browser.evaluate(
                    "[...document.querySelectorAll('#rowsBody .bar > em')].map(e => e.textContent).join()").getAsString()
                    .split(",")[0]);
            assertTrue(browser.text("#rows").replace(",", "").contains("20200"), browser.text("#rows"));
            assertEquals("on request", browser.text("#cutover"));
            browser.screenshot(SCREENSHOTS.resolve("2-wait-for-cutover.png"));

            browser.click("button[onclick*='cutover?type=automatic']");
            assertEquals(0, run.get(60, TimeUnit.SECONDS), "the cutover button did not complete the run");
        }
        pair.assertIdentical(db, "orders");
        pair.assertIdentical(db, "customers");
        byte[] png = Files.readAllBytes(SCREENSHOTS.resolve("2-wait-for-cutover.png"));
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a screenshot");
    }

    @Test
    void aCustomScriptRunsFromItsButtonAndThePageShowsItsOutputAndExitStatus() throws Exception {
        String db = pair.newDatabase("page_scripts");
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY)", "INSERT INTO `" + db + "`.t VALUES (1), (2)");
        CompletableFuture<Integer> run = start(db, ", \"CustomScripts\": {\"Greet\": [\"/bin/sh\", \"-c\","
                + " \"echo from the page: $1; exit 2\", \"sh\", \"hello\"]}");
        try (var browser = HeadlessChromium.launch(1280, 900)) {
            browser.open("http://127.0.0.1:" + port + "/");
            browser.awaitTrue("getComputedStyle(document.querySelector('#scripts')).display !== 'none'"
                    + " && document.querySelector('#scriptsBody').textContent.includes('Greet')", "the scripts section");
            assertTrue(browser.text("#scriptsBody").contains("not run"), browser.text("#scriptsBody"));
            browser.click("#scriptsBody button");
            browser.awaitTrue("document.querySelector('#scriptsBody').textContent.includes('from the page: hello')"
                    + " && document.querySelector('#scriptsBody').textContent.includes('failed')", "the script's output");
            assertEquals("2", browser.evaluate("document.querySelector('#scriptsBody td.num').textContent").getAsString());
            browser.screenshot(SCREENSHOTS.resolve("3-custom-script.png"));
        }
        send("/api/actions/cutover?type=automatic");
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        pair.assertIdentical(db, "t");
    }

    private CompletableFuture<Integer> start(String db) throws Exception {
        return start(db, "");
    }

    /** Starts {@code ferry copydb} in this JVM; {@code controlServerExtra} is spliced into ControlServerConfig. */
    private CompletableFuture<Integer> start(String db, String controlServerExtra) throws Exception {
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ServerEndpoint s = pair.source().endpoint();
        ServerEndpoint t = pair.target().endpoint();
        Path config = dir.resolve("copydb.json");
        Files.writeString(config, """
                {"Source": {"Host": "%s", "Port": %d, "User": "%s", "Pass": "%s"},
                 "Target": {"Host": "%s", "Port": %d, "User": "%s", "Pass": "%s"},
                 "Databases": {"Whitelist": ["%s"]}, "AutomaticCutover": false, "DataIterationBatchSize": 25,
                 "ControlServerConfig": {"Enabled": true, "ServerBindAddr": "127.0.0.1:%d"%s}}
                """.formatted(s.host(), s.port(), s.user(), s.password(), t.host(), t.port(), t.user(), t.password(),
                db, port, controlServerExtra));
        var sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // Its own thread: with two cores the common pool has one worker, which java.net.http's WebSocket also needs.
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"copydb", config.toString()}, sink, sink),
                runner -> Thread.ofPlatform().name("ferry-copydb").daemon().start(runner));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before the control server answered: exit " + run.get());
            }
            try {
                status();
                return run;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the control server did not start on port " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    private JsonObject status() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private void send(String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /**
     * A page on another origin (another port of this host) that posts to the control server on load: a
     * {@code text/plain} fetch allowing the cutover, then (a second later, once the test saw it load) a form post
     * resuming the copy, which the browser follows to the control server's answer.
     */
    private static final class CrossOriginPage implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();

        CrossOriginPage(int ferryPort) throws Exception {
            String ferry = "http://127.0.0.1:" + ferryPort;
            String html = """
                    <!doctype html><html><body>
                    <form id="f" method="POST" action="%s/api/actions/unpause?type=migration"></form>
                    <script>
                    fetch("%s/api/cutover?type=automatic", {method: "POST", mode: "no-cors",
                        headers: {"Content-Type": "text/plain"}, body: "{}"})
                      .finally(() => fetch("/sent"))
                      .then(() => setTimeout(() => document.getElementById("f").submit(), 1000));
                    </script></body></html>""".formatted(ferry, ferry);
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestURI().getPath().equals("/sent") ? new byte[0]
                        : html.getBytes(StandardCharsets.UTF_8);
                if (body.length == 0) {
                    fetches.incrementAndGet();
                }
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        int fetchesSent() {
            return fetches.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

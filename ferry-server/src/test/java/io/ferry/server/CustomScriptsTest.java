package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.core.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ControlServerCustomScripts} and {@code WebBasedir}: real processes and files behind the control server. */
@Timeout(60)
class CustomScriptsTest {
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ControlServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, List<String>> scripts, Path webBasedir) {
        server = ControlServer.start(new FakeControl(),
                new ControlServerSettings("127.0.0.1", 0, Secret.NONE, "1.2.3", scripts, webBasedir));
    }

    /** A script that waits until {@code flag} exists, then prints and exits 0. */
    private List<String> waitingFor(Path flag) {
        return List.of("/bin/sh", "-c", "while [ ! -f \"$0\" ]; do sleep 0.05; done; echo released", flag.toString());
    }

    @Test
    void scriptsAreOffUnlessConfigured() throws Exception {
        start(Map.of(), null);
        var r = post("/api/script", JSON, "{\"script-name\": \"anything\"}");
        assertEquals(404, r.statusCode());
        assertTrue(json(r).get("Error").getAsString().contains("configured: none (set ControlServerConfig.CustomScripts)"),
                r.body());
        assertFalse(json(get("/api/status")).has("CustomScriptStatuses"));
        assertEquals("[]", get("/api/scripts").body());
    }

    @Test
    void aScriptRunsWithItsArgumentsAndShowsItsExitStatusAndOutput() throws Exception {
        start(Map.of("greet", List.of("/bin/sh", "-c", "echo \"$1 $2\"; echo oops >&2; exit 3", "sh", "hello", "world")),
                null);
        JsonObject before = script("greet");
        assertEquals("not run", before.get("Status").getAsString());
        assertTrue(before.get("ExitCode").isJsonNull());

        var form = post("/api/script", FORM, "script=greet"); // the classic page's form post
        assertEquals(303, form.statusCode());
        JsonObject done = finished("greet");
        assertEquals("failed", done.get("Status").getAsString());
        assertEquals(3, done.get("ExitCode").getAsInt());
        String logs = done.get("Logs").getAsString();
        assertTrue(logs.contains("hello world") && logs.contains("oops"), logs);
        assertEquals("[\"/bin/sh\",\"-c\",\"echo \\\"$1 $2\\\"; echo oops >&2; exit 3\",\"sh\",\"hello\",\"world\"]",
                done.get("Command").toString());

        // Ghostferry's status carries the scripts too.
        JsonArray inStatus = json(get("/api/status")).getAsJsonArray("CustomScriptStatuses");
        assertEquals("greet", inStatus.get(0).getAsJsonObject().get("Name").getAsString());
    }

    @Test
    void oneScriptRunsAtATimeAndASecondRequestIsRefused() throws Exception {
        Path flag = dir.resolve("release");
        start(Map.of("slow", waitingFor(flag), "quick", List.of("/bin/true")), null);
        var first = post("/api/script", JSON, "{\"script-name\": \"slow\"}");
        assertEquals(202, first.statusCode(), first.body());
        assertTrue(script("slow").get("Running").getAsBoolean());

        for (String name : List.of("slow", "quick")) {
            var second = post("/api/script", JSON, "{\"script-name\": \"" + name + "\"}");
            assertEquals(409, second.statusCode());
            assertTrue(json(second).get("Error").getAsString().startsWith("custom script \"slow\" is still running"),
                    second.body());
        }
        assertEquals("not run", script("quick").get("Status").getAsString());

        Files.writeString(flag, "");
        JsonObject slow = finished("slow");
        assertEquals("succeeded", slow.get("Status").getAsString());
        assertEquals(0, slow.get("ExitCode").getAsInt());
        assertTrue(slow.get("Logs").getAsString().contains("released"));
        assertEquals(202, post("/api/script", JSON, "{\"script-name\": \"quick\"}").statusCode());
        assertEquals("succeeded", finished("quick").get("Status").getAsString());
    }

    @Test
    void anotherWebPageCannotRunAScript() throws Exception {
        start(Map.of("greet", List.of("/bin/echo", "hi")), null);
        for (var r : List.of(
                send(request("/api/script").header("Origin", "http://evil.example").header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString("script=greet")).build()),
                send(request("/api/script").header("Sec-Fetch-Site", "cross-site").header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"script-name\": \"greet\"}")).build()))) {
            assertEquals(403, r.statusCode());
        }
        Thread.sleep(200);
        assertEquals("not run", script("greet").get("Status").getAsString());
        // The status page's own request is served.
        assertEquals(202, send(request("/api/script").header("Origin", "http://127.0.0.1:" + server.port())
                .header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString("{\"script-name\": \"greet\"}"))
                .build()).statusCode());
    }

    @Test
    void unknownNamesAndProgramsThatCannotStartAreReportedClearly() throws Exception {
        start(Map.of("broken", List.of("no-such-program-for-ferry")), null);
        var unknown = post("/api/script", JSON, "{\"script-name\": \"other\"}");
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("Error").getAsString().contains("configured: broken"), unknown.body());
        assertEquals(400, post("/api/script", JSON, "{}").statusCode());

        var broken = post("/api/script", JSON, "{\"script-name\": \"broken\"}");
        assertEquals(500, broken.statusCode());
        assertTrue(json(broken).get("Error").getAsString().contains("cannot start"), broken.body());
        JsonObject status = script("broken");
        assertEquals("failed", status.get("Status").getAsString());
        assertTrue(status.get("Logs").getAsString().contains("no-such-program-for-ferry"));
    }

    @Test
    void stoppingTheServerEndsARunningScript() throws Exception {
        Path started = dir.resolve("pid");
        start(Map.of("forever", List.of("/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 600", started.toString())), null);
        assertEquals(202, post("/api/script", JSON, "{\"script-name\": \"forever\"}").statusCode());
        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.exists(started) || Files.readString(started).isBlank()) {
            assertTrue(Instant.now().isBefore(deadline), "the script did not start");
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(started).strip());
        server.close();
        server = null;
        var process = ProcessHandle.of(pid);
        assertTrue(process.isEmpty() || process.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS) != null);
    }

    @Test
    void webBasedirServesTheOperatorsPageAndItsStaticFilesOnly() throws Exception {
        Path web = dir.resolve("web");
        Files.createDirectories(web.resolve("webui/static"));
        Files.writeString(web.resolve("webui/index.html"), "<html><body>our page</body></html>");
        Files.writeString(web.resolve("webui/static/app.js"), "fetch('/api/status')");
        Files.writeString(dir.resolve("secret.txt"), "not for the web");
        start(Map.of(), web);
        var page = get("/");
        assertEquals("<html><body>our page</body></html>", page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        var js = get("/static/app.js");
        assertEquals("fetch('/api/status')", js.body());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        for (String escape : List.of("/static/../../secret.txt", "/static/%2e%2e/%2e%2e/secret.txt",
                "/static/..%2f..%2fsecret.txt")) {
            var r = get(escape); // Jetty refuses some of these itself (400), ferry the rest (404)
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, escape + ": " + r.statusCode() + " " + r.body());
            assertFalse(r.body().contains("not for the web"));
        }
        assertEquals(404, get("/static/missing.css").statusCode());
        // Edited while the server runs: the next request shows it.
        Files.writeString(web.resolve("webui/index.html"), "<html><body>edited</body></html>");
        assertEquals("<html><body>edited</body></html>", get("/").body());
    }

    @Test
    void theBuiltInPageHasButtonsForTheScripts() throws Exception {
        start(Map.of("greet", List.of("/bin/echo", "hi")), null);
        String page = get("/").body();
        assertTrue(page.contains("renderScripts(s.CustomScriptStatuses)") && page.contains("\"/api/script\""), page);
    }

    private JsonObject script(String name) throws Exception {
        for (var e : JsonParser.parseString(get("/api/scripts").body()).getAsJsonArray()) {
            if (e.getAsJsonObject().get("Name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no script " + name + " in /api/scripts");
    }

    private JsonObject finished(String name) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            JsonObject s = script(name);
            if (!s.get("Running").getAsBoolean() && !s.get("Status").getAsString().equals("not run")) {
                return s;
            }
            assertTrue(Instant.now().isBefore(deadline), "script " + name + " did not finish: " + s);
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }
}

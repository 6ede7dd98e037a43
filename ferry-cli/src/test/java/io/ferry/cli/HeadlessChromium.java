package io.ferry.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the DevTools protocol (a WebSocket from {@code java.net.http}): open a
 * page, evaluate JavaScript, click an element with real mouse events, save a screenshot. Runs as root with the flags
 * a container needs and a fresh profile; {@link #close()} ends the browser process it started.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, URI pageSocket) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(pageSocket, new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        call("Page.enable", new JsonObject());
        call("Runtime.enable", new JsonObject());
    }

    /** The browser binary: {@code FERRY_CHROMIUM}, else {@code /usr/bin/chromium}. */
    static Path binary() {
        String configured = System.getenv("FERRY_CHROMIUM");
        return Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    }

    static HeadlessChromium launch(int width, int height) throws Exception {
        Path binary = binary();
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " not found: the status page check needs Debian's chromium. Install it with"
                    + " `apt-get install chromium` (bin/test does), or point FERRY_CHROMIUM at a Chromium binary.");
        }
        Path profile = Files.createTempDirectory("ferry-chromium-");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height, "about:blank"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            // Chromium writes the port it picked and the browser's path into the profile.
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("chromium did not open its DevTools port; its output:\n"
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
            var list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            JsonArray targets = JsonParser.parseString(list.body()).getAsJsonArray();
            for (JsonElement t : targets) {
                if ("page".equals(t.getAsJsonObject().get("type").getAsString())) {
                    return new HeadlessChromium(process, profile,
                            URI.create(t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString()));
                }
            }
            throw new AssertionError("chromium shows no page target: " + list.body());
        } catch (Exception | AssertionError e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    /** Sends one DevTools command and returns its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        var message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        var answer = new CompletableFuture<JsonObject>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonObject reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.getAsJsonObject("result");
    }

    /** Opens {@code url} and waits until the document has loaded. */
    void open(String url) throws Exception {
        var params = new JsonObject();
        params.addProperty("url", url);
        call("Page.navigate", params);
        awaitTrue("document.readyState === 'complete' && location.href.startsWith(" + quote(url) + ")", "page load");
    }

    /** The value of a JavaScript expression (promises awaited), as JSON. */
    JsonElement evaluate(String expression) throws Exception {
        var params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + expression + ": " + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    String text(String selector) throws Exception {
        JsonElement v = evaluate("(document.querySelector(" + quote(selector) + ") || {}).textContent");
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }

    /**
     * Waits until a JavaScript condition is true. A page that navigates meanwhile (a form post answered by a new
     * document) loses the context the condition ran in; it is asked again in the new document.
     */
    void awaitTrue(String condition, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonElement v;
            try {
                v = evaluate("!!(" + condition + ")");
            } catch (AssertionError e) {
                if (!navigatedAway(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                v = null;
            }
            if (v != null && v.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed " + what + " (" + condition + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Whether a DevTools call failed only because the page was navigating to another document. */
    private static boolean navigatedAway(AssertionError e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Inspected target navigated or closed") || m.contains("Execution context was destroyed")
                || m.contains("Cannot find context with specified id");
    }

    /** Clicks the centre of the first element matching {@code selector} with mouse events, as a person would. */
    void click(String selector) throws Exception {
        JsonElement box = evaluate("(() => { const e = document.querySelector(" + quote(selector) + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        if (box == null || box.isJsonNull()) {
            throw new AssertionError("nothing to click: " + selector);
        }
        double x = box.getAsJsonObject().get("x").getAsDouble();
        double y = box.getAsJsonObject().get("y").getAsDouble();
        for (String type : new String[] {"mouseMoved", "mousePressed", "mouseReleased"}) {
            var params = new JsonObject();
            params.addProperty("type", type);
            params.addProperty("x", x);
            params.addProperty("y", y);
            if (!type.equals("mouseMoved")) {
                params.addProperty("button", "left");
                params.addProperty("clickCount", 1);
            }
            call("Input.dispatchMouseEvent", params);
        }
    }

    /** Saves a PNG of the whole page to {@code file}. */
    void screenshot(Path file) throws Exception {
        var params = new JsonObject();
        params.addProperty("format", "png");
        params.addProperty("captureBeyondViewport", true);
        String data = call("Page.captureScreenshot", params).get("data").getAsString();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    private static String quote(String s) {
        var p = new com.google.gson.JsonPrimitive(s);
        return p.toString();
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Collects text frames into messages and completes the pending call each reply answers; events are ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (message.has("id")) {
                    var answer = pending.remove(message.get("id").getAsInt());
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}

package io.ferry.copy.internal;

import io.ferry.core.CutoverFailed;
import io.ferry.core.config.HttpCallback;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the {@code CutoverLock}/{@code CutoverUnlock} callbacks the way Ghostferry does: a JSON body
 * {@code {"Payload": "<payload>"}}; any 2xx answer is success. Failed attempts are retried
 * {@code maxAttempts - 1} times, {@code wait} apart.
 */
public final class CutoverCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverCallbacks.class);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int maxAttempts;
    private final Duration wait;

    public CutoverCallbacks(int maxAttempts, Duration wait) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.wait = wait;
    }

    /** Posts {@code callback} (no-op when {@code null}); throws {@link CutoverFailed} after the last failed attempt. */
    public void post(String name, HttpCallback callback) throws InterruptedException {
        if (callback == null) {
            return;
        }
        String body = "{\"Payload\":" + jsonString(callback.payload()) + "}";
        String lastError = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(callback.uri())
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    LOG.info("{} callback to {} answered {}", name, callback.describe(), response.statusCode());
                    return;
                }
                lastError = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastError = e.toString();
            }
            LOG.warn("{} callback to {} failed (attempt {} of {}): {}", name, callback.describe(), attempt, maxAttempts, lastError);
            if (attempt < maxAttempts) {
                Thread.sleep(wait.toMillis());
            }
        }
        throw new CutoverFailed(name + " callback to " + callback.describe() + " failed after " + maxAttempts
                + " attempt(s): " + lastError + ". Check that the endpoint is up, or raise MaxCutoverRetries");
    }

    static String jsonString(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

package io.ferry.copy.internal.cutover;

import io.ferry.core.CutoverFailed;
import io.ferry.core.config.HttpCallback;
import io.ferry.core.db.RetryPolicy;
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

    private final RetryPolicy retries;

    /** Made on first use: an HTTP client costs a TLS context and a selector thread, and most runs post nothing. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @param maxAttempts tries in total ({@code MaxCutoverRetries}, Ghostferry's meaning: 1 = no retry) */
    public CutoverCallbacks(int maxAttempts, Duration wait) {
        this.retries = RetryPolicy.ofAttempts(Math.max(1, maxAttempts)).waiting(RetryPolicy.every(wait))
                .retrying(e -> e instanceof IOException);
    }

    /** Posts {@code callback} (no-op when {@code null}); throws {@link CutoverFailed} after the last failed attempt. */
    public void post(String name, HttpCallback callback) throws InterruptedException {
        if (callback == null) {
            return;
        }
        String body = "{\"Payload\":" + jsonString(callback.payload()) + "}";
        int maxAttempts = retries.attempts();
        try {
            int status = retries.run(() -> {
                HttpResponse<String> response = Http.CLIENT.send(HttpRequest.newBuilder(callback.uri())
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new Refused(response.statusCode());
                }
                return response.statusCode();
            }, (retry, e, wait) -> LOG.warn("{} callback to {} failed (attempt {} of {}): {}", name,
                    callback.describe(), retry, maxAttempts, error(e)));
            LOG.info("{} callback to {} answered {}", name, callback.describe(), status);
        } catch (IOException e) {
            LOG.warn("{} callback to {} failed (attempt {} of {}): {}", name, callback.describe(), maxAttempts,
                    maxAttempts, error(e));
            throw new CutoverFailed(name + " callback to " + callback.describe() + " failed after " + maxAttempts
                    + " attempt(s): " + error(e) + ". Check that the endpoint is up, or raise MaxCutoverRetries");
        }
    }

    private static String error(Exception e) {
        return e instanceof Refused ? e.getMessage() : e.toString();
    }

    /** An answer other than 2xx, retried like a failed connection. */
    private static final class Refused extends IOException {
        Refused(int status) {
            super("HTTP " + status);
        }
    }

    public static String jsonString(String s) {
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

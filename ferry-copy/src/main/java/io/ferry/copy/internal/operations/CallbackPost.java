package io.ferry.copy.internal.operations;

import com.google.gson.JsonObject;
import io.ferry.core.config.HttpCallback;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One POST of Ghostferry's {@code HTTPCallback}: the JSON body {@code {"Payload": "<payload>"}}; 2xx is success. */
final class CallbackPost {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private CallbackPost() {
    }

    /**
     * Posts {@code payload} to {@code callback}'s address.
     *
     * @return the HTTP status
     */
    static int post(HttpCallback callback, String payload, Duration timeout) throws IOException, InterruptedException {
        var body = new JsonObject();
        body.addProperty("Payload", payload);
        return CLIENT.send(HttpRequest.newBuilder(callback.uri()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

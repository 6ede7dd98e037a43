package io.ferry.copy.internal.operations;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.ferry.core.config.HttpCallback;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a fatal error to the error callback once per run, as Ghostferry's error handler does: the callback's
 * {@code Payload} becomes the JSON text {@code {"ErrFrom": ..., "ErrMessage": ..., "StateDump": ...}}. Every known
 * secret (passwords, tokens) is masked in the message. A failed post is logged; the run's error stays the error.
 */
public final class ErrorReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorReporter.class);

    private final HttpCallback callback;
    private final List<String> secrets;
    private final AtomicBoolean reported = new AtomicBoolean();

    /** @param secrets values that must never be sent (empty ones are ignored) */
    public ErrorReporter(HttpCallback callback, List<String> secrets) {
        this.callback = callback;
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    /**
     * Posts the error unless one was posted already.
     *
     * @param from      the part of the run that failed, in Ghostferry's words ({@code data_iterator},
     *                  {@code binlog_writer}, {@code cutover}, {@code user_interrupt}, ...)
     * @param stateDump the serialized run state to resume from, or {@code ""}
     */
    public void report(String from, Throwable error, String stateDump) {
        if (callback == null || !reported.compareAndSet(false, true)) {
            return;
        }
        var data = new JsonObject();
        data.addProperty("ErrFrom", from);
        data.addProperty("ErrMessage", mask(error.getMessage() == null ? error.toString() : error.getMessage()));
        data.addProperty("StateDump", stateDump);
        String payload = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(data);
        try {
            int code = CallbackPost.post(callback, payload, Duration.ofSeconds(30));
            if (code / 100 == 2) {
                LOG.info("error reported to {}", callback.describe());
            } else {
                LOG.warn("reporting the error to {} failed: HTTP {}", callback.describe(), code);
            }
        } catch (IOException e) {
            LOG.warn("reporting the error to {} failed: {}", callback.describe(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String mask(String message) {
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, "******");
        }
        return out;
    }
}

package io.ferry.copy.internal.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonParser;
import io.ferry.core.RunFailed;
import io.ferry.core.config.HttpCallback;
import io.ferry.testing.CallbackServer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {
    @Test
    void postsOnceWithSecretsMasked() throws Exception {
        try (var server = new CallbackServer()) {
            var reporter = new ErrorReporter(new HttpCallback(URI.create(server.url("/error")), "ignored"),
                    List.of("s3cret-pass", ""));
            reporter.report("data_iterator", new RunFailed("login as ferry/s3cret-pass refused"), "");
            reporter.report("cutover", new RunFailed("second failure"), "");
            var requests = server.requests("/error");
            assertEquals(1, requests.size());
            String body = requests.getFirst().body();
            assertFalse(body.contains("s3cret-pass"));
            var error = JsonParser.parseString(JsonParser.parseString(body).getAsJsonObject().get("Payload").getAsString())
                    .getAsJsonObject();
            assertEquals("data_iterator", error.get("ErrFrom").getAsString());
            assertEquals("login as ferry/****** refused", error.get("ErrMessage").getAsString());
            assertEquals("", error.get("StateDump").getAsString());
        }
    }
}

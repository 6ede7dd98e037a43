package io.ferry.copy;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.nio.file.Path;
import java.util.Map;

/** copydb configs for tests, written as the JSON a user would write, so the config path is exercised too. */
final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A config copying {@code databases} of the pair with automatic cutover and small batches; {@code extra} is
     * spliced into the top-level object (e.g. {@code "\"Tables\": {\"Blacklist\": [\"x\"]}"}) and may be empty.
     */
    static CopydbConfig copydb(TestPair pair, String extra, String... databases) {
        return copydb(server(pair.source().endpoint()), server(pair.target().endpoint()), extra, databases);
    }

    /** {@link #copydb(TestPair, String, String...)} reading the source as {@code source} (e.g. another user). */
    static CopydbConfig copydb(TestPair pair, ServerEndpoint source, String extra, String... databases) {
        return copydb(server(source), server(pair.target().endpoint()), extra, databases);
    }

    /** Like {@link #copydb(TestPair, String, String...)} with the Source and Target objects given as JSON. */
    static CopydbConfig copydb(String source, String target, String extra, String... databases) {
        var whitelist = new StringBuilder();
        for (String db : databases) {
            whitelist.append(whitelist.isEmpty() ? "" : ", ").append('"').append(db).append('"');
        }
        var body = new StringBuilder();
        body.append("\"Source\": ").append(source);
        body.append(", \"Target\": ").append(target);
        // Defaults for tests: small batches so tables take several; an entry in extra wins.
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("Databases", "{\"Whitelist\": [" + whitelist + "]}");
        defaults.put("AutomaticCutover", "true");
        defaults.put("DataIterationBatchSize", "50");
        defaults.put("DataIterationConcurrency", "2");
        defaults.put("BinlogEventBatchSize", "20");
        defaults.put("DBReadRetries", "10");
        defaults.forEach((key, value) -> {
            if (!extra.contains("\"" + key + "\"")) {
                body.append(", \"").append(key).append("\": ").append(value);
            }
        });
        if (!extra.isBlank()) {
            body.append(", ").append(extra);
        }
        String json = "{" + body + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }
}

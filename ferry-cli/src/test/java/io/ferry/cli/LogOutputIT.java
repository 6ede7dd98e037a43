package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code LogLevel}, {@code LogBackend} and {@code --verbose} as seen on the stderr of a real {@code ferry copydb}. */
@MySqlPair
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LogOutputIT {
    private final TestPair pair;
    @TempDir
    Path dir;

    LogOutputIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, v VARCHAR(20))");
        pair.source().insertRows("`" + db + "`.t", "id, v", 200, i -> "(" + i + ", 'row " + i + "')");
        return db;
    }

    private Path config(String name, String db, String extra) throws IOException {
        String json = """
                {"Source": %s, "Target": %s, "Databases": {"Whitelist": ["%s"]}, "AutomaticCutover": true,
                 "DataIterationBatchSize": 50, %s}""".formatted(server(pair.source().endpoint()),
                server(pair.target().endpoint()), db, extra);
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    private FerryProcess run(String label, String... args) throws Exception {
        FerryProcess p = FerryProcess.start(dir, label, null, args);
        p.await();
        return p;
    }

    @Test
    void zerologWritesOneJsonObjectPerLineWithoutPasswords() throws Exception {
        String db = seeded("json_log");
        FerryProcess p = run("json", "copydb", config("json.json", db,
                "\"LogBackend\": \"zerolog\", \"LogLevel\": \"debug\"").toString());
        String err = p.err();
        assertEquals(0, p.process().exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() > 5, err);
        boolean debug = false;
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject(); // fails the test for a line that is not JSON
            assertTrue(o.has("level") && o.has("timestamp") && o.has("loggerName") && o.has("formattedMessage"), line);
            debug |= o.get("level").getAsString().equals("DEBUG");
        }
        assertTrue(debug, "LogLevel debug logged no DEBUG line (one per batch)");
        assertTrue(err.contains("step 4 - row copy"), err);
        for (String secret : List.of(pair.source().endpoint().password(), pair.target().endpoint().password())) {
            assertFalse(err.contains(secret) || p.out().contains(secret), "a password is in the output");
        }
        pair.assertIdentical(db, "t");
    }

    @Test
    void aFailureIsTheLastJsonObjectToo() throws Exception {
        Path config = config("bad.json", "no_such_db_for_ferry", "\"LogBackend\": \"json\"");
        FerryProcess p = run("bad", "copydb", config.toString());
        assertEquals(2, p.process().exitValue());
        List<String> lines = p.err().lines().filter(l -> !l.isBlank()).toList();
        JsonObject last = JsonParser.parseString(lines.getLast()).getAsJsonObject();
        assertEquals("ERROR", last.get("level").getAsString());
        assertTrue(last.get("formattedMessage").getAsString().startsWith("ferry copydb: invalid configuration: Databases/Tables select no"
                        + " table"),
                last.toString());
    }

    @Test
    void logLevelWarnHidesTheStepsAndVerboseBringsBackDebug() throws Exception {
        String db = seeded("warn_log");
        FerryProcess quiet = run("quiet", "copydb", config("warn.json", db, "\"LogLevel\": \"warn\"").toString());
        assertEquals(0, quiet.process().exitValue(), quiet.err());
        assertFalse(quiet.err().contains("step 1 - preflight"), quiet.err());

        String again = seeded("verbose_log");
        FerryProcess loud = run("loud", "copydb", "--verbose", config("verbose.json", again, "\"LogLevel\": \"warn\"")
                .toString());
        assertEquals(0, loud.process().exitValue(), loud.err());
        assertTrue(loud.err().contains(" DEBUG ") && loud.err().contains("step 1 - preflight"), loud.err());
        // Every line is "HH:mm:ss.SSS LEVEL logger - message", and the libraries say nothing below a warning.
        for (String line : loud.err().lines().toList()) {
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\w+ - .*"), line);
            assertFalse(line.matches(".{19}(Hikari\\w*|BinaryLogClient|Javalin) - .*"), line);
        }
    }
}

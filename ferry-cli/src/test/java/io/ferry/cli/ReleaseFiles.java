package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** What the *DistIT tests share: where the dist build put the release, a tar reader, and child processes. */
final class ReleaseFiles {
    private ReleaseFiles() {
    }

    static String version() {
        return System.getProperty("ferry.version", "");
    }

    /** A file the dist build wrote into target/dist; fails with the fix when it is missing. */
    static Path artifact(String name) {
        String dir = System.getProperty("ferry.dist");
        Path p = dir == null ? null : Path.of(dir, name);
        if (p == null || !Files.isRegularFile(p)) {
            throw new AssertionError("the release " + name + " is missing; the *DistIT tests run in the dist profile,"
                    + " after it is built: ./mvnw -Pdist verify -pl ferry-cli -am (bin/test does this)");
        }
        return p;
    }

    /** One tar entry: its name (PAX long names resolved), type flag, mode and content. */
    record Entry(String name, char type, int mode, byte[] content, String link) {
        boolean isExecutableFile() {
            return type == '0' && (mode & 0111) != 0;
        }
    }

    /** Every entry of a tar stream (gzipped when {@code gzip}), in order. */
    static Map<String, Entry> readTar(InputStream raw, boolean gzip) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            String longName = null;
            while (true) {
                byte[] h = in.readNBytes(512);
                if (h.length < 512 || h[0] == 0) {
                    return entries;
                }
                String name = field(h, 0, 100);
                String prefix = field(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                int mode = Integer.parseInt(field(h, 100, 8).strip(), 8);
                long size = Long.parseLong(field(h, 124, 12).strip(), 8);
                char type = (char) h[156];
                byte[] content = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'x') {
                    for (String record : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        int eq = record.indexOf(" path=");
                        if (eq >= 0) {
                            longName = record.substring(eq + " path=".length());
                        }
                    }
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                entries.put(name.endsWith("/") ? name.substring(0, name.length() - 1) : name,
                        new Entry(name, type, mode, content, field(h, 157, 100)));
            }
        }
    }

    static Map<String, Entry> readTar(byte[] bytes, boolean gzip) throws IOException {
        return readTar(new ByteArrayInputStream(bytes), gzip);
    }

    private static String field(byte[] h, int at, int length) {
        int end = at;
        while (end < at + length && h[end] != 0) {
            end++;
        }
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    /** A finished child process. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@code command} with exactly {@code env} as its environment (no JAVA_HOME, no JDK on PATH). */
    static Run run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "run", ".out");
        Path err = Files.createTempFile(dir, "run", ".err");
        var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 3 minutes; stderr: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * A source database with a table of mixed types and {@code rows} rows, ready to copy; returns its name.
     */
    static String sourceDatabase(TestPair pair, String hint, int rows) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.orders (id BIGINT UNSIGNED PRIMARY KEY, customer VARCHAR(40),"
                + " amount DECIMAL(12,2), placed DATETIME(3), note TEXT)");
        pair.source().insertRows("`" + db + "`.orders", "id, customer, amount, placed, note", rows,
                i -> "(" + (i + 1) + ", 'customer " + i % 97 + "', " + i + ".25, '2026-03-01 10:00:00.125' + INTERVAL "
                        + i + " MINUTE, " + (i % 5 == 0 ? "NULL" : "'note ñ " + i + "'") + ")");
        return db;
    }

    /** A copydb config with the passwords in files ({@code PassFromFile}), as a deployment has them. */
    static String config(TestPair pair, String db, String sourcePassFile, String targetPassFile) {
        ServerEndpoint s = pair.source().endpoint();
        ServerEndpoint t = pair.target().endpoint();
        return """
                {"Source": {"Host": "%s", "Port": %d, "User": "%s", "PassFromFile": "%s"},
                 "Target": {"Host": "%s", "Port": %d, "User": "%s", "PassFromFile": "%s"},
                 "Databases": {"Whitelist": ["%s"]}, "AutomaticCutover": true}
                """.formatted(s.host(), s.port(), s.user(), sourcePassFile, t.host(), t.port(), t.user(),
                targetPassFile, db);
    }

    static void writePasswords(TestPair pair, Path source, Path target) throws IOException {
        Files.writeString(source, pair.source().endpoint().password() + "\n");
        Files.writeString(target, pair.target().endpoint().password() + "\n");
    }

    static void assertVersionLine(String out) {
        assertTrue(out.matches("ferry " + java.util.regex.Pattern.quote(version())
                + " \\(commit [0-9a-f]{12}(-dirty)?, JDK \\d+[^)]*\\)\\R"), out);
    }
}

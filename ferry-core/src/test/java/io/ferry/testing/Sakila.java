package io.ferry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sakila sample database (the project's {@code shared/datasets/sakila}, BSD licence): foreign keys in a cycle
 * ({@code store} and {@code staff}), cascading keys, triggers, views, routines, GEOMETRY, ENUM/SET, BLOB, a MyISAM
 * table with a FULLTEXT index. {@link #load} runs its own scripts, renamed to the test's database.
 */
public final class Sakila {
    /** Its base tables. */
    public static final List<String> TABLES = List.of("actor", "address", "category", "city", "country", "customer",
            "film", "film_actor", "film_category", "film_text", "inventory", "language", "payment", "rental", "staff",
            "store");

    private Sakila() {
    }

    /** Creates Sakila's schema and data in {@code database} on {@code server}, which must not exist yet. */
    public static void load(TestServer server, String database) {
        Path dir = datasetDirectory();
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            for (String file : List.of("sakila-schema.sql", "sakila-data.sql")) {
                String script = Files.readString(dir.resolve(file), StandardCharsets.UTF_8)
                        .replaceAll("\\bsakila\\b", "`" + database + "`");
                for (String statement : statements(script)) {
                    st.execute(statement);
                }
            }
            st.execute("COMMIT");
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("loading Sakila into " + database + " on " + server + " failed: " + e, e);
        }
    }

    /** {@code shared/datasets/sakila} beside the repository (or $FERRY_SAKILA_DIR); a clear failure without it. */
    static Path datasetDirectory() {
        String configured = System.getenv("FERRY_SAKILA_DIR");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/datasets/sakila");
            if (Files.isRegularFile(candidate.resolve("sakila-schema.sql"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("the Sakila dataset was not found: expected shared/datasets/sakila beside the"
                + " repository (or set FERRY_SAKILA_DIR to the folder holding sakila-schema.sql and sakila-data.sql)");
    }

    /**
     * The statements of a mysql-client script: {@code --} comment lines dropped, {@code DELIMITER} honoured, quotes
     * respected; {@code /*!NNNNN ... *}{@code /} version comments are left for the server to read.
     */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        String delimiter = ";";
        var current = new StringBuilder();
        char quote = 0; // the open quote at the end of current, carried from line to line
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (current.isEmpty() && trimmed.toUpperCase(java.util.Locale.ROOT).startsWith("DELIMITER ")) {
                delimiter = trimmed.substring("DELIMITER ".length()).strip();
                continue;
            }
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quote != 0) {
                    if (ch == '\\' && quote != '`' && i + 1 < line.length()) {
                        current.append(ch);
                        ch = line.charAt(++i);
                    } else if (ch == quote) {
                        quote = 0;
                    }
                } else if (ch == '\'' || ch == '"' || ch == '`') {
                    quote = ch;
                } else if (line.startsWith(delimiter, i)) {
                    out.add(current.toString().strip());
                    current.setLength(0);
                    i += delimiter.length() - 1;
                    continue;
                }
                current.append(ch);
            }
            if (!current.isEmpty()) {
                current.append('\n');
            }
            if (current.length() < 80 && current.toString().isBlank()) {
                current.setLength(0); // what followed the last delimiter on the line
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        out.removeIf(String::isBlank);
        return out;
    }
}

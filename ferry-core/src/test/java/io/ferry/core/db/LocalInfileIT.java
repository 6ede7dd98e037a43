package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOAD DATA LOCAL INFILE fed from memory, and a server's request for any other local file refused. */
@MySqlPair
class LocalInfileIT {
    private final TestPair pair;

    LocalInfileIT(TestPair pair) {
        this.pair = pair;
    }

    private boolean targetAllowsLocalInfile() {
        return Long.valueOf(1).equals(((Number) pair.target().scalar("SELECT @@GLOBAL.local_infile")).longValue());
    }

    @Test
    void loadsFromMemoryAndNeverSendsAFileTheServerNames(@TempDir Path dir) throws Exception {
        String db = pair.newDatabase("infile");
        String t = "`" + db + "`.t";
        pair.target().exec("CREATE DATABASE `" + db + "`", "CREATE TABLE " + t + " (id INT PRIMARY KEY, s VARCHAR(20))");
        Path secret = dir.resolve("secret.tsv");
        Files.writeString(secret, "77\tsecret\n");
        byte[] data = "1\ta\\tb\n2\t\\N\n".getBytes(StandardCharsets.US_ASCII);
        String load = "LOAD DATA LOCAL INFILE 'ferry-batch' INTO TABLE " + t + " CHARACTER SET binary (id, s)";
        try (var pool = DataSources.open("infile-test", pair.target().ferryConfig(), 2, Map.of(), true);
             Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            if (!targetAllowsLocalInfile()) {
                // The reason ferry reads local_infile before it loads (MySQL 8.0 ships with it off).
                assertThrows(SQLException.class, () -> LocalInfile.load(st, load, data, data.length));
                return;
            }
            assertEquals(2, LocalInfile.load(st, load, data, data.length));
            // A server asking for a file (here: a statement naming one) gets an error, never the file's bytes.
            String named = "LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE " + t + " (id, s)";
            var refused = assertThrows(SQLException.class, () -> st.executeUpdate(named));
            assertTrue(String.valueOf(refused.getMessage()).contains("LOAD DATA LOCAL INFILE")
                    || refused.getCause() != null, String.valueOf(refused));
        }
        try (var pool = DataSources.open("infile-test", pair.target().ferryConfig(), 2, Map.of(), true);
             Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            String named = "LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE " + t + " (id, s)";
            assertThrows(SQLException.class, () -> st.executeUpdate(named), "a fresh session refuses files too");
        }
        assertEquals(List.of(Arrays.asList(1, "a\tb"), Arrays.asList(2, null)).toString(),
                pair.target().query("SELECT id, s FROM " + t + " ORDER BY id").toString(), "nothing of the file arrived");
    }
}

package io.ferry.copy.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.db.ServerInfo;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Preflight reads the binlog settings of the engine at hand, under the names that engine has. */
@MySqlPair
class BinlogSettingsIT {
    private final TestPair pair;

    BinlogSettingsIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void theTestSourcesSettingsAreReadAndPass() throws Exception {
        try (Connection c = pair.source().connect()) {
            BinlogSettings settings = BinlogSettings.read(c);
            assertEquals("ROW", settings.values().get("binlog_format"));
            assertEquals("FULL", settings.values().get("binlog_row_image"));
            String engineOwn = ServerInfo.of(c).isMariaDb() ? "log_bin_compress" : "binlog_row_value_options";
            assertTrue(settings.values().containsKey(engineOwn), engineOwn + " was not read: " + settings.values());
            assertEquals(List.of(), settings.problems(false));
        }
    }
}

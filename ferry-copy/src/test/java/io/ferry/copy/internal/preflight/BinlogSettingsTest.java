package io.ferry.copy.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which global binlog settings preflight refuses, with the fix; the settings no shared test server may flip. */
class BinlogSettingsTest {
    private static final Map<String, String> MYSQL_DEFAULTS = Map.of("log_bin", "ON", "binlog_format", "ROW",
            "binlog_row_image", "FULL", "binlog_row_value_options", "");
    private static final Map<String, String> MARIADB_DEFAULTS = Map.of("log_bin", "ON", "binlog_format", "ROW",
            "binlog_row_image", "FULL", "log_bin_compress", "OFF");

    private static List<String> problems(Map<String, String> defaults, String name, String value) {
        Map<String, String> values = new HashMap<>(defaults);
        values.put(name, value);
        return new BinlogSettings(values).problems(false);
    }

    @Test
    void theDefaultsOfBothEnginesWithRowFormatPass() {
        assertEquals(List.of(), new BinlogSettings(MYSQL_DEFAULTS).problems(false));
        assertEquals(List.of(), new BinlogSettings(MARIADB_DEFAULTS).problems(false));
    }

    @Test
    void partialJsonUpdatesAreRefusedWithTheStatementThatTurnsThemOff() {
        List<String> p = problems(MYSQL_DEFAULTS, "binlog_row_value_options", "PARTIAL_JSON");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.getFirst().contains("binlog_row_value_options is PARTIAL_JSON")
                && p.getFirst().contains("SET GLOBAL binlog_row_value_options=''"), p.getFirst());
    }

    @Test
    void mariaDbCompressedEventsAreRefusedWithTheStatementThatTurnsThemOff() {
        List<String> p = problems(MARIADB_DEFAULTS, "log_bin_compress", "ON");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.getFirst().contains("SET GLOBAL log_bin_compress=OFF"), p.getFirst());
    }

    @Test
    void everyProblemIsReportedAtOnceAndTheRowImageCheckCanBeSkipped() {
        var settings = new BinlogSettings(Map.of("log_bin", "OFF", "binlog_format", "MIXED", "binlog_row_image",
                "MINIMAL", "binlog_row_value_options", "PARTIAL_JSON"));
        assertEquals(4, settings.problems(false).size(), settings.problems(false).toString());
        assertEquals(3, settings.problems(true).size());
    }
}

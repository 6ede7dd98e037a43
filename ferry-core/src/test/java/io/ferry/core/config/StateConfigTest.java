package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateConfigTest {
    @TempDir
    Path dir;

    private CopydbConfig parse(String extra) {
        String json = ("{'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}").replace('\'', '"');
        return ConfigLoader.parse(json, Map.of(), dir);
    }

    private List<String> problems(String extra) {
        return assertThrows(ConfigException.class, () -> parse(extra)).problems();
    }

    @Test
    void noStateKeysMeanNoStateKept() {
        StateConfig s = parse("").state();
        assertFalse(s.savesOnStop());
        assertNull(s.stateFilename());
        assertTrue(s.includeSchemaCache());
        assertEquals(Defaults.STATE_REPORT_FREQUENCY, s.reportFrequency());
    }

    @Test
    void everyStateKeyIsRead() {
        StateConfig s = parse("""
                'DumpStateOnSignal': true, 'DumpStateToStdoutOnError': true, 'DoNotIncludeSchemaCacheInStateDump': true,
                'StateFilename': 'run/state.json', 'ResumeStateFromDB': '_ferry-state', 'ForceResumeStateUpdatesToDB': true,
                'StateCallback': {'URI': 'http://127.0.0.1:9/state', 'Payload': 'p'}, 'StateReportFrequency': 250""").state();
        assertTrue(s.dumpStateOnSignal());
        assertTrue(s.dumpStateToStdoutOnError());
        assertFalse(s.includeSchemaCache());
        assertEquals(dir.resolve("run/state.json"), s.stateFilename(), "relative to the config's directory");
        assertEquals("_ferry-state", s.resumeStateFromDb());
        assertTrue(s.forceResumeStateUpdatesToDb());
        assertEquals("http://127.0.0.1:9/state", s.stateCallback().uri().toString());
        assertEquals(Duration.ofMillis(250), s.reportFrequency());
        assertTrue(s.savesOnStop());
    }

    @Test
    void badStateValuesAreReportedWithTheirFix() {
        assertEquals(List.of("ResumeStateFromDB = \"a b\": must be a database name of letters, digits, _ and -; choose another name"),
                problems("'ResumeStateFromDB': 'a b'"));
        assertEquals(List.of("ForceResumeStateUpdatesToDB = true: needs ResumeStateFromDB; name the target database for"
                + " ferry's state tables, or remove it"), problems("'ForceResumeStateUpdatesToDB': true"));
        assertEquals(List.of("StateToResumeFrom: resume state has no FerryStateVersion (GhostferryVersion 1.1.0); ferry resumes"
                        + " only from states it wrote itself (format version 1): start the copy again from scratch"),
                problems("'StateToResumeFrom': {'GhostferryVersion': '1.1.0'}"));
    }
}

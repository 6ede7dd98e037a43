package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.CutoverFailed;
import io.ferry.core.DataMismatch;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without servers: help, version, usage errors and config errors, with their exit codes. */
class MainTest {
    private static final String PASSWORD = "cli-unit-secret-77";

    /** What one command line printed and returned. */
    record Result(int exit, String out, String err) {
        void assertNoPassword(String password) {
            assertFalse(out.contains(password), "stdout shows the password:\n" + out);
            assertFalse(err.contains(password), "stderr shows the password:\n" + err);
        }
    }

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndSucceeds() {
        for (String flag : new String[] {"--help", "-h", "help"}) {
            Result r = run(flag);
            assertEquals(0, r.exit(), flag);
            assertTrue(r.out().contains("Usage: ferry COMMAND"), r.out());
            assertTrue(r.out().contains("copydb") && r.out().contains("version"), r.out());
            assertEquals("", r.err(), flag);
        }
    }

    @Test
    void noArgumentsPrintsTheUsageAndIsAUsageError() {
        Result r = run();
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("Usage: ferry COMMAND"), r.out());
    }

    @Test
    void anUnknownCommandIsAUsageErrorOnStderr() {
        Result r = run("copy-db", "x.json");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("unknown command 'copy-db'") && r.err().contains("ferry --help"), r.err());
    }

    @Test
    void versionPrintsTheBuildVersionCommitAndJdk() {
        for (String command : new String[] {"version", "--version"}) {
            Result r = run(command);
            assertEquals(0, r.exit());
            assertTrue(r.out().matches("ferry \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{12}(-dirty)?, JDK "
                    + Pattern.quote(Runtime.version().toString()) + ".*\\)\\R"), r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void copydbHelpAndUsageErrors() {
        Result help = run("copydb", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Usage: ferry copydb") && help.out().contains("--dry-run"), help.out());

        Result none = run("copydb");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("expected exactly one CONFIG.json"), none.err());

        Result two = run("copydb", "a.json", "b.json");
        assertEquals(2, two.exit());
        assertTrue(two.err().contains("expected exactly one CONFIG.json"), two.err());

        Result option = run("copydb", "--fast", "a.json");
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("unknown option --fast"), option.err());
    }

    @Test
    void aMissingConfigFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        Result r = run("copydb", missing.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("cannot read config file") && r.err().contains(missing.toAbsolutePath().toString()),
                r.err());
    }

    @Test
    void everyConfigProblemIsListedInOneMessage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("copydb.json");
        Files.writeString(file, """
                {
                  "Source": {"Host": "db1", "Port": "3306", "User": "ferry", "Pass": "%s", "Colour": "blue"},
                  "Target": {"Host": "db2", "Port": 3306, "User": "ferry", "Pass": "%s"},
                  "Databases": {"Whitelist": "shop"},
                  "AutomaticCutover": "yes",
                  "DataIterationBatchSise": 100
                }""".formatted(PASSWORD, PASSWORD));
        Result r = run("copydb", file.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        String err = r.err();
        assertTrue(err.startsWith("ferry copydb: invalid configuration (5 problems):"), err);
        for (String problem : new String[] {"Source.Port", "Source.Colour: unknown key", "Databases.Whitelist",
                "AutomaticCutover", "DataIterationBatchSise: unknown key; did you mean DataIterationBatchSize?"}) {
            assertTrue(err.contains(problem), problem + " is not reported:\n" + err);
        }
        r.assertNoPassword(PASSWORD);
    }

    @Test
    void aPasswordOfTheWrongTypeIsNotEchoed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("copydb.json");
        Files.writeString(file, """
                {"Source": {"Host": "db1", "User": "ferry", "Pass": 987654321},
                 "Target": {"Host": "db2", "User": "ferry", "Pass": ["%s"]}}""".formatted(PASSWORD));
        Result r = run("copydb", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Source.Pass") && r.err().contains("Target.Pass"), r.err());
        r.assertNoPassword("987654321");
        r.assertNoPassword(PASSWORD);
    }

    @Test
    void malformedJsonIsAConfigError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("copydb.json");
        Files.writeString(file, "{\"Source\": {\"Host\": \"db1\",}\n");
        Result r = run("copydb", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("JSON syntax error at line"), r.err());
    }

    @Test
    void eachFailureKindHasItsExitCode() {
        assertEquals(2, Main.exitCode(new ConfigException("x")));
        assertEquals(3, Main.exitCode(new PreconditionFailed("x")));
        assertEquals(4, Main.exitCode(new DataMismatch("x")));
        assertEquals(1, Main.exitCode(new CutoverFailed("x")));
        assertEquals(1, Main.exitCode(new RunFailed("x")));
    }
}

package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs written as Ghostferry users write them load with Ghostferry's meaning: equivalents of its copydb example
 * configs (and the fork's), one using every key ferry implements, and the cases of upstream's {@code config_test.go}:
 * what Ghostferry accepts ferry accepts and means the same by, what it rejects ferry rejects with a message. Where
 * ferry differs on purpose, the case says so.
 */
class GhostferryConfigCompatibilityTest {
    @TempDir
    Path dir;

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("ghostferry/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private CopydbConfig load(String json) {
        return ConfigLoader.parse(json, Map.of(), dir);
    }

    private List<String> problems(String json) {
        return assertThrows(ConfigException.class, () -> load(json)).problems();
    }

    private Path executable(String name) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\necho " + name + "\n");
        assertTrue(p.toFile().setExecutable(true));
        return p;
    }

    // --- example configs --------------------------------------------------------------------------------------

    @Test
    void copydbsExampleConfigLoadsWithItsMeaning() throws IOException {
        executable("flush-caches");
        executable("report");
        CopydbConfig c = load(resource("copydb-example.json").replace("SCRIPTS", dir.toString()));

        for (DatabaseConfig server : List.of(c.source(), c.target())) {
            assertEquals("utf8mb4_unicode_ci", server.collation());
            assertEquals(List.of("utf8mb4"), server.driver().charsets(), "charset is the connection character set");
            assertEquals(Map.of(), server.params(), "charset is not a session variable");
            assertEquals(3306, server.port());
        }
        assertEquals(List.of("shop"), c.databases().whitelist());
        assertEquals(List.of("schema_migrations"), c.tables().blacklist());
        assertEquals(Map.of(new TableId("shop", "orders"), "index_orders_on_customer_id"), c.verification().forcedIndexes());
        assertTrue(c.state().dumpStateOnSignal());
        assertTrue(c.state().dumpStateToStdoutOnError());
        assertEquals(VerificationConfig.Type.CHECKSUM_TABLE, c.verification().type());
        assertEquals(Map.of("Flush caches", List.of(dir + "/flush-caches"), "Report", List.of(dir + "/report", "--quiet")),
                c.controlServer().customScripts());
        // Ghostferry's copydb always runs its control server on 0.0.0.0:8000; ferry's is opt-in and on loopback.
        assertFalse(c.controlServer().enabled());
        assertEquals("127.0.0.1", c.controlServer().host());
        assertFalse(c.automaticCutover(), "copydb waits for the operator by default");
    }

    @Test
    void theOldExamplesControlServerKeyIsReportedInsteadOfIgnored() {
        // An older copydb example had "ControlServer", which Go silently ignored; ferry names the key meant.
        assertEquals(List.of("ControlServer: unknown key; did you mean ControlServerConfig?"), problems("""
                {"Source": {"Host": "s"}, "Target": {"Host": "t"}, "ControlServer": {"ServerBindAddr": ":8000"}}"""));
    }

    @Test
    void theForksStateInTargetDatabaseExampleLoads() throws IOException {
        CopydbConfig c = load(resource("state-in-target-db.json"));
        assertEquals("_ghostferry", c.state().resumeStateFromDb());
        assertTrue(c.state().forceResumeStateUpdatesToDb());
        assertTrue(c.schemaChanges().replicate());
        assertEquals(Map.of("foreign_key_checks", "0"), c.target().params(),
                "a session variable, as ferry's target writes have it anyway");
        assertEquals(VerificationConfig.Type.NO_VERIFICATION, c.verification().type());
    }

    @Test
    void theForksCloudSqlExampleLoads() throws IOException {
        CopydbConfig c = load(resource("cloud-sql.json"));
        assertTrue(c.allowReplicationFromReplica());
        assertEquals(LockStrategy.LOCK_IN_GHOSTFERRY, c.lockStrategy());
        assertEquals("id", c.paginationColumns().fallbackColumn());
        assertEquals(Map.of("inventory", List.of("audit_log")), c.paginationColumns().fullTableCopies());
        assertTrue(c.iterateInDescendingOrder());
        assertTrue(c.disableCutover());
        assertTrue(c.describe().contains("no cutover (DisableCutover)"), c.describe());
    }

    @Test
    void aConfigWithEveryKeyFerryImplementsLoadsWithEachMeaning() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        CopydbConfig c = load(resource("every-option.json").replace("CA_FILE", ca.toString()));
        DatabaseConfig s = c.source();
        assertEquals(3306, s.port(), "copydb's default port");
        assertEquals(List.of("utf8mb4", "utf8"), s.driver().charsets());
        assertEquals(Duration.ofSeconds(5), s.driver().connectTimeout());
        assertEquals(Duration.ofSeconds(45), s.readTimeout());
        assertEquals(0L, s.driver().maxAllowedPacket());
        assertEquals(Map.of("lock_wait_timeout", "30"), s.params());
        assertEquals(new TlsConfig(ca.toString(), "source.db.internal"), s.tls());
        assertEquals(DriverOptions.Tls.VERIFY_IDENTITY, c.target().driver().tls());
        assertEquals(Map.of("crm", "crm_v2"), c.databases().rewrites());
        assertEquals(500, c.dataIterationBatchSize());
        assertEquals(8, c.dataIterationConcurrency());
        assertEquals(3, c.maxCutoverRetries());
        assertEquals(Duration.ofSeconds(2), c.cutoverRetryWait());
        assertTrue(c.controlServer().enabled());
        assertEquals("127.0.0.1:8123", c.controlServer().bindAddress());
        assertNull(c.controlServer().webBasedir(), "WebBasedir \".\" (Ghostferry's default) is the built-in page");
        assertEquals(Map.of("Ping", List.of("echo", "pong")), c.controlServer().customScripts());
        assertEquals(Duration.ofSeconds(1), c.operations().progressReportFrequency());
        assertEquals(Duration.ofSeconds(30), c.verification().inline().maxExpectedDowntime());
        assertEquals(new PreflightOptions(true, true), c.preflightOptions());
        assertFalse(c.disableCutover());
        assertEquals(new LoggingConfig(LoggingConfig.Level.DEBUG, LoggingConfig.Backend.JSON), c.logging());
        assertFalse(c.state().includeSchemaCache());
        assertFalse(c.describe().contains("Pass"), c.describe());
    }

    @Test
    void logSettingsAlsoComeFromGhostferrysEnvironmentVariables() {
        String minimal = "{\"Source\": {\"Host\": \"s\"}, \"Target\": {\"Host\": \"t\"}}";
        var env = Map.of("GHOSTFERRY_LOG_LEVEL", "warning", "GHOSTFERRY_LOG_BACKEND", "zerolog");
        assertEquals(new LoggingConfig(LoggingConfig.Level.WARN, LoggingConfig.Backend.JSON),
                ConfigLoader.parse(minimal, env, dir).logging());
        assertEquals(LoggingConfig.Level.ERROR, ConfigLoader.parse(
                "{\"Source\": {\"Host\": \"s\"}, \"Target\": {\"Host\": \"t\"}, \"LogLevel\": \"panic\"}", env, dir)
                .logging().level(), "the config wins; fatal and panic log errors only");
        assertEquals(List.of("LogLevel = \"loud\": must be trace, debug, info, warn (warning), error, fatal or panic",
                        "LogBackend = \"syslog\": must be logrus or text (lines of text), or zerolog or json (one JSON"
                                + " object per line)"),
                problems("{\"Source\": {\"Host\": \"s\"}, \"Target\": {\"Host\": \"t\"}, \"LogLevel\": \"loud\","
                        + " \"LogBackend\": \"syslog\"}"));
    }

    @Test
    void enablePprofIsRefusedWithThePointerToTheJdksProfiling() {
        String off = "{\"Source\": {\"Host\": \"s\"}, \"Target\": {\"Host\": \"t\"}, \"EnablePProf\": false}";
        load(off);
        List<String> on = problems(off.replace("false", "true"));
        assertEquals(1, on.size());
        assertTrue(on.getFirst().startsWith("EnablePProf = true: Go's pprof profiler does not exist in ferry")
                && on.getFirst().contains("jcmd <pid> JFR.start"), on.getFirst());
    }

    // --- upstream config_test.go -------------------------------------------------------------------------------

    /** Upstream's base config: both servers on port 3306 as user ghostferry, a fixed server id. */
    private static String upstream(String source, String target, String extra) {
        return "{\"Source\": {\"Host\": \"example.com\", \"Port\": 3306, \"User\": \"ghostferry\"" + source + "},"
                + " \"Target\": {\"Host\": \"example.com/target\", \"Port\": 3306, \"User\": \"ghostferry\"" + target + "},"
                + " \"MyServerId\": 99399" + extra + "}";
    }

    @Test
    void requiredHostPortAndUserAreRejectedWhenEmpty() {
        assertEquals(List.of("Source.Host = \"\": must not be empty; set the server's host name or address"),
                problems(upstream(", \"Host\": \"\"", "", "")));
        assertEquals(List.of("Target.Host = \"\": must not be empty; set the server's host name or address"),
                problems(upstream("", ", \"Host\": \"\"", "")));
        assertEquals(List.of("Source.Port = 0: must be between 1 and 65535"), problems(upstream(", \"Port\": 0", "", "")));
        assertEquals(List.of("Target.Port = 0: must be between 1 and 65535"), problems(upstream("", ", \"Port\": 0", "")));
        assertEquals(List.of("Source.User = \"\": must not be empty; set the user ferry connects as"),
                problems(upstream(", \"User\": \"\"", "", "")));
        assertEquals(List.of("Target.User = \"\": must not be empty; set the user ferry connects as"),
                problems(upstream("", ", \"User\": \"\"", "")));
    }

    @Test
    void copydbsDefaultsForAbsentPortAndUserApply() {
        CopydbConfig c = load("{\"Source\": {\"Host\": \"s\"}, \"Target\": {\"Host\": \"t\"}}");
        assertEquals(3306, c.source().port());
        assertEquals("ghostferry", c.source().user());
        assertEquals("ghostferry", c.target().user());
    }

    @Test
    void anUnknownNetModeIsRejected() {
        assertEquals(List.of("Source.Net = \"invalid\": must be \"tcp\" (the default); remove Net or set it to \"tcp\""),
                problems(upstream(", \"Net\": \"invalid\"", "", "")));
        assertEquals(List.of("Target.Net = \"invalid\": must be \"tcp\" (the default); remove Net or set it to \"tcp\""),
                problems(upstream("", ", \"Net\": \"invalid\"", "")));
        assertEquals("tcp", load(upstream(", \"Net\": \"tcp\", \"Host\": \"127.0.0.1\", \"Port\": 1234", "", "")).source().net());
        // Differs on purpose: Ghostferry accepts unix sockets; ferry's driver connects over TCP only, and says so.
        assertEquals(List.of("Source.Net = \"unix\": only tcp is supported; connect through Host and Port instead"),
                problems(upstream(", \"Net\": \"unix\", \"Host\": \"/tmp/mysql.sock\"", "", "")));
    }

    @Test
    void aTimeZoneOrSqlModeOtherThanTheForcedOneIsRejected() {
        assertEquals(List.of("Target.Params.time_zone = \"'+08:00'\": ferry sets time_zone to '+00:00' itself on every"
                        + " connection (values are copied as exact text); remove it from Params"),
                problems(upstream("", ", \"Params\": {\"time_zone\": \"'+08:00'\"}", "")));
        assertEquals(List.of("Target.Params.sql_mode = \"'NO_BACKSLASH_ESCAPES'\": ferry sets sql_mode to"
                        + " 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION' itself on every connection"
                        + " (values are copied as exact text); remove it from Params"),
                problems(upstream("", ", \"Params\": {\"sql_mode\": \"'NO_BACKSLASH_ESCAPES'\"}", "")));
    }

    @Test
    void defaultsMatchUpstreamWhereFerryDoesNotDifferOnPurpose() {
        CopydbConfig c = load(upstream("", "", ""));
        assertEquals("tcp", c.source().net());
        assertEquals("tcp", c.target().net());
        assertEquals(5, c.dbWriteRetries());
        assertEquals(60, c.dbReadRetries());
        assertEquals(4, c.dataIterationConcurrency());
        assertEquals(99399, c.myServerId());
        assertNull(c.controlServer().webBasedir(), "Ghostferry's WebBasedir \".\": the built-in page");
        // On purpose: 1000 rows per batch (Ghostferry 200: slower, see Benchmark), loopback control server.
        assertEquals(1000, c.dataIterationBatchSize());
        assertEquals("127.0.0.1:8000", c.controlServer().bindAddress());
    }

    @Test
    void aMissingCertificateFileIsRejected() {
        List<String> p = problems(upstream(", \"TLS\": {\"CertPath\": \"/doesnotexists\", \"ServerName\": \"dummy-server\"}",
                "", ""));
        assertEquals(1, p.size());
        assertTrue(p.getFirst().startsWith("Source.TLS.CertPath = \"/doesnotexists\": /doesnotexists is not a readable"
                + " file"), p.getFirst());
    }

    @Test
    void paramsAndCollationArePassedToTheConnection() {
        CopydbConfig c = load(upstream(", \"Collation\": \"utf8mb4_general_ci\", \"Params\": {\"charset\": \"utf8mb4\"}",
                "", ""));
        assertEquals("utf8mb4_general_ci", c.source().collation());
        assertEquals(List.of("utf8mb4"), c.source().driver().charsets());
        assertEquals(Map.of(), c.source().params(), "time_zone and sql_mode are ferry's, forced on every connection");
    }
}

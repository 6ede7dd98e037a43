package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SOURCE = "'Source': {'Host': 'src', 'User': 'u'}";
    private static final String TARGET = "'Target': {'Host': 'tgt', 'User': 'u'}";

    @TempDir
    Path dir;

    private Map<String, String> env = Map.of();

    /** Single quotes stand for double quotes, to keep JSON in tests readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A valid minimal config plus {@code extra} top-level members. */
    private static String withMinimal(String extra) {
        return json("{" + SOURCE + ", " + TARGET + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    /** A config whose source section holds {@code sourceBody}. */
    private static String withSource(String sourceBody) {
        return json("{'Source': {" + sourceBody + "}, " + TARGET + "}");
    }

    private CopydbConfig parse(String json) {
        return ConfigLoader.parse(json, env, dir);
    }

    private List<String> problems(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).problems();
    }

    private void assertOnlyProblem(String expected, String json) {
        assertEquals(List.of(expected), problems(json));
    }

    // --- complete configs and defaults ---------------------------------------------------------------------

    @Test
    void completeGhostferryStyleConfigLoadsEveryValue() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        env = Map.of("TARGET_PASS", "t4rget-pw");
        CopydbConfig c = parse("""
                {
                  "Source": {"Host": "db-a.internal", "Port": 3307, "Net": "tcp", "User": "ferry", "Pass": "s3cret-src",
                             "Collation": "utf8mb4_unicode_ci", "Params": {"foreign_key_checks": "0"},
                             "TLS": {"CertPath": "ca.pem", "ServerName": "db-a"},
                             "ReadTimeout": 30, "WriteTimeout": 0, "Marginalia": "app:copy"},
                  "Target": {"Host": "db-b.internal", "User": "writer", "PassFromEnv": "TARGET_PASS", "WriteTimeout": 15},
                  "Databases": {"Whitelist": ["shop", "blog"], "Rewrites": {"shop": "shop_new"}},
                  "Tables": {"Blacklist": ["sessions"], "Rewrites": {"posts": "articles"}},
                  "TablesToBeCreatedFirst": ["shop.customers", "shop.orders"],
                  "AllowExistingTargetTable": true,
                  "DataIterationBatchSize": 500,
                  "UpdatableConfig": {"DataIterationBatchSize": 500},
                  "DataIterationConcurrency": 8,
                  "BinlogEventBatchSize": 250,
                  "BinlogApplyConcurrency": 6,
                  "DBReadRetries": 10,
                  "DBWriteRetries": 3,
                  "MyServerId": 4242,
                  "AutomaticCutover": true,
                  "CutoverLock": {"URI": "https://ops.example/lock", "Payload": "{\\"db\\":\\"shop\\"}"},
                  "CutoverUnlock": {"URI": "http://ops.example/unlock"},
                  "MaxCutoverRetries": 3,
                  "CutoverRetryWaitSeconds": 5,
                  "SkipBinlogRowImageCheck": true,
                  "LockStrategy": "LockInGhostferry",
                  "VerifierType": "",
                  "DumpStateOnSignal": false,
                  "StateFilename": "",
                  "ControlServerConfig": {"Enabled": false, "ServerBindAddr": ""}
                }
                """);

        DatabaseConfig s = c.source();
        assertEquals("db-a.internal", s.host());
        assertEquals(3307, s.port());
        assertEquals("tcp", s.net());
        assertEquals("ferry", s.user());
        assertEquals("s3cret-src", s.password().value());
        assertEquals("utf8mb4_unicode_ci", s.collation());
        assertEquals(Map.of("foreign_key_checks", "0"), s.params());
        assertEquals(new TlsConfig(dir.resolve("ca.pem").toString(), "db-a"), s.tls());
        assertEquals(Duration.ofSeconds(30), s.readTimeout());
        assertNull(s.writeTimeout(), "0: none");
        assertEquals("app:copy", s.marginalia());

        DatabaseConfig t = c.target();
        assertEquals("db-b.internal", t.host());
        assertEquals("writer", t.user());
        assertEquals("t4rget-pw", t.password().value());
        assertEquals(Duration.ofSeconds(15), t.writeTimeout());
        assertEquals(DatabaseConfig.DEFAULT_TIMEOUT, t.readTimeout(), "left out: the default");

        assertEquals(new FilterConfig(List.of("shop", "blog"), List.of(), Map.of("shop", "shop_new")), c.databases());
        assertEquals(new FilterConfig(List.of(), List.of("sessions"), Map.of("posts", "articles")), c.tables());
        assertEquals(List.of(new TableId("shop", "customers"), new TableId("shop", "orders")), c.tablesToBeCreatedFirst());
        assertTrue(c.allowExistingTargetTable());
        assertEquals(500, c.dataIterationBatchSize());
        assertEquals(8, c.dataIterationConcurrency());
        assertEquals(250, c.binlogEventBatchSize());
        assertEquals(6, c.binlogApplyConcurrency());
        assertEquals(10, c.dbReadRetries());
        assertEquals(3, c.dbWriteRetries());
        assertEquals(4242, c.myServerId());
        assertTrue(c.automaticCutover());
        assertEquals(new HttpCallback(URI.create("https://ops.example/lock"), "{\"db\":\"shop\"}"), c.cutoverLock());
        assertEquals(new HttpCallback(URI.create("http://ops.example/unlock"), ""), c.cutoverUnlock());
        assertEquals(3, c.maxCutoverRetries());
        assertEquals(Duration.ofSeconds(5), c.cutoverRetryWait());
        assertTrue(c.skipBinlogRowImageCheck());
        assertEquals(LockStrategy.LOCK_IN_GHOSTFERRY, c.lockStrategy());
    }

    @Test
    void absentAndNullKeysTakeTheDefaults() {
        CopydbConfig c = parse(withMinimal("'DBReadRetries': null, 'LockStrategy': null, 'Databases': null"));

        assertEquals(Defaults.PORT, c.source().port());
        assertEquals(Defaults.NET, c.source().net());
        assertEquals(Secret.NONE, c.source().password());
        assertNull(c.source().collation());
        assertEquals(Map.of(), c.source().params());
        assertNull(c.source().tls());
        assertEquals(Duration.ofSeconds(60), c.source().readTimeout());
        assertEquals(Duration.ofSeconds(60), c.source().writeTimeout());
        assertEquals(Defaults.MARGINALIA, c.source().marginalia());
        assertEquals(FilterConfig.ALL, c.databases());
        assertEquals(FilterConfig.ALL, c.tables());
        assertEquals(List.of(), c.tablesToBeCreatedFirst());
        assertFalse(c.allowExistingTargetTable());
        assertEquals(Defaults.DATA_ITERATION_BATCH_SIZE, c.dataIterationBatchSize());
        assertEquals(Defaults.DATA_ITERATION_CONCURRENCY, c.dataIterationConcurrency());
        assertEquals(0, c.dataIterationRangeConcurrency(), "0: ranges sized by the table");
        assertEquals(Defaults.BINLOG_EVENT_BATCH_SIZE, c.binlogEventBatchSize());
        assertEquals(4, c.binlogApplyConcurrency(), "four binlog writers unless configured");
        assertEquals(Defaults.DB_READ_RETRIES, c.dbReadRetries());
        assertEquals(Defaults.DB_WRITE_RETRIES, c.dbWriteRetries());
        assertEquals(Defaults.MY_SERVER_ID, c.myServerId());
        assertFalse(c.automaticCutover());
        assertNull(c.cutoverLock());
        assertNull(c.cutoverUnlock());
        assertEquals(Defaults.MAX_CUTOVER_RETRIES, c.maxCutoverRetries());
        assertEquals(Defaults.CUTOVER_RETRY_WAIT, c.cutoverRetryWait());
        assertFalse(c.skipBinlogRowImageCheck());
        assertEquals(LockStrategy.LOCK_ON_SOURCE_DB, c.lockStrategy());
    }

    @Test
    void defaultsMatchGhostferrysDocumentedValues() {
        assertEquals(3306, Defaults.PORT);
        assertEquals("application:ferry", Defaults.MARGINALIA);
        assertEquals(1000, Defaults.DATA_ITERATION_BATCH_SIZE);
        assertEquals(4, Defaults.DATA_ITERATION_CONCURRENCY);
        assertEquals(100, Defaults.BINLOG_EVENT_BATCH_SIZE);
        assertEquals(60, Defaults.DB_READ_RETRIES);
        assertEquals(5, Defaults.DB_WRITE_RETRIES);
        assertEquals(1, Defaults.MAX_CUTOVER_RETRIES);
        assertEquals(Duration.ofSeconds(1), Defaults.CUTOVER_RETRY_WAIT);
    }

    @Test
    void explicitZeroIsKeptNotReplacedByTheDefault() {
        CopydbConfig c = parse(withMinimal("'DBReadRetries': 0, 'DBWriteRetries': 0, 'CutoverRetryWaitSeconds': 0"));

        assertEquals(0, c.dbReadRetries());
        assertEquals(0, c.dbWriteRetries());
        assertEquals(Duration.ZERO, c.cutoverRetryWait());
    }

    @Test
    void keysMatchCaseInsensitivelyAtEveryLevel() {
        CopydbConfig c = parse(json("""
                {'source': {'HOST': 'src', 'user': 'u', 'port': 3310, 'tls': {'servername': 'x'}},
                 'TARGET': {'Host': 'tgt', 'User': 'u'},
                 'databases': {'whitelist': ['a']},
                 'dataiterationbatchsize': 77, 'lockstrategy': 'None', 'updatableconfig': {}}
                """));

        assertEquals(3310, c.source().port());
        assertEquals("x", c.source().tls().serverName());
        assertEquals(List.of("a"), c.databases().whitelist());
        assertEquals(77, c.dataIterationBatchSize());
        assertEquals(LockStrategy.NONE, c.lockStrategy());
    }

    @Test
    void aKeyGivenInTwoSpellingsIsAProblem() {
        assertOnlyProblem("Source.Port: given 2 times (as Port, port); keep one",
                withSource("'Host': 'h', 'User': 'u', 'Port': 1, 'port': 2"));
    }

    // --- servers -------------------------------------------------------------------------------------------

    @Test
    void missingSourceAndTargetAreBothReported() {
        assertEquals(List.of(
                        "Source: required; add the source server's connection settings ({\"Host\": ..., \"User\": ...})",
                        "Target: required; add the target server's connection settings ({\"Host\": ..., \"User\": ...})"),
                problems("{}"));
    }

    @Test
    void hostAndUserAreRequiredAndNotEmpty() {
        assertEquals(List.of(
                        "Source.Host: required; set the server's host name or address",
                        "Source.User = \"\": must not be empty; set the user ferry connects as"),
                problems(withSource("'User': ''")));
    }

    @Test
    void portMustBeAValidTcpPort() {
        assertOnlyProblem("Source.Port = 0: must be between 1 and 65535", withSource("'Host': 'h', 'User': 'u', 'Port': 0"));
        assertOnlyProblem("Source.Port = 65536: must be between 1 and 65535",
                withSource("'Host': 'h', 'User': 'u', 'Port': 65536"));
    }

    @Test
    void wrongJsonTypesNameTheExpectedType() {
        assertEquals(List.of(
                        "Source.Port = \"3306\": must be an integer, not a string",
                        "Source.Params = [\"a\"]: must be an object of strings, not an array",
                        "Databases = []: must be an object, not an array",
                        "Tables.Whitelist = \"t\": must be an array of strings, not a string",
                        "DBReadRetries = 1.5: must be a whole number",
                        "AutomaticCutover = \"yes\": must be true or false, not a string",
                        "LockStrategy = 2: must be a string, not a number"),
                problems(json("""
                        {'Source': {'Host': 'h', 'User': 'u', 'Port': '3306', 'Params': ['a']}, 'Target': {'Host': 'h', 'User': 'u'},
                         'Databases': [], 'Tables': {'Whitelist': 't'}, 'DBReadRetries': 1.5, 'AutomaticCutover': 'yes',
                         'LockStrategy': 2}
                        """)));
    }

    @Test
    void wholeNumbersWrittenWithAFractionOrExponentAreAccepted() {
        CopydbConfig c = parse(withMinimal("'DataIterationBatchSize': 2.0, 'BinlogEventBatchSize': 2e2"));
        assertEquals(2, c.dataIterationBatchSize());
        assertEquals(200, c.binlogEventBatchSize());
    }

    @Test
    void onlyTcpNetworkingIsSupported() {
        assertOnlyProblem("Source.Net = \"unix\": only tcp is supported; connect through Host and Port instead",
                withSource("'Host': '/tmp/mysql.sock', 'User': 'u', 'Net': 'unix'"));
        assertOnlyProblem("Source.Net = \"udp\": must be \"tcp\" (the default); remove Net or set it to \"tcp\"",
                withSource("'Host': 'h', 'User': 'u', 'Net': 'udp'"));
    }

    @Test
    void paramsMayNotOverrideForcedSessionVariablesOrHaveOddNames() {
        // Type errors come first: they are found while reading the object, the rest while checking names.
        assertEquals(List.of(
                        "Source.Params.wait_timeout = 60: must be a string, not a number",
                        "Source.Params.time_zone = \"SYSTEM\": ferry sets time_zone to '+00:00' itself on every connection"
                                + " (values are copied as exact text); remove it from Params",
                        "Source.Params.SQL_MODE = \"\": ferry sets sql_mode to"
                                + " 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION' itself on every connection"
                                + " (values are copied as exact text); remove it from Params",
                        "Source.Params.a=1,b = \"2\": not a session variable name (letters, digits and _) nor an option"
                                + " of Ghostferry's driver; fix the name"),
                problems(withSource("""
                        'Host': 'h', 'User': 'u',
                        'Params': {'time_zone': 'SYSTEM', 'SQL_MODE': '', 'a=1,b': '2', 'wait_timeout': 60}""")));
    }

    @Test
    void collationAndMarginaliaAreChecked() {
        assertEquals(List.of(
                        "Source.Collation = \"utf8mb4; DROP\": must be a collation name such as utf8mb4_unicode_ci",
                        "Source.Marginalia = \"x */ y\": must not contain */ (it goes into an SQL comment); remove it"),
                problems(withSource("'Host': 'h', 'User': 'u', 'Collation': 'utf8mb4; DROP', 'Marginalia': 'x */ y'")));
    }

    @Test
    void timeoutsAreWholeSecondsAndZeroMeansNone() {
        CopydbConfig c = parse(withSource("'Host': 'h', 'User': 'u', 'ReadTimeout': 0, 'WriteTimeout': 90"));
        assertNull(c.source().readTimeout());
        assertEquals(Duration.ofSeconds(90), c.source().writeTimeout());

        assertOnlyProblem("Source.ReadTimeout = -1: must be between 0 and 2147483",
                withSource("'Host': 'h', 'User': 'u', 'ReadTimeout': -1"));
    }

    @Test
    void tlsCertPathMustBeAReadableFileRelativeToTheConfig() throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/ca.pem"), "pem");
        CopydbConfig c = parse(withSource("'Host': 'h', 'User': 'u', 'TLS': {'CertPath': 'certs/ca.pem'}"));
        assertEquals(dir.resolve("certs/ca.pem").toString(), c.source().tls().certPath());
        assertNull(c.source().tls().serverName());

        assertOnlyProblem("Source.TLS.CertPath = \"missing.pem\": " + dir.resolve("missing.pem")
                        + " is not a readable file; give the PEM file of the CA that signed the server certificate",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'CertPath': 'missing.pem'}"));
        assertOnlyProblem("Source.TLS.CertPath = \"certs\": " + dir.resolve("certs")
                        + " is not a readable file; give the PEM file of the CA that signed the server certificate",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'CertPath': 'certs'}"));
    }

    // --- passwords -----------------------------------------------------------------------------------------

    @Test
    void passwordComesFromTheNamedEnvironmentVariable() {
        env = Map.of("SRC_PW", "from-env");
        assertEquals("from-env", parse(withSource("'Host': 'h', 'User': 'u', 'PassFromEnv': 'SRC_PW'"))
                .source().password().value());
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        assertOnlyProblem("Source.PassFromEnv = \"SRC_PW\": environment variable SRC_PW is not set; export it before starting ferry",
                withSource("'Host': 'h', 'User': 'u', 'PassFromEnv': 'SRC_PW'"));
    }

    @Test
    void passwordFileIsReadRelativeToTheConfigAndLosesOneTrailingNewline() throws IOException {
        Files.writeString(dir.resolve("pw.txt"), "  from file \n");
        Files.writeString(dir.resolve("pw-crlf.txt"), "crlf\r\n");
        CopydbConfig c = parse(json("""
                {'Source': {'Host': 'h', 'User': 'u', 'PassFromFile': 'pw.txt'},
                 'Target': {'Host': 'h', 'User': 'u', 'PassFromFile': 'pw-crlf.txt'}}"""));

        assertEquals("  from file ", c.source().password().value());
        assertEquals("crlf", c.target().password().value());
    }

    @Test
    void unreadablePasswordFileIsNamed() {
        assertOnlyProblem("Source.PassFromFile = \"nope.txt\": cannot read " + dir.resolve("nope.txt")
                        + " (no such file); check the path and its permissions",
                withSource("'Host': 'h', 'User': 'u', 'PassFromFile': 'nope.txt'"));
    }

    @Test
    void atMostOnePasswordSourceMayBeGiven() {
        env = Map.of("PW", "x");
        assertOnlyProblem("Source: Pass and PassFromEnv cannot both be set; keep one",
                withSource("'Host': 'h', 'User': 'u', 'Pass': 'p', 'PassFromEnv': 'PW'"));
        assertOnlyProblem("Source: Pass, PassFromEnv and PassFromFile cannot all be set; keep one",
                withSource("'Host': 'h', 'User': 'u', 'Pass': 'p', 'PassFromEnv': 'PW', 'PassFromFile': 'f'"));
        // An empty Pass is Ghostferry's "no password", so it does not count.
        assertEquals("x", parse(withSource("'Host': 'h', 'User': 'u', 'Pass': '', 'PassFromEnv': 'PW'"))
                .source().password().value());
    }

    @Test
    void aPasswordOfTheWrongTypeIsReportedWithoutItsValue() {
        assertOnlyProblem("Source.Pass: must be a string, not a number",
                withSource("'Host': 'h', 'User': 'u', 'Pass': 123456"));
    }

    @Test
    void noPasswordAppearsInToStringOrDescribe() throws IOException {
        Files.writeString(dir.resolve("pw"), "file-secret-3\n");
        env = Map.of("PW", "env-secret-2");
        CopydbConfig c = parse(json("""
                {'Source': {'Host': 'h', 'User': 'u', 'Pass': 'json-secret-1'},
                 'Target': {'Host': 'h', 'User': 'u', 'PassFromEnv': 'PW'},
                 'CutoverLock': {'URI': 'https://ops:cb-secret-4@ops.example/lock?x=1', 'Payload': 'payload-secret-5'}}"""));
        CopydbConfig fromFile = parse(withSource("'Host': 'h', 'User': 'u', 'PassFromFile': 'pw'"));

        for (String text : List.of(c.toString(), c.describe(), fromFile.toString(), fromFile.describe())) {
            for (String secret : List.of("json-secret-1", "env-secret-2", "file-secret-3", "cb-secret-4", "payload-secret-5")) {
                assertFalse(text.contains(secret), () -> secret + " leaked into: " + text);
            }
        }
        assertTrue(c.toString().contains("password=******"));
        assertEquals("https://******@ops.example/lock?x=1", c.cutoverLock().describe());
    }

    // --- filters ---------------------------------------------------------------------------------------------

    @Test
    void whitelistAndBlacklistCannotBothBeSet() {
        assertOnlyProblem("Tables: Whitelist and Blacklist cannot both be set; keep one",
                withMinimal("'Tables': {'Whitelist': ['a'], 'Blacklist': ['b']}"));
    }

    @Test
    void twoRewritesToTheSameTargetAreAProblem() {
        assertOnlyProblem("Databases.Rewrites: \"a\" and \"b\" both rewrite to \"c\"; give each a different target name",
                withMinimal("'Databases': {'Rewrites': {'a': 'c', 'b': 'c', 'd': 'e'}}"));
    }

    @Test
    void emptyNamesInFiltersAreProblems() {
        assertEquals(List.of(
                        "Tables.Whitelist[1] = \"\": must not be empty; remove the entry",
                        "Tables.Rewrites.t = \"\": must not be empty; give the name on the target"),
                problems(withMinimal("'Tables': {'Whitelist': ['a', ''], 'Rewrites': {'t': ''}}")));
    }

    @Test
    void systemDatabasesCannotBeWhitelisted() {
        assertOnlyProblem("Databases.Whitelist[1] = \"mysql\": system databases are never copied; remove it",
                withMinimal("'Databases': {'Whitelist': ['shop', 'mysql']}"));
    }

    @Test
    void filterConfigAcceptsAndRewritesNames() {
        var white = new FilterConfig(List.of("a", "b"), List.of(), Map.of("a", "x"));
        assertTrue(white.accepts("a"));
        assertFalse(white.accepts("c"));
        assertFalse(white.accepts("A"));
        assertEquals("x", white.rewrite("a"));
        assertEquals("b", white.rewrite("b"));

        var black = new FilterConfig(List.of(), List.of("logs"), Map.of());
        assertTrue(black.accepts("orders"));
        assertFalse(black.accepts("logs"));
        assertTrue(FilterConfig.ALL.accepts("anything"));
        assertThrows(IllegalArgumentException.class, () -> new FilterConfig(List.of("a"), List.of("b"), Map.of()));
    }

    @Test
    void configSelectsDatabasesAndBareTableNamesInEveryDatabase() {
        CopydbConfig c = parse(withMinimal("""
                'Databases': {'Blacklist': ['tmp']}, 'Tables': {'Whitelist': ['users', 'orders']}"""));

        assertTrue(c.selectsDatabase("shop"));
        assertFalse(c.selectsDatabase("tmp"));
        assertFalse(c.selectsDatabase("mysql"));
        assertFalse(c.selectsDatabase("information_schema"));
        assertTrue(c.selectsTable("shop", "users"));
        assertTrue(c.selectsTable("blog", "users"));
        assertFalse(c.selectsTable("shop", "carts"));
        assertFalse(c.selectsTable("tmp", "users"));
    }

    @Test
    void targetOfAppliesTheDatabaseRewriteThenTheTableRewrite() {
        CopydbConfig c = parse(withMinimal("""
                'Databases': {'Rewrites': {'shop': 'shop_v2'}}, 'Tables': {'Rewrites': {'posts': 'articles'}}"""));

        assertEquals(new TableId("shop_v2", "articles"), c.targetOf(new TableId("shop", "posts")));
        assertEquals(new TableId("shop_v2", "users"), c.targetOf(new TableId("shop", "users")));
        assertEquals(new TableId("blog", "articles"), c.targetOf(new TableId("blog", "posts")));
        assertEquals(new TableId("blog", "users"), c.targetOf(new TableId("blog", "users")));
    }

    @Test
    void tablesToBeCreatedFirstMustBeQualifiedSelectedAndUnique() {
        assertEquals(List.of(
                        "TablesToBeCreatedFirst[0] = \"orders\": must be database.table; qualify the table with its database",
                        "TablesToBeCreatedFirst[2] = \"shop.users\": listed twice; keep the first",
                        "TablesToBeCreatedFirst[3] = \"blog.users\": not selected by the Databases/Tables filters; remove it or select it"),
                problems(withMinimal("""
                        'Databases': {'Whitelist': ['shop']},
                        'TablesToBeCreatedFirst': ['orders', 'shop.users', 'shop.users', 'blog.users']""")));
    }

    // --- tuning values -----------------------------------------------------------------------------------------

    @Test
    void batchSizeIsReadFromEitherPlaceAndMustAgreeWhenGivenTwice() {
        assertEquals(300, parse(withMinimal("'UpdatableConfig': {'DataIterationBatchSize': 300}")).dataIterationBatchSize());
        assertEquals(300, parse(withMinimal("'DataIterationBatchSize': 300")).dataIterationBatchSize());
        assertEquals(300, parse(withMinimal("'DataIterationBatchSize': 300, 'UpdatableConfig': {'DataIterationBatchSize': 300}"))
                .dataIterationBatchSize());
        assertOnlyProblem("DataIterationBatchSize = 500: differs from UpdatableConfig.DataIterationBatchSize = 200; set only one",
                withMinimal("'DataIterationBatchSize': 500, 'UpdatableConfig': {'DataIterationBatchSize': 200}"));
    }

    @Test
    void numericLimitsAreEnforced() {
        assertEquals(List.of(
                        "DataIterationBatchSize = 0: must be between 1 and 1000000",
                        "UpdatableConfig.DataIterationBatchSize = 1000001: must be between 1 and 1000000",
                        "DataIterationConcurrency = 257: must be between 1 and 256",
                        "BinlogEventBatchSize = 0: must be between 1 and 1000000",
                        "BinlogApplyConcurrency = 65: must be between 1 and 64",
                        "DBReadRetries = -1: must be at least 0",
                        "DBWriteRetries = -2: must be at least 0",
                        "MyServerId = 4294967296: must be between 0 and 4294967295",
                        "MaxCutoverRetries = 0: must be at least 1",
                        "CutoverRetryWaitSeconds = -1: must be at least 0"),
                problems(withMinimal("""
                        'DataIterationBatchSize': 0, 'UpdatableConfig': {'DataIterationBatchSize': 1000001},
                        'DataIterationConcurrency': 257, 'BinlogEventBatchSize': 0, 'BinlogApplyConcurrency': 65,
                        'DBReadRetries': -1,
                        'DBWriteRetries': -2, 'MyServerId': 4294967296, 'MaxCutoverRetries': 0, 'CutoverRetryWaitSeconds': -1""")));
    }

    @Test
    void upperLimitsThemselvesAreAccepted() {
        CopydbConfig c = parse(withMinimal("""
                'DataIterationBatchSize': 1000000, 'DataIterationConcurrency': 256, 'MyServerId': 4294967295"""));
        assertEquals(1_000_000, c.dataIterationBatchSize());
        assertEquals(256, c.dataIterationConcurrency());
        assertEquals(4_294_967_295L, c.myServerId());
    }

    @Test
    void lockStrategyAcceptsTheForksThreeNamesAndListsThemOtherwise() {
        assertEquals(LockStrategy.LOCK_ON_SOURCE_DB, parse(withMinimal("'LockStrategy': 'LockOnSourceDB'")).lockStrategy());
        assertEquals(LockStrategy.LOCK_IN_GHOSTFERRY, parse(withMinimal("'LockStrategy': 'LockInGhostferry'")).lockStrategy());
        assertEquals(LockStrategy.NONE, parse(withMinimal("'LockStrategy': 'None'")).lockStrategy());
        assertOnlyProblem("LockStrategy = \"TableLock\": must be one of LockOnSourceDB, LockInGhostferry, None",
                withMinimal("'LockStrategy': 'TableLock'"));
    }

    // --- callbacks ---------------------------------------------------------------------------------------------

    @Test
    void cutoverCallbacksNeedAnHttpUri() {
        assertEquals(List.of(
                        "CutoverLock.URI = \"ftp://ops/lock\": must be an http or https URI",
                        "CutoverUnlock.URI: required; give the http or https address to POST to"),
                problems(withMinimal("""
                        'CutoverLock': {'URI': 'ftp://ops/lock'}, 'CutoverUnlock': {'Payload': 'p'}""")));
        assertOnlyProblem("CutoverLock.URI = \"http://exa mple\": not a valid URI (Illegal character in authority); fix it",
                withMinimal("'CutoverLock': {'URI': 'http://exa mple'}"));
    }

    @Test
    void anEmptyCallbackMeansNoCallback() {
        CopydbConfig c = parse(withMinimal("'CutoverLock': {}, 'CutoverUnlock': {'URI': '', 'Payload': ''}"));
        assertNull(c.cutoverLock());
        assertNull(c.cutoverUnlock());
    }

    // --- unknown and unsupported keys --------------------------------------------------------------------------

    @Test
    void unknownKeysAreProblemsWithASuggestionWhenOneIsClose() {
        assertEquals(List.of(
                        "Source.Hots: unknown key; did you mean Host?",
                        "Databases.WhiteList2: unknown key; did you mean Whitelist?",
                        "DataIterationBatchSise: unknown key; did you mean DataIterationBatchSize?",
                        "ControlServer: unknown key; did you mean ControlServerConfig?",
                        "Colour: unknown key; remove it"),
                problems(json("""
                        {'Source': {'Host': 'h', 'Hots': 'x', 'User': 'u'}, 'Target': {'Host': 'h', 'User': 'u'},
                         'Databases': {'WhiteList2': []}, 'DataIterationBatchSise': 5, 'ControlServer': {}, 'Colour': 'blue'}
                        """)));
    }

    @Test
    void unsupportedKeysAreRejectedUnlessOff() {
        assertEquals(List.of(
                        "TableRewrites: copydb takes table rewrites from Tables.Rewrites; move them there"),
                problems(withMinimal("""
                        'VerifierType': 'Inline', 'InlineVerifierConfig': {'VerifyBinlogEventsInterval': '1s'},
                        'DatabaseRewrites': {}, 'TableRewrites': {'a': 'b'}""")));
    }

    @Test
    void tlsModeIsReadWithGhostferrysMeaningAsTheDefault() {
        assertEquals(TlsConfig.Mode.VERIFY_IDENTITY, parse(withSource("'Host': 'h', 'User': 'u', 'TLS': {}")).source()
                .tls().mode());
        assertEquals(new TlsConfig(null, null, TlsConfig.Mode.REQUIRED),
                parse(withSource("'Host': 'h', 'User': 'u', 'TLS': {'Mode': 'Required'}")).source().tls());
        assertEquals(TlsConfig.Mode.VERIFY_CA,
                parse(withSource("'Host': 'h', 'User': 'u', 'TLS': {'Mode': 'VERIFY_CA'}")).source().tls().mode());
        assertOnlyProblem("Source.TLS.Mode = \"Loose\": must be Required (encrypted, the certificate not checked),"
                + " VerifyCA or VerifyIdentity (the default: CA and name checked)",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'Mode': 'Loose'}"));
        assertOnlyProblem("Source.TLS.Mode = \"Required\": Required checks no certificate, so ServerName would be"
                + " ignored; remove it, or use VerifyCA or VerifyIdentity",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'Mode': 'Required', 'ServerName': 'db'}"));
        assertOnlyProblem("Source.TLS.ServerName = \"db\": VerifyCA checks no name; remove ServerName, or use Mode"
                + " VerifyIdentity (the default)",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'Mode': 'VerifyCA', 'ServerName': 'db'}"));
        assertOnlyProblem("Source.TLS.ServerName = \"db,x\": must be a host name or an IPv4 address (letters, digits,"
                + " . and -), the name the server's certificate carries",
                withSource("'Host': 'h', 'User': 'u', 'TLS': {'ServerName': 'db,x'}"));
    }

    @Test
    void replicaKeysAreReadAsCopydbReadsThem() {
        CopydbConfig c = parse(withMinimal("""
                'RunFerryFromReplica': true, 'SourceReplicationMaster': {'Host': 'primary', 'User': 'u', 'Pass': 'pw'},
                'ReplicatedMasterPositionQuery': 'SELECT file, position FROM meta.heartbeat',
                'WaitForReplicationTimeout': '1m30s'"""));
        assertEquals("primary", c.replicaSource().master().host());
        assertEquals(3306, c.replicaSource().master().port());
        assertEquals("SELECT file, position FROM meta.heartbeat", c.replicaSource().positionQuery());
        assertEquals(java.time.Duration.ofSeconds(90), c.replicaSource().waitTimeout());
        assertTrue(c.describe().contains("source is a replica of u@primary:3306; at cutover waiting up to 90000 ms"),
                c.describe());

        // Ghostferry's defaults: no query given reads the replica status; no timeout waits without limit.
        CopydbConfig defaults = parse(withMinimal(
                "'RunFerryFromReplica': true, 'SourceReplicationMaster': {'Host': 'primary', 'User': 'u'},"
                        + " 'ReplicatedMasterPositionQuery': '', 'WaitForReplicationTimeout': ''"));
        assertNull(defaults.replicaSource().positionQuery());
        assertNull(defaults.replicaSource().waitTimeout());
        assertNull(parse(withMinimal("'RunFerryFromReplica': false")).replicaSource());
        assertNull(parse(withMinimal("'AutomaticCutover': true")).replicaSource());
    }

    @Test
    void replicaKeysWithoutRunFerryFromReplicaOrWithoutAMasterAreProblems() {
        assertEquals(List.of(
                        "WaitForReplicationTimeout = \"soon\": must be a duration such as \"30s\", \"2m\" or \"500ms\"",
                        "SourceReplicationMaster: required with RunFerryFromReplica; give the connection settings"
                        + " of the source's master ({\"Host\": ..., \"User\": ...}), whose binlog position the cutover"
                        + " waits for the replica to reach"),
                problems(withMinimal("'RunFerryFromReplica': true, 'WaitForReplicationTimeout': 'soon'")));
        assertEquals(List.of("SourceReplicationMaster: has an effect only with \"RunFerryFromReplica\": true; set that"
                        + " too, or remove SourceReplicationMaster",
                        "WaitForReplicationTimeout: has an effect only with \"RunFerryFromReplica\": true; set that"
                        + " too, or remove WaitForReplicationTimeout"),
                problems(withMinimal("'SourceReplicationMaster': {'Host': 'primary', 'User': 'u'},"
                        + " 'ReplicatedMasterPositionQuery': '', 'WaitForReplicationTimeout': '5s'")));
        assertEquals(List.of("SourceReplicationMaster.Host: required; set the server's host name or address"),
                problems(withMinimal("'RunFerryFromReplica': true, 'SourceReplicationMaster': {'User': 'u'}")));
    }

    @Test
    void perTableBatchSizesFollowGhostferrysControlPointsAndOverrides() {
        CopydbConfig c = parse(withMinimal("""
                'EnableRowBatchSize': true, 'LoadData': false,
                'DataIterationBatchSizePerTableOverride': {'MinRowSize': 100, 'MaxRowSize': 10000,
                  'ControlPoints': {'100': 5000, '1000': 1000, '10000': 50}, 'TableOverride': {'shop': {'orders': 7}}}"""));
        BatchSizeOverride o = c.rowCopy().batchSizes();
        assertFalse(c.rowCopy().loadData());
        assertEquals(7, o.batchSize(new TableId("shop", "orders"), 5000), "a named table keeps its size");
        assertEquals(5000, o.batchSize(new TableId("shop", "tiny"), 20), "at or below MinRowSize");
        assertEquals(50, o.batchSize(new TableId("shop", "huge"), 1 << 20), "at or above MaxRowSize");
        assertEquals(1000, o.batchSize(new TableId("shop", "exact"), 1000), "on a control point");
        // Between 100 (5000 rows) and 1000 (1000 rows): 5000 * 450/900 + 1000 * 450/900.
        assertEquals(3000, o.batchSize(new TableId("shop", "mid"), 550));
        assertEquals(RowCopyConfig.DEFAULT, parse(withMinimal("'EnableRowBatchSize': false")).rowCopy());

        assertEquals(List.of("DataIterationBatchSizePerTableOverride.ControlPoints: must give a batch size for"
                        + " MaxRowSize (\"900\": rows)"),
                problems(withMinimal("'DataIterationBatchSizePerTableOverride': {'MinRowSize': 1, 'MaxRowSize': 900,"
                        + " 'ControlPoints': {'1': 10}}")));
        assertEquals(List.of("DataIterationBatchSizePerTableOverride.ControlPoints.big: must be keyed by a row size in"
                        + " bytes (a whole number), not \"big\"",
                        "DataIterationBatchSizePerTableOverride.TableOverride.shop.orders = 0: must be a whole"
                        + " number of rows between 1 and 1000000"),
                problems(withMinimal("'DataIterationBatchSizePerTableOverride': {'MinRowSize': 1, 'MaxRowSize': 9,"
                        + " 'ControlPoints': {'1': 10, '9': 2, 'big': 3}, 'TableOverride': {'shop': {'orders': 0}}}")));
        assertEquals(List.of("DataIterationBatchSizePerTableOverride: needs MinRowSize and MaxRowSize (row sizes in"
                        + " bytes) with a batch size for each in ControlPoints"),
                problems(withMinimal("'DataIterationBatchSizePerTableOverride': {'TableOverride': {}}")));
        assertEquals(List.of("EnableRowBatchSize = 1: must be true or false, not a number"),
                problems(withMinimal("'EnableRowBatchSize': 1")));
    }

    @Test
    void schemaChangeKeysAreReadWithTheForksDefaults() {
        CopydbConfig defaults = parse(withMinimal("'AutomaticCutover': false"));
        assertEquals(SchemaChangeConfig.DEFAULT, defaults.schemaChanges());
        assertEquals(new SchemaChangeConfig(false, false, false, false), defaults.schemaChanges());
        CopydbConfig c = parse(withMinimal("""
                'ReplicateSchemaChanges': true, 'SkipUnparseableSchemaChanges': true,
                'DelayDataIterationUntilBinlogWriterShutdown': true, 'FailOnFirstTableCopyError': true"""));
        assertEquals(new SchemaChangeConfig(true, true, true, true), c.schemaChanges());
        assertTrue(c.describe().contains("schema changes replicated (unparseable ones skipped)"), c.describe());
        assertEquals(List.of("SkipUnparseableSchemaChanges: only applies with ReplicateSchemaChanges = true;"
                        + " set ReplicateSchemaChanges or remove SkipUnparseableSchemaChanges"),
                problems(withMinimal("'SkipUnparseableSchemaChanges': true")));
        assertEquals(List.of("ReplicateSchemaChanges = \"yes\": must be true or false, not a string"),
                problems(withMinimal("'SkipUnparseableSchemaChanges': true, 'ReplicateSchemaChanges': 'yes'")));
    }

    @Test
    void unsupportedKeysSetToTheirOffValueLoadSilently() {
        CopydbConfig c = parse(withMinimal("""
                'DumpStateOnSignal': false, 'DumpStateToStdoutOnError': false, 'StateFilename': '', 'StateToResumeFrom': null,
                'ResumeStateFromDB': '', 'ForceResumeStateUpdatesToDB': false, 'VerifierType': 'NoVerification',
                'IterativeVerifierConfig': {'IgnoredTables': [], 'IgnoredColumns': {}, 'Concurrency': 0},
                'ControlServerConfig': {'Enabled': false, 'ServerBindAddr': '', 'CustomScripts': {}},
                'CascadingPaginationColumnConfig': null, 'ProgressCallback': {'URI': '', 'Payload': ''},
                'ProgressReportFrequency': 0, 'ServerBindAddr': '', 'WebBasedir': '', 'ReplicateSchemaChanges': false,
                'DatabaseRewrites': {}, 'TableRewrites': {}"""));
        assertEquals("src", c.source().host());
    }

    @Test
    void everyUnsupportedKeyIsKnownSoItIsNeverReportedAsUnknown() {
        for (var entry : UnsupportedKeys.TOP_LEVEL) {
            List<String> problems = problems(withMinimal("'" + entry.key() + "': 'on'"));
            assertEquals(List.of(entry.key() + ": " + entry.problem()), problems);
        }
    }

    // --- reporting ---------------------------------------------------------------------------------------------

    @Test
    void everyProblemIsReportedInOneException() {
        var e = assertThrows(ConfigException.class, () -> parse(json("""
                {'Source': {'Host': 'h', 'Port': 0}, 'Tables': {'Whitelist': ['a'], 'Blacklist': ['b']},
                 'LockStrategy': 'x', 'Bogus': 1}""")));

        assertEquals(List.of(
                "Source.Port = 0: must be between 1 and 65535",
                "Target: required; add the target server's connection settings ({\"Host\": ..., \"User\": ...})",
                "Tables: Whitelist and Blacklist cannot both be set; keep one",
                "LockStrategy = \"x\": must be one of LockOnSourceDB, LockInGhostferry, None",
                "Bogus: unknown key; remove it"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration (5 problems):\n  - Source.Port = 0"), e.getMessage());
    }

    @Test
    void invalidJsonSyntaxIsOneProblemNamingLineAndColumn() {
        List<String> problems = problems("{\n  \"Source\": {\"Host\": \"h\",}\n}");
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("config: JSON syntax error at line 2 column "), problems.getFirst());
        assertTrue(problems.getFirst().endsWith("; fix the file"), problems.getFirst());

        assertEquals(List.of("config: JSON syntax error at line 3 column 9: not valid JSON "
                        + "(unquoted text, a comment, single quotes or NaN?); fix the file"),
                problems("{\n\"Source\": {},\n\"Port\": tru\n}"));
    }

    @Test
    void lenientJsonIsNotAccepted() {
        assertEquals(1, problems("{Source: {}}").size());
        assertEquals(1, problems("// comment\n{}").size());
        assertTrue(problems("{} trailing").getFirst().startsWith("config: JSON syntax error at line 1 column"));
    }

    @Test
    void emptyFileAndNonObjectRootAreExplained() {
        assertOnlyProblem("config: the file is empty; write a JSON object with at least Source and Target", "  \n");
        assertOnlyProblem("config = [1]: must be a JSON object, not an array; wrap the settings in { }", "[1]");
        assertOnlyProblem("config = null: must be a JSON object with at least Source and Target, not null", "null");
    }

    @Test
    void aDirectoryOrABinaryFileIsNotAConfig() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("copydb.json"));
        assertEquals(List.of(folder + ": is a directory, not a config file; name the JSON file itself"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(folder)).problems());
        Path binary = Files.write(dir.resolve("ferry.jar"), new byte[] {'P', 'K', 3, 4, (byte) 0xC3, 0x28, (byte) 0xFF});
        assertEquals(List.of(binary + ": is not UTF-8 text, so not a JSON config (a binary file?); check the path"),
                assertThrows(ConfigException.class, () -> ConfigLoader.load(binary)).problems());
    }

    @Test
    void loadReadsTheFileAndResolvesPathsAgainstItsDirectory() throws IOException {
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(confDir.resolve("source.pw"), "pw-from-file\n");
        Path file = confDir.resolve("copydb.json");
        Files.writeString(file, json("""
                {'Source': {'Host': 'h', 'User': 'u', 'PassFromFile': 'source.pw'}, 'Target': {'Host': 't', 'User': 'u'}}"""));

        assertEquals("pw-from-file", ConfigLoader.load(file).source().password().value());
        var missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("absent.json")));
        assertEquals(List.of(dir.resolve("absent.json") + ": cannot read the config file (no such file); check the path"),
                missing.problems());
    }

    @Test
    void describeSummarisesTheRunInOneParagraph() {
        CopydbConfig c = parse(json("""
                {'Source': {'Host': 'a', 'User': 'ferry', 'Pass': 'pw'}, 'Target': {'Host': 'b', 'Port': 3307, 'User': 'w'},
                 'Databases': {'Whitelist': ['shop'], 'Rewrites': {'shop': 'shop2'}}, 'Tables': {'Blacklist': ['logs']},
                 'AutomaticCutover': true, 'CutoverLock': {'URI': 'https://ops/lock'}}"""));

        assertEquals("copy from ferry@a:3306 to w@b:3307; databases: only shop; renamed shop->shop2; "
                        + "tables: all except logs; existing target tables refused; batches of 1000 rows, "
                        + "4 tables in parallel, ranges per table by size, binlog batches of up to 100 events on 4 connections; retries: 60 read, 5 write; "
                        + "server id random; lock strategy LockOnSourceDB; Inline verification; cutover automatic, lock callback "
                        + "https://ops/lock (1 attempt, 1 s apart).",
                c.describe());
    }

    @Test
    void tcpFactoryStillBuildsAServerWithDefaults() {
        DatabaseConfig db = DatabaseConfig.tcp("h", 3306, "u", "secret");
        assertEquals(Defaults.MARGINALIA, db.marginalia());
        assertEquals("tcp", db.net());
        assertFalse(db.toString().contains("secret"));
    }

    @Test
    void keySuggestionsFindTyposButNotUnrelatedWords() {
        List<String> known = List.of("Source", "Target", "Databases", "Tables");
        assertEquals("Source", KeySuggestions.closest("Sorce", known).orElseThrow());
        assertEquals("Tables", KeySuggestions.closest("tabels", known).orElseThrow());
        assertEquals("Databases", KeySuggestions.closest("Database", known).orElseThrow());
        assertTrue(KeySuggestions.closest("Colour", known).isEmpty());
        assertEquals("Host", KeySuggestions.closest("Hots", List.of("Host", "Port")).orElseThrow());
        assertEquals(3, KeySuggestions.distance("kitten", "sitting"));
        assertEquals(1, KeySuggestions.distance("hots", "host"));
    }

    @Test
    void rangeConcurrencyIsReadAndBounded() {
        String base = "{\"Source\": {\"Host\": \"a\", \"User\": \"u\"}, \"Target\": {\"Host\": \"b\", \"User\": \"u\"}, ";
        assertEquals(3, ConfigLoader.parse(base + "\"DataIterationRangeConcurrency\": 3}", Map.of(), Path.of("."))
                .dataIterationRangeConcurrency());
        var e = assertThrows(io.ferry.core.ConfigException.class,
                () -> ConfigLoader.parse(base + "\"DataIterationRangeConcurrency\": -1}", Map.of(), Path.of(".")));
        assertTrue(e.getMessage().contains("DataIterationRangeConcurrency = -1"), e.getMessage());
    }

    // --- control server ----------------------------------------------------------------------------------------

    @Test
    void controlServerIsOffUnlessEnabled() {
        assertEquals(ControlServerConfig.DISABLED, parse(withMinimal("")).controlServer());
        var c = parse(withMinimal("'ControlServerConfig': {'Enabled': true}")).controlServer();
        assertTrue(c.enabled());
        assertEquals("127.0.0.1:8000", c.bindAddress());
        assertTrue(c.bearerToken().isEmpty());
    }

    @Test
    void controlServerBindsWhereToldAndTakesATokenFromTheEnvironment() {
        env = Map.of("FERRY_TOKEN", "tok-123");
        var c = parse(withMinimal("""
                'ControlServerConfig': {'Enabled': true, 'ServerBindAddr': ':9100', 'BearerTokenFromEnv': 'FERRY_TOKEN'}""")).controlServer();
        assertEquals("0.0.0.0", c.host());
        assertEquals(9100, c.port());
        assertEquals("tok-123", c.bearerToken().value());
        var config = parse(withMinimal("'ControlServerConfig': {'Enabled': true, 'BearerToken': 'inline-tok'}"));
        assertEquals("inline-tok", config.controlServer().bearerToken().value());
        assertFalse(config.toString().contains("inline-tok"));
        assertFalse(config.describe().contains("inline-tok"));
        assertTrue(config.describe().contains("control server on 127.0.0.1:8000 (bearer token required)"), config.describe());
    }

    @Test
    void deprecatedTopLevelServerBindAddrEnablesTheServerThere() {
        var c = parse(withMinimal("'ServerBindAddr': '[::1]:8123'")).controlServer();
        assertTrue(c.enabled());
        assertEquals("::1", c.host());
        assertEquals("[::1]:8123", c.bindAddress());
        assertEquals(List.of("ServerBindAddr = \"0.0.0.0:1\": differs from ControlServerConfig.ServerBindAddr = 0.0.0.0:2;"
                        + " keep only ControlServerConfig.ServerBindAddr"),
                problems(withMinimal("'ServerBindAddr': '0.0.0.0:1', 'ControlServerConfig': {'ServerBindAddr': '0.0.0.0:2'}")));
    }

    @Test
    void controlServerProblemsAreReported() {
        assertEquals(List.of(
                        "ControlServerConfig.WebBasedir = \"/web\": /web holds no index.html (nor webui/index.html); give"
                                + " the directory of your status page, or remove WebBasedir for the built-in page",
                        "ControlServerConfig.Port: unknown key; remove it",
                        "ControlServerConfig.ServerBindAddr = \"localhost\": must be host:port with a port in 0..65535, e.g. 127.0.0.1:8000",
                        "ControlServerConfig.BearerTokenFromEnv = \"NOPE\": environment variable NOPE is not set or empty;"
                                + " export it before starting ferry"),
                problems(withMinimal("""
                        'ControlServerConfig': {'Enabled': true, 'ServerBindAddr': 'localhost', 'WebBasedir': '/web',
                         'BearerTokenFromEnv': 'NOPE', 'Port': 1}""")));
        assertEquals(List.of("ControlServerConfig: BearerToken and BearerTokenFromEnv cannot both be set; keep one"),
                problems(withMinimal("'ControlServerConfig': {'BearerToken': 'a', 'BearerTokenFromEnv': 'B'}")));
    }

    @Test
    void customScriptsAreCommandArraysInEitherOfGhostferrysPlaces() throws IOException {
        Path script = Files.createFile(dir.resolve("s1"));
        script.toFile().setExecutable(true);
        var nested = parse(withMinimal("'ControlServerConfig': {'Enabled': true, 'CustomScripts': {'Flush': ['"
                + script + "', '--all'], 'Echo': ['echo', 'hi']}}")).controlServer();
        assertEquals(Map.of("Flush", List.of(script.toString(), "--all"), "Echo", List.of("echo", "hi")),
                nested.customScripts());
        // Ghostferry's deprecated top-level key; the server stays on 127.0.0.1 and off unless enabled.
        var top = parse(withMinimal("'ControlServerCustomScripts': {'Flush': ['" + script + "']}")).controlServer();
        assertEquals(Map.of("Flush", List.of(script.toString())), top.customScripts());
        assertFalse(top.enabled());
        assertEquals("127.0.0.1", top.host());
        assertEquals(List.of(
                        "ControlServerCustomScripts.Empty = []: must be a non-empty array: the program, then its arguments",
                        "ControlServerCustomScripts.Shell = \"ls -l\": must be a non-empty array: the program, then its"
                                + " arguments",
                        "ControlServerCustomScripts.Number = [\"echo\",1]: every element must be a string (no shell: one"
                                + " argument per element)",
                        "ControlServerCustomScripts.Missing = [\"./no/such/script\"]: ./no/such/script is not an executable"
                                + " file (relative to ferry's working directory " + Path.of("").toAbsolutePath()
                                + "); fix the path or chmod +x it"),
                problems(withMinimal("'ControlServerCustomScripts': {'Empty': [], 'Shell': 'ls -l', 'Number': ['echo', 1],"
                        + " 'Missing': ['./no/such/script']}")));
        assertEquals(List.of("ControlServerCustomScripts: differs from ControlServerConfig.CustomScripts; keep only"
                        + " ControlServerConfig.CustomScripts"),
                problems(withMinimal("'ControlServerCustomScripts': {'A': ['echo']},"
                        + " 'ControlServerConfig': {'CustomScripts': {'B': ['echo']}}")));
    }

    @Test
    void webBasedirIsADirectoryWithAPageAndDotIsTheBuiltInOne() throws IOException {
        Files.createDirectories(dir.resolve("web/webui"));
        Files.writeString(dir.resolve("web/webui/index.html"), "<html></html>");
        assertEquals(dir.resolve("web"), parse(withMinimal("'WebBasedir': 'web'")).controlServer().webBasedir());
        assertEquals(dir.resolve("web"), parse(withMinimal("'ControlServerConfig': {'WebBasedir': 'web'}"))
                .controlServer().webBasedir());
        assertNull(parse(withMinimal("'WebBasedir': '.'")).controlServer().webBasedir());
    }
}

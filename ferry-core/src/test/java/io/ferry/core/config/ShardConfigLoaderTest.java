package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.config.ShardingConfig.IndexHint;
import io.ferry.core.config.ShardingConfig.JoinedTable;
import io.ferry.core.config.ShardingConfig.JoinedThroughTable;
import io.ferry.core.config.ShardingConfig.TableIndexHint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config of {@code ferry shard}: copydb's keys without Databases/Tables, plus ghostferry-sharding's keys. */
class ShardConfigLoaderTest {
    private static final String MINIMAL = "'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'},"
            + " 'ShardingKey': 'shop_id', 'ShardingValue': 5, 'SourceDB': 'shop'";

    @TempDir
    Path dir;

    /** Single quotes stand for double quotes, to keep JSON in tests readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A valid minimal shard config plus {@code extra} top-level members. */
    private static String withMinimal(String extra) {
        return json("{" + MINIMAL + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    private ShardConfig parse(String json) {
        return ShardConfigLoader.parse(json, Map.of(), dir);
    }

    private List<String> problems(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).problems();
    }

    private void assertOnlyProblem(String expected, String json) {
        assertEquals(List.of(expected), problems(json));
    }

    // --- complete configs and defaults ---------------------------------------------------------------------

    /** The example config of the README's "Moving a tenant" section loads as it is written there. */
    @Test
    void theReadmesExampleLoads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Moving a tenant: `ferry shard`");
        assertTrue(section >= 0, "the README has no tenant section");
        int start = readme.indexOf("```json\n", section) + "```json\n".length();
        String json = readme.substring(start, readme.indexOf("```", start));
        ShardConfig c = ShardConfigLoader.parse(json,
                Map.of("FERRY_SOURCE_PASSWORD", "s", "FERRY_TARGET_PASSWORD", "t"), Path.of("."));
        assertEquals("shop_id", c.sharding().shardingKey());
        assertEquals("1234", c.sharding().shardingValue());
        assertEquals(List.of("shops"), c.sharding().primaryKeyTables());
        assertEquals(List.of(new JoinedTable("shop_assets", "asset_id")), c.sharding().joinedTables().get("assets"));
        assertFalse(c.sharding().selectsTableName("schema_migrations"));
        assertTrue(c.copydb().selectsDatabase("app"));
    }

    @Test
    void aFullGhostferryShardingConfigLoadsEveryKey() {
        ShardConfig c = parse("""
                {
                  "Source": {"Host": "shard-1.internal", "User": "ferry", "Pass": "pw"},
                  "Target": {"Host": "shard-2.internal", "User": "ferry"},
                  "ShardingKey": "shop_id",
                  "ShardingValue": 1234,
                  "SourceDB": "shops_1",
                  "TargetDB": "shops_2",
                  "JoinedTables": {
                    "assets": [{"TableName": "assets_shops", "JoinColumn": "asset_id"},
                               {"TableName": "products_assets", "JoinColumn": "asset_id"}]
                  },
                  "JoinedThroughTables": {
                    "grants": {"JoinTableName": "api_permissions", "JoinCondition": "`grants`.`join_id` = `api_permissions`.`join_id`"}
                  },
                  "PrimaryKeyTables": ["shops"],
                  "IgnoredTables": ["^_.*_(new|old|gho)$", "schema_migrations"],
                  "IncludedTables": [],
                  "IgnoredVerificationTables": ["events"],
                  "IgnoredVerificationColumns": {"products": ["updated_at", "cache_key"]},
                  "VerifierIterationConcurrency": 6,
                  "MaxExpectedVerifierDowntime": "2m30s",
                  "StatsDAddress": "",
                  "ShardedCopyFilterConfig": {
                    "IndexHint": "force",
                    "IndexHintingPerTable": {"shops_1": {"orders": {"IndexHint": "use", "IndexName": "ix_orders_shop_id"},
                                                         "events": {"IndexHint": "", "IndexName": ""}}}
                  },
                  "Throttle": {"Connection": {"Host": "replica", "User": "ro"}, "MaxLag": 5,
                               "Query": "SELECT lag FROM meta.heartbeat", "UpdateInterval": "500ms"},
                  "CutoverLock": {"URI": "https://ops.example/lock", "Payload": "{}"},
                  "CutoverUnlock": {"URI": "https://ops.example/unlock"},
                  "ErrorCallback": {"URI": "https://ops.example/error"},
                  "RunFerryFromReplica": true,
                  "SourceReplicationMaster": {"Host": "shard-1-primary", "User": "ferry"},
                  "ReplicatedMasterPositionQuery": "SELECT file, position FROM meta.heartbeat",
                  "DataIterationBatchSize": 200,
                  "DataIterationConcurrency": 8,
                  "MyServerId": 99,
                  "AutomaticCutover": true,
                  "TablesToBeCreatedFirst": ["shops_1.shops"],
                  "ControlServerConfig": {"Enabled": true, "ServerBindAddr": "127.0.0.1:8001"},
                  "StateFilename": "state.json"
                }
                """);

        ShardingConfig s = c.sharding();
        assertEquals("shop_id", s.shardingKey());
        assertEquals("1234", s.shardingValue());
        assertTrue(s.integerValue());
        assertEquals("shops_1", s.sourceDb());
        assertEquals("shops_2", s.targetDb());
        assertEquals(Map.of("assets", List.of(new JoinedTable("assets_shops", "asset_id"),
                new JoinedTable("products_assets", "asset_id"))), s.joinedTables());
        assertEquals(Map.of("grants", new JoinedThroughTable("api_permissions",
                "`grants`.`join_id` = `api_permissions`.`join_id`")), s.joinedThroughTables());
        assertEquals(List.of("shops"), s.primaryKeyTables());
        assertEquals(List.of("^_.*_(new|old|gho)$", "schema_migrations"),
                s.ignoredTables().stream().map(Pattern::pattern).toList());
        assertEquals(List.of(), s.includedTables());
        assertEquals(IndexHint.FORCE, s.indexHint());
        assertEquals(Map.of("orders", new TableIndexHint(IndexHint.USE, "ix_orders_shop_id"),
                "events", new TableIndexHint(IndexHint.FORCE, null)), s.indexHintPerTable(), "\"\": inherited");
        assertEquals(new TableIndexHint(IndexHint.FORCE, null), s.indexHintOf("products"));

        CopydbConfig copydb = c.copydb();
        assertEquals("shard-1.internal", copydb.source().host());
        assertEquals("pw", copydb.source().password().value());
        assertEquals("shard-2.internal", copydb.target().host());
        assertEquals(new FilterConfig(List.of("shops_1"), List.of(), Map.of("shops_1", "shops_2")), copydb.databases());
        assertEquals(FilterConfig.ALL, copydb.tables());
        assertTrue(copydb.selectsDatabase("shops_1"));
        assertFalse(copydb.selectsDatabase("shops_3"));
        assertEquals(new TableId("shops_2", "orders"), copydb.targetOf(new TableId("shops_1", "orders")));
        assertEquals(List.of(new TableId("shops_1", "shops")), copydb.tablesToBeCreatedFirst());
        assertTrue(copydb.allowExistingTargetTable(), "the default of a shard move");
        assertEquals(200, copydb.dataIterationBatchSize());
        assertEquals(8, copydb.dataIterationConcurrency());
        assertEquals(99, copydb.myServerId());
        assertTrue(copydb.automaticCutover());
        assertEquals(new HttpCallback(URI.create("https://ops.example/lock"), "{}"), copydb.cutoverLock());
        assertEquals(URI.create("https://ops.example/unlock"), copydb.cutoverUnlock().uri());
        assertEquals(URI.create("https://ops.example/error"), copydb.operations().errorCallback().uri());
        LagThrottlerConfig throttle = copydb.operations().lagThrottler();
        assertEquals("replica", throttle.connection().host());
        assertEquals(5, throttle.maxLag());
        assertEquals(Duration.ofMillis(500), throttle.updateInterval());
        assertEquals("shard-1-primary", copydb.replicaSource().master().host());
        assertEquals("SELECT file, position FROM meta.heartbeat", copydb.replicaSource().positionQuery());
        assertEquals(8001, copydb.controlServer().port());
        assertEquals(dir.resolve("state.json"), copydb.state().stateFilename());

        VerificationConfig v = copydb.verification();
        assertEquals(VerificationConfig.Type.ITERATIVE, v.type(), "the default of a shard move");
        assertEquals(List.of("events"), v.iterative().ignoredTables());
        assertFalse(v.verifies(new TableId("shops_1", "events")));
        assertTrue(v.verifies(new TableId("shops_1", "products")));
        assertEquals(Map.of(new TableId("shops_1", "products"), Set.of("updated_at", "cache_key")), v.ignoredColumns());
        assertEquals(Set.of("updated_at", "cache_key"), v.ignoredColumnsOf(new TableId("shops_1", "products")));
        assertEquals(6, v.iterative().concurrency());
        assertEquals(Duration.ofSeconds(150), v.iterative().maxExpectedDowntime());
        assertEquals(Duration.ofSeconds(150), v.maxExpectedDowntime());

        assertEquals("shop_id = 1234 in shops_1 -> shops_2; joined: assets via assets_shops.asset_id,"
                + " products_assets.asset_id; joined through: grants via api_permissions; primary-key tables: shops;"
                + " tables ignored: ^_.*_(new|old|gho)$, schema_migrations; index hint force (events force, orders use"
                + " ix_orders_shop_id)", s.describe());
        assertTrue(copydb.describe().contains("databases: only shops_1; renamed shops_1->shops_2"), copydb.describe());
    }

    @Test
    void aMinimalConfigTakesTheShardDefaults() {
        ShardConfig c = parse(withMinimal(""));
        ShardingConfig s = c.sharding();
        assertEquals("shop", s.targetDb(), "TargetDB defaults to SourceDB");
        assertEquals(new FilterConfig(List.of("shop"), List.of(), Map.of()), c.copydb().databases(), "no rewrite");
        assertEquals(Map.of(), s.joinedTables());
        assertEquals(Map.of(), s.joinedThroughTables());
        assertEquals(List.of(), s.primaryKeyTables());
        assertEquals(IndexHint.USE, s.indexHint());
        assertEquals(Map.of(), s.indexHintPerTable());
        assertTrue(c.copydb().allowExistingTargetTable());
        VerificationConfig v = c.copydb().verification();
        assertEquals(VerificationConfig.Type.ITERATIVE, v.type());
        assertEquals(Defaults.DATA_ITERATION_CONCURRENCY, v.iterative().concurrency());
        assertNull(v.maxExpectedDowntime());
        assertEquals("shop_id = 5 in shop", s.describe());

        // Go's zero values mean the same as absent keys.
        ShardConfig zero = parse(withMinimal("'TargetDB': '', 'VerifierIterationConcurrency': 0,"
                + " 'MaxExpectedVerifierDowntime': '', 'ShardedCopyFilterConfig': {'IndexHint': ''},"
                + " 'DatabaseRewrites': {}, 'TableRewrites': {}, 'StatsDAddress': ''"));
        assertEquals("shop", zero.sharding().targetDb());
        assertEquals(IndexHint.USE, zero.sharding().indexHint());
    }

    @Test
    void explicitValuesWinOverTheShardDefaults() {
        ShardConfig c = parse(withMinimal("'AllowExistingTargetTable': false, 'VerifierType': 'Inline',"
                + " 'MaxExpectedVerifierDowntime': '30s'"));
        assertFalse(c.copydb().allowExistingTargetTable());
        assertEquals(VerificationConfig.Type.INLINE, c.copydb().verification().type());
        assertEquals(Duration.ofSeconds(30), c.copydb().verification().inline().maxExpectedDowntime());
        assertEquals(VerificationConfig.Type.NO_VERIFICATION,
                parse(withMinimal("'VerifierType': 'NoVerification'")).copydb().verification().type());
    }

    @Test
    void verifierConcurrencyFollowsTheCopysUnlessGiven() {
        // ghostferry-sharding verifies with as many workers as the copy when VerifierIterationConcurrency is unset.
        assertEquals(12, parse(withMinimal("'DataIterationConcurrency': 12")).copydb().verification().iterative()
                .concurrency());
        assertEquals(3, parse(withMinimal("'DataIterationConcurrency': 12, 'IterativeVerifierConfig': {'Concurrency': 3}"))
                .copydb().verification().iterative().concurrency());
        assertEquals(3, parse(withMinimal("'IterativeVerifierConfig': {'Concurrency': 3}, 'VerifierIterationConcurrency': 3"))
                .copydb().verification().iterative().concurrency());
    }

    @Test
    void shardVerifierKeysMergeWithCopydbsOwn() {
        VerificationConfig v = parse(withMinimal("""
                'IgnoredVerificationTables': ['events'],
                'IterativeVerifierConfig': {'IgnoredTables': ['logs', 'events'], 'MaxExpectedDowntime': '1m'},
                'MaxExpectedVerifierDowntime': '60s',
                'IgnoredVerificationColumns': {'products': ['cache_key']},
                'IgnoredColumnsForVerification': {'shop': {'products': {'updated_at': {}}}}""")).copydb().verification();
        assertEquals(List.of("logs", "events"), v.iterative().ignoredTables());
        assertEquals(Duration.ofMinutes(1), v.maxExpectedDowntime());
        assertEquals(Set.of("updated_at", "cache_key"), v.ignoredColumnsOf(new TableId("shop", "products")));
    }

    @Test
    void aStringShardingValueIsKeptAsAString() {
        ShardingConfig s = parse(withMinimal("'ShardingValue': 'tenant-42'")).sharding();
        assertEquals("tenant-42", s.shardingValue());
        assertFalse(s.integerValue());
        assertEquals("shop_id = 'tenant-42' in shop", s.describe());

        ShardingConfig digits = parse(withMinimal("'ShardingValue': '42'")).sharding();
        assertEquals("42", digits.shardingValue());
        assertFalse(digits.integerValue(), "a string of digits stays a string");
    }

    @Test
    void integerShardingValuesAreKeptInTheirDecimalForm() {
        assertEquals("1000", parse(withMinimal("'ShardingValue': 1e3")).sharding().shardingValue());
        assertEquals("7", parse(withMinimal("'ShardingValue': 7.0")).sharding().shardingValue());
        assertEquals("18446744073709551615",
                parse(withMinimal("'ShardingValue': 18446744073709551615")).sharding().shardingValue());
        assertEquals("-3", parse(withMinimal("'ShardingValue': -3")).sharding().shardingValue());
    }

    @Test
    void keysMatchCaseInsensitively() {
        ShardConfig c = parse(json("{'source': {'Host': 'src', 'User': 'u'}, 'target': {'Host': 'tgt', 'User': 'u'},"
                + " 'shardingkey': 'shop_id', 'SHARDINGVALUE': 5, 'sourcedb': 'shop', 'targetDb': 'shop2',"
                + " 'joinedtables': {'assets': [{'tablename': 'assets_shops', 'joincolumn': 'asset_id'}]}}"));
        assertEquals("shop2", c.sharding().targetDb());
        assertEquals(List.of(new JoinedTable("assets_shops", "asset_id")), c.sharding().joinedTables().get("assets"));
    }

    @Test
    void loadReadsTheFileAndResolvesPathsAgainstItsDirectory() throws IOException {
        Path file = dir.resolve("shard.json");
        Files.writeString(file, withMinimal("'StateFilename': 'state.json'"));
        assertEquals(dir.resolve("state.json"), ShardConfigLoader.load(file).copydb().state().stateFilename());

        ConfigException missing = assertThrows(ConfigException.class,
                () -> ShardConfigLoader.load(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json: cannot read the config file (no such file)"),
                missing.getMessage());
        assertThrows(ConfigException.class, () -> ShardConfigLoader.load(dir));
    }

    // --- selectsTableName ----------------------------------------------------------------------------------

    @Test
    void ignoredTablesAreFoundAnywhereInTheNameAsGoMatchStringDoes() {
        ShardingConfig s = parse(withMinimal("'IgnoredTables': ['_old$', '^tmp']")).sharding();
        assertFalse(s.selectsTableName("orders_old"));
        assertFalse(s.selectsTableName("tmp_orders"));
        assertTrue(s.selectsTableName("orders"));
        assertTrue(s.selectsTableName("orders_old_2"));
        assertTrue(s.selectsTableName("my_tmp"));

        ShardingConfig unanchored = parse(withMinimal("'IgnoredTables': ['log']")).sharding();
        assertFalse(unanchored.selectsTableName("changelog_entries"), "a match anywhere in the name counts");
    }

    @Test
    void includedTablesAreTheOnlyTablesTaken() {
        ShardingConfig s = parse(withMinimal("'IncludedTables': ['^orders$', 'line_items']")).sharding();
        assertTrue(s.selectsTableName("orders"));
        assertTrue(s.selectsTableName("order_line_items"));
        assertFalse(s.selectsTableName("orders_archive"));
        assertFalse(s.selectsTableName("customers"));
    }

    @Test
    void withNeitherListEveryTableIsTaken() {
        ShardingConfig s = parse(withMinimal("'IgnoredTables': [], 'IncludedTables': null")).sharding();
        assertTrue(s.selectsTableName("anything"));
    }

    // --- problems ------------------------------------------------------------------------------------------

    @Test
    void theShardingKeysAreRequired() {
        assertEquals(List.of(
                        "SourceDB: required; give the database the tenant is moved from",
                        "ShardingKey: required; give the column that holds the tenant id, e.g. \"shop_id\"",
                        "ShardingValue: required; give the tenant id whose rows are moved: an integer (5) or a string"
                                + " (\"shop-5\")"),
                problems(json("{'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'}}")));
        assertOnlyProblem("ShardingKey: required; give the column that holds the tenant id, e.g. \"shop_id\"",
                withMinimal("'ShardingKey': ''"));
        assertOnlyProblem("SourceDB: required; give the database the tenant is moved from",
                withMinimal("'SourceDB': ''"));
        assertOnlyProblem("ShardingValue = \"\": must not be empty; give the tenant id", withMinimal("'ShardingValue': ''"));
    }

    @Test
    void aShardingValueOfAnotherTypeIsAProblem() {
        assertOnlyProblem("ShardingValue = true: must be an integer or a string (the tenant id), not a boolean",
                withMinimal("'ShardingValue': true"));
        assertOnlyProblem("ShardingValue = {\"id\":5}: must be an integer or a string (the tenant id), not an object",
                withMinimal("'ShardingValue': {'id': 5}"));
        assertOnlyProblem("ShardingValue = [5]: must be an integer or a string (the tenant id), not an array",
                withMinimal("'ShardingValue': [5]"));
        assertOnlyProblem("ShardingValue = 5.5: must be a whole number (the tenant id), or a string for a tenant id"
                + " that is not an integer", withMinimal("'ShardingValue': 5.5"));
        assertOnlyProblem("ShardingValue = 18446744073709551616: must fit a BIGINT (signed or unsigned); give a string"
                + " for a longer tenant id", withMinimal("'ShardingValue': 18446744073709551616"));
        assertOnlyProblem("ShardingKey = 5: must be a string, not a number", withMinimal("'ShardingKey': 5"));
    }

    @Test
    void aBadRegularExpressionNamesItsKeyIndexAndError() {
        List<String> problems = problems(withMinimal("'IgnoredTables': ['ok', '(unclosed', 3, '']"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("IgnoredTables[1] = \"(unclosed\": not a valid regular expression"
                + " (Unclosed group near index 9); fix it"), problems.get(0));
        assertEquals("IgnoredTables[2] = 3: must be a regular expression (a string), not a number", problems.get(1));
        assertEquals("IgnoredTables[3] = \"\": must not be empty (it would match every table); remove the entry",
                problems.get(2));
        assertOnlyProblem("IncludedTables[0] = \"[a-\": not a valid regular expression (Illegal character range near"
                + " index 3); fix it", withMinimal("'IncludedTables': ['[a-']"));
        assertOnlyProblem("IgnoredTables = \"logs\": must be an array of regular expressions on table names, not a"
                + " string", withMinimal("'IgnoredTables': 'logs'"));
    }

    @Test
    void ignoredAndIncludedTablesCannotBothBeSet() {
        assertOnlyProblem("IncludedTables: IgnoredTables and IncludedTables cannot both be set; keep one",
                withMinimal("'IgnoredTables': ['a'], 'IncludedTables': ['b']"));
    }

    @Test
    void databasesAndTablesAreRefusedWithWhatReplacesThem() {
        assertOnlyProblem("Databases: a shard config names its database with SourceDB and TargetDB; remove Databases",
                withMinimal("'Databases': {'Whitelist': ['shop']}"));
        assertOnlyProblem("Tables: a shard config selects its tables with IncludedTables or IgnoredTables (regular"
                + " expressions on table names); remove Tables", withMinimal("'Tables': {}"));
        assertOnlyProblem("DatabaseRewrites: a shard config renames its database with TargetDB; remove"
                + " DatabaseRewrites", withMinimal("'DatabaseRewrites': {'shop': 'shop2'}"));
    }

    @Test
    void theChecksumTableVerifierCannotVerifyATenant() {
        assertOnlyProblem("VerifierType = \"ChecksumTable\": ChecksumTable compares whole tables and cannot verify a"
                + " subset of rows; use Iterative or Inline", withMinimal("'VerifierType': 'checksumtable'"));
    }

    @Test
    void statsDIsRefusedUnlessEmpty() {
        assertOnlyProblem("StatsDAddress: StatsD is not supported; ferry exports the same timings as Prometheus metrics"
                + " on the control server's /metrics; remove StatsDAddress",
                withMinimal("'StatsDAddress': '127.0.0.1:8125'"));
    }

    @Test
    void unknownKeysAreRefusedAtEveryLevel() {
        assertOnlyProblem("ShardingKeys: unknown key; did you mean ShardingKey?", withMinimal("'ShardingKeys': 'x'"));
        assertOnlyProblem("JoinedTables.assets[0].JoinColum: unknown key; did you mean JoinColumn?",
                withMinimal("'JoinedTables': {'assets': [{'TableName': 't', 'JoinColumn': 'c', 'JoinColum': 'c'}]}"));
        assertOnlyProblem("ShardedCopyFilterConfig.IndexHnit: unknown key; did you mean IndexHint?",
                withMinimal("'ShardedCopyFilterConfig': {'IndexHnit': 'use'}"));
    }

    @Test
    void joinedTableEntriesNeedBothFields() {
        assertOnlyProblem("JoinedTables.assets[0].JoinColumn: required; give the join table's column that holds the"
                        + " primary key of assets's rows",
                withMinimal("'JoinedTables': {'assets': [{'TableName': 'assets_shops'}]}"));
        assertOnlyProblem("JoinedTables.assets[1].TableName = \"\": must not be empty; give the join table, which holds"
                        + " the sharding key",
                withMinimal("'JoinedTables': {'assets': [{'TableName': 'a', 'JoinColumn': 'c'},"
                        + " {'TableName': '', 'JoinColumn': 'c'}]}"));
        assertOnlyProblem("JoinedTables.assets = []: must be a non-empty array of the join tables that point at its"
                        + " rows, [{\"TableName\": ..., \"JoinColumn\": ...}]",
                withMinimal("'JoinedTables': {'assets': []}"));
        assertOnlyProblem("JoinedThroughTables.grants.JoinCondition: required; give the SQL condition joining the two"
                        + " tables, e.g. `a`.`x_id` = `b`.`x_id`",
                withMinimal("'JoinedThroughTables': {'grants': {'JoinTableName': 'api_permissions'}}"));
    }

    @Test
    void indexHintsAreNoneUseOrForceAndKeyedBySourceDb() {
        assertOnlyProblem("ShardedCopyFilterConfig.IndexHint = \"ignore\": must be one of none, use, force",
                withMinimal("'ShardedCopyFilterConfig': {'IndexHint': 'ignore'}"));
        assertOnlyProblem("ShardedCopyFilterConfig.IndexHintingPerTable.shop.orders.IndexHint = \"fast\": must be one"
                        + " of none, use, force",
                withMinimal("'ShardedCopyFilterConfig': {'IndexHintingPerTable': {'shop': {'orders': {'IndexHint': 'fast'}}}}"));
        assertOnlyProblem("ShardedCopyFilterConfig.IndexHintingPerTable.blog: the move reads only SourceDB \"shop\"; key"
                        + " the tables under \"shop\" or remove the entry",
                withMinimal("'ShardedCopyFilterConfig': {'IndexHintingPerTable': {'blog': {'posts': {'IndexHint': 'none'}}}}"));
        assertEquals(IndexHint.NONE, parse(withMinimal("'ShardedCopyFilterConfig': {'IndexHint': 'NONE'}")).sharding()
                .indexHint());
    }

    @Test
    void shardVerifierKeysThatContradictOrCannotApplyAreProblems() {
        assertOnlyProblem("IgnoredVerificationTables: the Inline verifier checks every table it copies; set"
                        + " \"VerifierType\": \"Iterative\" to skip tables, or remove IgnoredVerificationTables",
                withMinimal("'VerifierType': 'Inline', 'IgnoredVerificationTables': ['events']"));
        assertOnlyProblem("VerifierIterationConcurrency = 6: differs from IterativeVerifierConfig.Concurrency = 3; set"
                + " only one", withMinimal("'VerifierIterationConcurrency': 6, 'IterativeVerifierConfig': {'Concurrency': 3}"));
        assertOnlyProblem("MaxExpectedVerifierDowntime = \"30s\": differs from IterativeVerifierConfig"
                        + ".MaxExpectedDowntime = 60s; set only one",
                withMinimal("'MaxExpectedVerifierDowntime': '30s', 'IterativeVerifierConfig': {'MaxExpectedDowntime': '1m'}"));
        assertOnlyProblem("MaxExpectedVerifierDowntime = \"soon\": must be a duration such as \"30s\", \"1m30s\" or"
                + " \"500ms\"", withMinimal("'MaxExpectedVerifierDowntime': 'soon'"));
        assertOnlyProblem("VerifierIterationConcurrency = 0.5: must be a whole number",
                withMinimal("'VerifierIterationConcurrency': 0.5"));
        assertOnlyProblem("IgnoredVerificationColumns.products = \"a\": must be an array of column names, not a string",
                withMinimal("'IgnoredVerificationColumns': {'products': 'a'}"));
    }

    @Test
    void systemDatabasesCannotHoldATenant() {
        assertOnlyProblem("SourceDB = \"mysql\": a system database cannot hold a tenant; name the application's"
                + " database", withMinimal("'SourceDB': 'mysql'"));
    }

    @Test
    void copydbProblemsAreStillReported() {
        assertOnlyProblem("Source.Port = 0: must be between 1 and 65535",
                json("{'Source': {'Host': 'src', 'User': 'u', 'Port': 0}, 'Target': {'Host': 'tgt', 'User': 'u'},"
                        + " 'ShardingKey': 'shop_id', 'ShardingValue': 5, 'SourceDB': 'shop'}"));
        assertOnlyProblem("TablesToBeCreatedFirst[0] = \"blog.posts\": not selected by the Databases/Tables filters;"
                + " remove it or select it", withMinimal("'TablesToBeCreatedFirst': ['blog.posts']"));
    }

    @Test
    void everyProblemIsReportedInOneException() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json("""
                {'Source': {'Host': 'src', 'User': 'u'},
                 'ShardingValue': false, 'SourceDB': 'shop',
                 'Databases': {'Whitelist': ['shop']},
                 'IgnoredTables': ['('], 'IncludedTables': ['x'],
                 'JoinedTables': {'assets': [{'TableName': 'assets_shops'}]},
                 'VerifierType': 'ChecksumTable', 'StatsDAddress': 'localhost:8125', 'Colour': 'blue'}
                """)));
        List<String> problems = e.problems();
        assertEquals(10, problems.size(), String.join("\n", problems));
        assertTrue(e.getMessage().startsWith("invalid configuration (10 problems):"), e.getMessage());
        for (String key : List.of("Target", "ShardingKey", "ShardingValue", "Databases", "IgnoredTables[0]",
                "JoinedTables.assets[0].JoinColumn", "VerifierType", "StatsDAddress", "Colour")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key)), key + " in " + problems);
        }
    }

    @Test
    void emptyAndMalformedFilesAreExplainedAsForCopydb() {
        assertOnlyProblem("config: the file is empty; write a JSON object with at least Source and Target", "");
        assertOnlyProblem("config = []: must be a JSON object, not an array; wrap the settings in { }", "[]");
    }

    @Test
    void theRecordRefusesBothTableLists() {
        assertThrows(IllegalArgumentException.class, () -> new ShardingConfig("k", "1", true, "db", null, Map.of(),
                Map.of(), List.of(), List.of(Pattern.compile("a")), List.of(Pattern.compile("b")), null, Map.of()));
        ShardingConfig s = new ShardingConfig("k", "1", true, "db", null, Map.of(), Map.of(), List.of(), List.of(),
                List.of(), null, Map.of());
        assertEquals("db", s.targetDb());
        assertEquals(IndexHint.USE, s.indexHint());
    }
}

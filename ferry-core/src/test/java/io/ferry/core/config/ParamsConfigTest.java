package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.core.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Params} read as Ghostferry's Go driver reads its DSN parameters: driver options, ignored ones, session variables. */
class ParamsConfigTest {
    private static DatabaseConfig source(String params) {
        return parse(params).source();
    }

    private static CopydbConfig parse(String params) {
        String json = ("{'Source': {'Host': 'src', 'User': 'u', " + params + "}, 'Target': {'Host': 'tgt', 'User': 'u'}}")
                .replace('\'', '"');
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static List<String> problems(String params) {
        return assertThrows(ConfigException.class, () -> parse(params)).problems();
    }

    @Test
    void ghostferrysExampleCharsetIsTheConnectionCharacterSetNotASessionVariable() {
        DatabaseConfig db = source("'Collation': 'utf8mb4_unicode_ci', 'Params': {'charset': 'utf8mb4'}");
        assertEquals(List.of("utf8mb4"), db.driver().charsets());
        assertEquals("utf8mb4_unicode_ci", db.collation());
        assertEquals(Map.of(), db.params());
    }

    @Test
    void aCharsetListIsKeptInOrderForTheFirstThatWorks() {
        assertEquals(List.of("utf8mb4", "utf8"), source("'Params': {'charset': 'utf8mb4, utf8'}").driver().charsets());
        assertEquals(List.of("Source.Params.charset = \"utf8mb4;x\": must be a character set name, or several separated"
                + " by commas (the first the server knows is used), e.g. utf8mb4"), problems("'Params': {'charset': 'utf8mb4;x'}"));
    }

    @Test
    void driverTimeoutsAreGoDurationsAndMeanTheSameAsReadTimeoutAndWriteTimeout() {
        DatabaseConfig db = source("'Params': {'timeout': '2.5s', 'readTimeout': '90s', 'writeTimeout': '1m30s'}");
        assertEquals(Duration.ofMillis(2500), db.driver().connectTimeout());
        assertEquals(Duration.ofSeconds(90), db.readTimeout());
        assertEquals(Duration.ofSeconds(90), db.writeTimeout());
        assertEquals(Map.of(), db.params());
        // Given twice, the two must agree.
        assertEquals(Duration.ofSeconds(90), source("'ReadTimeout': 90, 'Params': {'readTimeout': '1m30s'}").readTimeout());
        assertNull(source("'Params': {'readTimeout': '0'}").readTimeout());
        assertEquals(List.of("Source.Params.timeout = \"10\": must be a Go duration such as 30s, 1m30s or 500ms",
                        "Source.Params.readTimeout = \"30s\": differs from Source.ReadTimeout = 90 (seconds); keep one of them"),
                problems("'ReadTimeout': 90, 'Params': {'readTimeout': '30s', 'timeout': '10'}"));
    }

    @Test
    void collationInParamsIsCollationAndMustAgreeWithIt() {
        assertEquals("latin1_bin", source("'Params': {'collation': 'latin1_bin'}").collation());
        assertEquals(List.of("Source.Params.collation = \"latin1_bin\": differs from Source.Collation = utf8mb4_bin;"
                + " keep one of them"), problems("'Collation': 'utf8mb4_bin', 'Params': {'collation': 'latin1_bin'}"));
    }

    @Test
    void tlsTakesTheGoDriversValues() {
        assertEquals(DriverOptions.Tls.DISABLED, source("'Params': {'tls': 'false'}").driver().tls());
        assertEquals(DriverOptions.Tls.REQUIRED, source("'Params': {'tls': 'skip-verify'}").driver().tls());
        assertEquals(DriverOptions.Tls.PREFERRED, source("'Params': {'tls': 'preferred'}").driver().tls());
        assertEquals(DriverOptions.Tls.VERIFY_IDENTITY, source("'Params': {'tls': 'true'}").driver().tls());
        assertEquals(DriverOptions.Tls.VERIFY_IDENTITY, source("'Params': {'tls': '1'}").driver().tls());
        assertEquals(List.of("Source.Params.tls = \"custom\": must be true, false, skip-verify or preferred (a TLS config"
                + " registered by name exists only in Go code: give the CA file in the TLS section instead,"
                + " {\"CertPath\": ..., \"ServerName\": ...})"), problems("'Params': {'tls': 'custom'}"));
        assertEquals(List.of("Source.Params.tls = \"false\": contradicts the TLS section, which verifies the server's"
                + " certificate; keep one of them"), problems("'TLS': {'ServerName': 'db'}, 'Params': {'tls': 'false'}"));
    }

    @Test
    void packetSizeCompressionAndConnectionAttributesAreDriverOptions() {
        DriverOptions d = source("'Params': {'maxAllowedPacket': '0', 'compress': 'true',"
                + " 'connectionAttributes': 'app:shop,team:db'}").driver();
        assertEquals(0L, d.maxAllowedPacket());
        assertEquals(true, d.compress());
        assertEquals("app:shop,team:db", d.connectionAttributes());
        assertNull(DriverOptions.NONE.maxAllowedPacket());
        assertEquals(List.of("Source.Params.maxAllowedPacket = \"-1\": must be a number of bytes from 0 (ask the server)"
                        + " to 1073741824",
                        "Source.Params.connectionAttributes = \"app\": must be key:value pairs separated by commas, e.g."
                        + " app:shop,team:db"),
                problems("'Params': {'maxAllowedPacket': '-1', 'connectionAttributes': 'app'}"));
    }

    @Test
    void optionsThatOnlyChangeGoValuesAreAcceptedAndIgnoredWhenGoWouldAcceptThem() {
        DatabaseConfig db = source("'Params': {'parseTime': 'true', 'loc': 'Local', 'interpolateParams': 'true',"
                + " 'multiStatements': 'true', 'clientFoundRows': 'false', 'columnsWithAlias': 'false',"
                + " 'checkConnLiveness': 'true', 'rejectReadOnly': 'true', 'timeTruncate': '1s'}");
        assertEquals(Map.of(), db.params());
        assertEquals(DriverOptions.NONE, db.driver());
        assertEquals(List.of("Source.Params.parseTime = \"maybe\": must be true or false",
                        "Source.Params.loc = \"Mars/Olympus\": must be Local, UTC or a time zone name such as Europe/Berlin"),
                problems("'Params': {'parseTime': 'maybe', 'loc': 'Mars/Olympus'}"));
        assertEquals(List.of("Source.Params.allowOldPasswords = \"true\": pre-4.1 password hashes are not supported by"
                + " ferry's driver; give the user a mysql_native_password or caching_sha2_password password and remove"
                + " allowOldPasswords"), problems("'Params': {'allowOldPasswords': 'true'}"));
    }

    @Test
    void everyOtherKeyIsASessionVariable() {
        assertEquals(Map.of("lock_wait_timeout", "77", "lc_time_names", "de_DE"),
                source("'Params': {'lock_wait_timeout': '77', 'lc_time_names': 'de_DE'}").params());
    }

    @Test
    void ghostferrysOwnForcedValuesMayBeRepeatedAndFerrysApply() {
        DatabaseConfig db = ConfigLoader.parse("""
                {"Source": {"Host": "s", "User": "u",
                            "Params": {"time_zone": "'+00:00'", "sql_mode": "'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES'"}},
                 "Target": {"Host": "t", "User": "u"}}""", Map.of(), Path.of(".")).source();
        assertEquals(Map.of(), db.params());
    }

    @Test
    void whatContradictsFerrysSessionIsRefusedNamingTheKey() {
        List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                {"Source": {"Host": "s", "User": "u", "Params": {"time_zone": "'+08:00'", "character_set_results": "utf8mb4",
                            "autocommit": "0"}},
                 "Target": {"Host": "t", "User": "u", "Params": {"foreign_key_checks": "1", "sql_mode": "'ANSI'"}}}""",
                Map.of(), Path.of("."))).problems();
        assertEquals(List.of(
                "Source.Params.time_zone = \"'+08:00'\": ferry sets time_zone to '+00:00' itself on every connection"
                        + " (values are copied as exact text); remove it from Params",
                "Source.Params.character_set_results = \"utf8mb4\": ferry reads values as the server stores them and"
                        + " chooses the connection character set itself; to change it use \"charset\" (and \"collation\")"
                        + " instead of character_set_results",
                "Source.Params.autocommit = \"0\": ferry commits its own transactions and needs autocommit on between"
                        + " them; remove it from Params",
                "Target.Params.foreign_key_checks = \"1\": ferry writes the target with foreign_key_checks=0 (rows"
                        + " arrive in key order, not in foreign-key order); remove it or set it to 0",
                "Target.Params.sql_mode = \"'ANSI'\": ferry sets sql_mode to"
                        + " 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION' itself on every connection"
                        + " (values are copied as exact text); remove it from Params"), problems);
    }
}

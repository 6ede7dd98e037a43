package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verification keys: VerifierType, the two verifier sections and the per-table verification maps. */
class VerificationConfigTest {
    private static CopydbConfig parse(String extra) {
        String json = "{\"Source\": {\"Host\": \"s\", \"User\": \"u\"}, \"Target\": {\"Host\": \"t\", \"User\": \"u\"}"
                + (extra.isEmpty() ? "" : ", " + extra.replace('\'', '"')) + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String problems(String extra) {
        return assertThrows(ConfigException.class, () -> parse(extra)).getMessage();
    }

    @Test
    void theInlineVerifierRunsUnlessTurnedOff() {
        assertEquals(VerificationConfig.Type.INLINE, parse("").verification().type());
        assertEquals(VerificationConfig.Type.NO_VERIFICATION, parse("'VerifierType': 'NoVerification'").verification().type());
        // Ghostferry spells "no verifier" as an empty VerifierType; such configs keep their meaning.
        assertEquals(VerificationConfig.Type.NO_VERIFICATION, parse("'VerifierType': ''").verification().type());
    }

    @Test
    void everyKeyIsRead() {
        VerificationConfig v = parse("""
                'VerifierType': 'iterative',
                'IterativeVerifierConfig': {'IgnoredTables': ['logs'], 'IgnoredColumns': {'users': ['seen_at']},
                  'Concurrency': 8, 'MaxExpectedDowntime': '1m30s', 'TableColumnCompression': {'books': {'body': 'snappy'}}},
                'InlineVerifierConfig': {'MaxExpectedDowntime': '', 'VerifyBinlogEventsInterval': '250ms'},
                'IgnoredColumnsForVerification': {'shop': {'users': {'updated_at': {}}}},
                'CompressedColumnsForVerification': {'shop': {'pages': {'html': 'SNAPPY'}}},
                'ForceIndexForVerification': {'shop': {'users': 'by_email'}},
                'SkipTargetVerification': true""").verification();
        assertEquals(VerificationConfig.Type.ITERATIVE, v.type());
        assertEquals(new VerificationConfig.Iterative(List.of("logs"), Map.of("users", Set.of("seen_at")), 8,
                Duration.ofSeconds(90), Map.of("books", Map.of("body", "SNAPPY"))), v.iterative());
        assertEquals(new VerificationConfig.Inline(null, Duration.ofMillis(250)), v.inline());
        TableId users = new TableId("shop", "users");
        assertEquals(Set.of("seen_at", "updated_at"), v.ignoredColumnsOf(users));
        assertEquals(Map.of("body", "SNAPPY"), v.compressedColumnsOf(new TableId("shop", "books")));
        assertEquals(Map.of("html", "SNAPPY"), v.compressedColumnsOf(new TableId("shop", "pages")));
        assertEquals("by_email", v.forcedIndexOf(users).orElseThrow());
        assertTrue(!v.verifies(new TableId("any", "logs")) && v.verifies(users));
        assertEquals(Duration.ofSeconds(90), v.maxExpectedDowntime());
        assertTrue(!v.verifyTarget(), "SkipTargetVerification: true");
    }

    @Test
    void iterativeSettingsApplyOnlyToTheIterativeVerifier() {
        VerificationConfig v = parse("'VerifierType': 'Inline', 'IterativeVerifierConfig': {'IgnoredTables': ['logs'], "
                + "'IgnoredColumns': {'users': ['seen_at']}}").verification();
        assertTrue(v.verifies(new TableId("shop", "logs")));
        assertEquals(Set.of(), v.ignoredColumnsOf(new TableId("shop", "users")));
        assertNull(v.maxExpectedDowntime());
    }

    @Test
    void zeroConcurrencyMeansTheDefaultAsInGo() {
        assertEquals(VerificationConfig.Iterative.DEFAULT_CONCURRENCY,
                parse("'IterativeVerifierConfig': {'Concurrency': 0}").verification().iterative().concurrency());
    }

    @Test
    void mistakesAreReportedWithTheirPath() {
        String message = problems("""
                'VerifierType': 'Checksum',
                'IterativeVerifierConfig': {'MaxExpectedDowntime': '5 minutes', 'Concurency': 2},
                'InlineVerifierConfig': {'VerifyBinlogEventsInterval': '0'},
                'CompressedColumnsForVerification': {'shop': {'pages': {'html': 'GZIP'}}},
                'ForceIndexForVerification': {'shop': {'users': 3}}""");
        for (String expected : List.of(
                "VerifierType = \"Checksum\": must be one of ChecksumTable, Iterative, Inline, NoVerification",
                "IterativeVerifierConfig.MaxExpectedDowntime = \"5 minutes\": must be a duration",
                "IterativeVerifierConfig.Concurency: unknown key; did you mean Concurrency?",
                "InlineVerifierConfig.VerifyBinlogEventsInterval = \"0\": must be positive",
                "CompressedColumnsForVerification.shop.pages.html = \"GZIP\": unsupported compression",
                "ForceIndexForVerification.shop.users = 3: must be an index name")) {
            assertTrue(message.contains(expected), expected + " not in:\n" + message);
        }
    }

    @Test
    void onlyAnExplicitFalseSkipTargetVerificationTurnsTheTargetVerifierOn() {
        assertTrue(ConfigLoader.parse("""
                {"Source": {"Host": "s", "User": "u"}, "Target": {"Host": "t", "User": "u"},
                 "SkipTargetVerification": false}""", java.util.Map.of(), java.nio.file.Path.of(".")).verification()
                .verifyTarget());
        assertTrue(!ConfigLoader.parse("""
                {"Source": {"Host": "s", "User": "u"}, "Target": {"Host": "t", "User": "u"}}""", java.util.Map.of(),
                java.nio.file.Path.of(".")).verification().verifyTarget(), "absent: off, as configs written before");
    }
}

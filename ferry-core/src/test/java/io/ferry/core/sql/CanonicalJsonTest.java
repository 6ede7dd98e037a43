package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static String canonical(String json) {
        return CanonicalJson.of(json).orElseThrow(() -> new AssertionError("not valid: " + json));
    }

    @Test
    void mySqlsAndMariaDbsTextOfOneDocumentAreOneText() {
        // The same row as MySQL prints its JSON type and as MariaDB keeps the inserted text (checked on both servers).
        String mysql = "{\"a\": 100.0, \"b\": [1, 2.5, \"x\", true, null], \"long\": 12345678901234567890}";
        String mariadb = "{\"b\": [1, 2.5, \"x\", true, null], \"a\": 1e2, \"long\": 12345678901234567890}";
        assertEquals(canonical(mysql), canonical(mariadb));
        assertEquals("{\"a\":1e2,\"b\":[1e0,25e-1,\"x\",true,null],\"long\":1234567890123456789e1}", canonical(mysql));
    }

    @Test
    void numbersAreComparedAsExactDecimals() {
        assertEquals(canonical("1"), canonical("1.000"));
        assertEquals(canonical("0"), canonical("-0.0"));
        assertEquals(canonical("[1.5E3]"), canonical("[1500]"));
        // A number MySQL's doubles could not hold keeps its digits, so the loss shows as a difference.
        assertNotEquals(canonical("0.12345678901234567890"), canonical("0.12345678901234568"));
        assertNotEquals(canonical("18446744073709551616"), canonical("1.8446744073709552e19"));
    }

    @Test
    void keysAreSortedStablyAndDuplicatesKept() {
        assertEquals("{\"a\":1e0,\"a\":2e0,\"b\":{\"c\":null,\"d\":[]}}",
                canonical("{\"b\": {\"d\": [], \"c\": null}, \"a\": 1, \"a\": 2}"));
        // Kept duplicates differ from the single member MySQL keeps of them.
        assertNotEquals(canonical("{\"a\": 2}"), canonical("{\"a\": 1, \"a\": 2}"));
    }

    @Test
    void stringsUseTheFewestEscapes() {
        assertEquals(canonical("\"é\\\"\\\\\\u0001\""), canonical("\"\\u00e9\\\"\\\\\\u0001\""));
        assertEquals("\"é\\\"\\\\\\u0001/\"", canonical("\"\\u00e9\\\"\\\\\\u0001\\/\""));
        assertEquals("\"😀\"", canonical("\"\\ud83d\\ude00\""));
    }

    @Test
    void scalarsAtTheTopLevelAndInvalidText() {
        assertEquals("\"str\"", canonical(" \"str\" "));
        assertEquals("null", canonical("null"));
        assertEquals(Optional.empty(), CanonicalJson.of("{\"a\": 1"));
        assertEquals(Optional.empty(), CanonicalJson.of("[1] [2]"));
        assertEquals(Optional.empty(), CanonicalJson.of("NaN"));
        assertTrue(CanonicalJson.of("").isEmpty());
    }
}

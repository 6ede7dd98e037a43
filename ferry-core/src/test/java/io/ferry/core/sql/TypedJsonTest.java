package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.sql.TypedJson.Scalar;
import io.ferry.core.sql.TypedJson.Step;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed row form of MySQL JSON values and the expressions that rebuild them (checked on servers by JsonTypesIT). */
class TypedJsonTest {
    private static final ColumnSchema JSON = new ColumnSchema("j", 1, "json", "json", false, true, null, null, -1, -1,
            false, false, List.of());

    private static byte[] typed(String text, Scalar... scalars) {
        return TypedJson.of(text.getBytes(StandardCharsets.UTF_8), List.of(scalars));
    }

    private static String mysql(byte[] value) {
        return new SqlLiterals(ServerFlavor.MYSQL).literal(JSON, value);
    }

    private static String hex(String s) {
        return Sql.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValueWithoutTypedScalarsStaysPlainText() {
        byte[] text = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertSame(text, TypedJson.of(text, List.of()));
        assertFalse(TypedJson.isTyped(text));
        assertEquals("CAST(_utf8mb4 X'" + hex("{\"a\": 1}") + "' AS JSON)", mysql(text));
    }

    @Test
    void theTypedFormKeepsTextAndPaths() {
        var scalars = List.of(new Scalar(List.of(new Step.Key("a"), new Step.Index(2)), "DECIMAL"),
                new Scalar(List.of(new Step.Key("k\"\u00e9")), "DATE"));
        byte[] value = TypedJson.of("{\"a\": [1, 2, 3.50], \"k\\\"\u00e9\": \"2001-01-01\"}".getBytes(StandardCharsets.UTF_8),
                scalars);
        assertTrue(TypedJson.isTyped(value));
        assertArrayEquals("{\"a\": [1, 2, 3.50], \"k\\\"\u00e9\": \"2001-01-01\"}".getBytes(StandardCharsets.UTF_8),
                TypedJson.text(value));
        assertEquals(scalars, TypedJson.scalars(value));
    }

    @Test
    void onlyThePathsToTypedScalarsAreRebuiltFunctionByFunction() {
        byte[] value = typed("{\"a\": [1, 3.50], \"b\": {\"c\": \"x\"}}",
                new Scalar(List.of(new Step.Key("a"), new Step.Index(1)), "DECIMAL"));
        assertEquals("JSON_OBJECT(_utf8mb4 X'61', JSON_ARRAY(CAST(_utf8mb4 X'31' AS JSON), CAST('3.50' AS DECIMAL(3,2))),"
                + " _utf8mb4 X'62', CAST(_utf8mb4 X'" + hex("{\"c\": \"x\"}") + "' AS JSON))", mysql(value));
    }

    @Test
    void aTypedScalarValueIsWrappedIntoJson() {
        assertEquals("JSON_EXTRACT(JSON_ARRAY(CAST('2001-01-01' AS DATE)), '$[0]')",
                mysql(typed("\"2001-01-01\"", new Scalar(List.of(), "DATE"))));
        assertEquals("JSON_EXTRACT(JSON_ARRAY(CAST(18446744073709551615 AS UNSIGNED)), '$[0]')",
                mysql(typed("18446744073709551615", new Scalar(List.of(), "UNSIGNED INTEGER"))));
        assertEquals("JSON_EXTRACT(JSON_ARRAY((SELECT JSON_EXTRACT(JSON_ARRAY(ferry_t.ferry_c), '$[0]') FROM JSON_TABLE("
                + "'[5]', '$[*]' COLUMNS (ferry_c BIT(8) PATH '$')) AS ferry_t)), '$[0]')",
                mysql(typed("\"base64:type16:BQ==\"", new Scalar(List.of(), "BIT"))));
    }

    @Test
    void textThatDoesNotHaveItsTypesShapeIsRefused() {
        var injected = typed("[\"2001-01-01'); DROP TABLE t; --\"]", new Scalar(List.of(new Step.Index(0)), "DATE"));
        var e = assertThrows(IllegalArgumentException.class, () -> mysql(injected));
        assertTrue(e.getMessage().contains("column j") && e.getMessage().contains("unexpected form"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mysql(typed("[1]", new Scalar(List.of(new Step.Index(1)),
                "DECIMAL"))), "a path beyond the array");
        assertThrows(IllegalArgumentException.class, () -> mysql(typed("[1]", new Scalar(List.of(), "DECIMAL"))),
                "a path to a container");
        assertThrows(IllegalArgumentException.class, () -> mysql(typed("\"x\"", new Scalar(List.of(), "GEOMETRY"))));
        assertThrows(IllegalArgumentException.class, () -> mysql(typed("\"base64:type255:AA==\"",
                new Scalar(List.of(), "OPAQUE"))), "a field type SQL cannot produce");
    }

    @Test
    void aJsonTimeMySqlWouldStoreWronglyIsRefused() {
        assertEquals("JSON_EXTRACT(JSON_ARRAY(CAST('-31:59:59.000000' AS TIME(6))), '$[0]')",
                mysql(typed("\"-31:59:59.000000\"", new Scalar(List.of(), "TIME"))));
        var e = assertThrows(IllegalArgumentException.class,
                () -> mysql(typed("\"32:00:00.000000\"", new Scalar(List.of(), "TIME"))));
        assertTrue(e.getMessage().contains("32 hours"), e.getMessage());
    }

    @Test
    void aMariaDbTargetGetsTheText() {
        byte[] value = typed("[1.50]", new Scalar(List.of(new Step.Index(0)), "DECIMAL"));
        assertEquals("_utf8mb4 X'" + hex("[1.50]") + "'", new SqlLiterals(ServerFlavor.MARIADB).literal(JSON, value));
    }
}

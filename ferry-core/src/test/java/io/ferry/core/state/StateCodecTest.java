package io.ferry.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private static final ColumnSchema UNSIGNED_ID = column("id", "bigint", "bigint(20) unsigned", true, null);
    private static final ColumnSchema SIGNED = column("n", "int", "int(11)", false, null);
    private static final ColumnSchema UUID = column("uuid", "varbinary", "varbinary(16)", false, null);
    private static final ColumnSchema NAME = column("name", "varchar", "varchar(20)", false, "latin1");

    private static ColumnSchema column(String name, String type, String columnType, boolean unsigned, String charset) {
        return new ColumnSchema(name, 1, type, columnType, unsigned, false, charset,
                charset == null ? null : charset + "_bin", 20, -1, false, false, List.of());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static RunState state(Map<TableId, List<RangeState>> progress, Map<TableId, TableSchema> cache) {
        return new RunState(RunState.FORMAT_VERSION, "ferry 0.1.0", Instant.parse("2026-01-02T03:04:05Z"),
                new SourceIdentity("127.0.0.1:29291", "db1", 29291, 7), Set.of(TableId.parse("a.t"), TableId.parse("a.u")),
                false, cache, progress, Set.of(TableId.parse("a.done")),
                new ResumablePosition(new BinlogPosition("bin.000012", 4096), new BinlogPosition("bin.000012", 3000)),
                ResumablePosition.NONE, "{\"a\":{\"t\":{\"1\":1}}}");
    }

    @Test
    void keysRoundTripExactlyForEveryShape() {
        var max = PaginationKey.of(List.of(UNSIGNED_ID), List.of(ascii("18446744073709551615")));
        var negative = PaginationKey.of(List.of(SIGNED), List.of(ascii("-2147483648")));
        byte[] uuid = {0, -1, 0x10, 0x20, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0};
        var binary = PaginationKey.of(List.of(UUID), List.<byte[]>of(uuid));
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9}; // not UTF-8: kept as hex
        var composite = PaginationKey.of(List.of(NAME, SIGNED, UUID), List.of(latin1, ascii("0"), new byte[0]));
        var t = TableId.parse("a.t");
        var u = TableId.parse("a.u");
        var original = state(Map.of(
                t, List.of(new RangeState(null, max, negative, false)),
                u, List.of(new RangeState(null, binary, binary, true), new RangeState(binary, composite, null, false))), null);

        String json = StateCodec.toJson(original);
        RunState back = StateCodec.fromJson(json);

        assertEquals(original, back);
        List<RangeState> ranges = back.copyProgress().get(u);
        assertArrayEquals(uuid, ranges.get(0).upTo().values().getFirst());
        assertArrayEquals(latin1, ranges.get(1).upTo().values().getFirst());
        assertArrayEquals(new byte[0], ranges.get(1).upTo().values().get(2));
        var o = JsonParser.parseString(json).getAsJsonObject();
        var upTo = o.getAsJsonObject("CopyRanges").getAsJsonArray("a.t").get(0).getAsJsonObject().getAsJsonObject("UpTo");
        assertEquals("uint64", upTo.get("type").getAsString());
        assertEquals("18446744073709551615", upTo.get("value").getAsJsonPrimitive().getAsBigInteger().toString(),
                "unsigned keys are exact JSON integers");
        assertTrue(upTo.get("value").getAsJsonPrimitive().isNumber());
        assertEquals("binary", o.getAsJsonObject("CopyRanges").getAsJsonArray("a.u").get(0).getAsJsonObject()
                .getAsJsonObject("UpTo").get("type").getAsString());
        assertTrue(o.getAsJsonObject("CopyRanges").getAsJsonArray("a.u").get(1).getAsJsonObject().get("UpTo").isJsonArray(),
                "a composite key is an ordered tuple");
        assertEquals("-2147483648", o.getAsJsonObject("LastSuccessfulPaginationKeys").getAsJsonObject("a.t")
                .get("value").getAsString(), "one-range tables also carry Ghostferry's last key");
    }

    @Test
    void schemaCachePositionsAndVerifierStoreRoundTrip() {
        var id = TableId.parse("a.t");
        var schema = new TableSchema(id, List.of(UNSIGNED_ID, NAME), List.of("id"), List.of(List.of("name")));
        RunState original = state(Map.of(), Map.of(id, schema));
        RunState back = StateCodec.fromJson(StateCodec.toJson(original));
        assertEquals(schema, back.schemaCache().get(id));
        assertEquals(original.applierPosition(), back.applierPosition());
        assertEquals("{\"a\":{\"t\":{\"1\":1}}}", back.verifyStore());
        assertNull(StateCodec.fromJson(StateCodec.toJson(original.withoutSchemaCache())).schemaCache());
    }

    @Test
    void aPendingSchemaChangeAndAReverifyStoreRoundTrip() {
        RunState s = state(Map.of(), null);
        var ddlAt = new ResumablePosition(new BinlogPosition("bin.000013", 777), new BinlogPosition("bin.000013", 777));
        String store = StateCodec.reverifyStoreToJson(Map.of("a.t", List.of("3132", "33"), "a.u", List.of("00ff")));
        var pending = new PendingSchemaChange(ddlAt, "ALTER TABLE `a`.`t` ADD COLUMN x INT", List.of(TableId.parse("a.t")));
        var original = new RunState(1, "v", s.savedAt(), s.source(), s.tables(), false, null, Map.of(), Set.of(),
                s.applierPosition(), ddlAt, store, pending);
        RunState back = StateCodec.fromJson(StateCodec.toJson(original));
        assertEquals(original, back);
        assertEquals(pending, back.pendingSchemaChange());
        assertEquals(Map.of("a.t", List.of("3132", "33"), "a.u", List.of("00ff")),
                StateCodec.reverifyStoreFromJson(back.verifyStore()));
        assertNull(StateCodec.fromJson(StateCodec.toJson(s)).pendingSchemaChange());
    }

    @Test
    void theLowerBinlogPositionOfApplierAndVerifierIsWhereStreamingResumes() {
        var applier = new ResumablePosition(new BinlogPosition("bin.000012", 500), new BinlogPosition("bin.000012", 400));
        var verifier = ResumablePosition.at(new BinlogPosition("bin.000011", 90000));
        RunState s = state(Map.of(), null);
        var both = new RunState(1, "v", s.savedAt(), s.source(), s.tables(), false, null, Map.of(), Set.of(), applier,
                verifier, null);
        assertEquals(verifier, both.minBinlogPosition());
        var applierOnly = new RunState(1, "v", s.savedAt(), s.source(), s.tables(), false, null, Map.of(), Set.of(),
                applier, ResumablePosition.NONE, null);
        assertEquals(applier, applierOnly.minBinlogPosition());
    }

    @Test
    void foreignOrDamagedStatesAreRefusedSayingWhy() {
        assertEquals("invalid configuration: resume state has format version 9 (written by ferry 9.0), this ferry reads"
                        + " version 1; resume with the ferry version that wrote it",
                assertThrows(ConfigException.class, () -> StateCodec.fromJson(
                        "{\"FerryStateVersion\": 9, \"GhostferryVersion\": \"ferry 9.0\"}")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> StateCodec.fromJson("{\"GhostferryVersion\": \"1.1.0\"}"))
                .getMessage().contains("has no FerryStateVersion (GhostferryVersion 1.1.0)"));
        assertTrue(assertThrows(ConfigException.class, () -> StateCodec.fromJson("not json {"))
                .getMessage().contains("is not valid JSON"));
        String damaged = StateCodec.toJson(state(Map.of(), null)).replace("\"Tables\"", "\"Tablez\"");
        assertTrue(assertThrows(ConfigException.class, () -> StateCodec.fromJson(damaged)).getMessage()
                .contains("is damaged"));
    }
}

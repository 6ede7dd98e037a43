package io.ferry.core.state;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes and reads {@link RunState} as JSON. Field names follow Ghostferry's state dump where one exists
 * ({@code GhostferryVersion}, {@code LastKnownTableSchemaCache}, {@code LastSuccessfulPaginationKeys},
 * {@code CompletedTables}, {@code LastWrittenBinlogPosition}, {@code LastStoredBinlogPositionForInlineVerifier},
 * {@code BinlogVerifyStore}); ferry adds {@code FerryStateVersion}, {@code SavedAt}, {@code Source}, {@code Tables},
 * {@code IterateInDescendingOrder}, {@code CopyRanges} (per-range progress) and {@code PendingSchemaChange} (a
 * replicated DDL saved as about to run). A key is written as
 * {@code {"column": "id", "type": "uint64", "value": 200}}, a composite key as an array of those in key order;
 * integers are exact JSON numbers of any size. Binlog positions are pairs
 * {@code {"EventPosition": {"Name", "Pos"}, "ResumePosition": {"Name", "Pos"}}}.
 */
public final class StateCodec {
    private StateCodec() {
    }

    public static String toJson(RunState s) {
        var o = new JsonObject();
        o.addProperty("FerryStateVersion", s.formatVersion());
        o.addProperty("GhostferryVersion", s.ferryVersion());
        o.addProperty("SavedAt", s.savedAt().toString());
        var source = new JsonObject();
        source.addProperty("Address", s.source().address());
        source.addProperty("Hostname", s.source().hostname());
        source.addProperty("Port", s.source().port());
        source.addProperty("ServerId", s.source().serverId());
        o.add("Source", source);
        var tables = new JsonArray();
        s.tables().forEach(t -> tables.add(t.toString()));
        o.add("Tables", tables);
        o.addProperty("IterateInDescendingOrder", s.descending());
        o.add("LastKnownTableSchemaCache", s.schemaCache() == null ? JsonNull.INSTANCE : SchemaCacheJson.write(s.schemaCache()));
        var lastKeys = new JsonObject();
        var ranges = new JsonObject();
        s.copyProgress().forEach((t, rs) -> {
            if (rs.size() == 1 && rs.getFirst().lastCopied() != null) {
                lastKeys.add(t.toString(), key(rs.getFirst().lastCopied()));
            }
            var array = new JsonArray();
            for (RangeState r : rs) {
                array.add(range(r));
            }
            ranges.add(t.toString(), array);
        });
        o.add("LastSuccessfulPaginationKeys", lastKeys);
        o.add("CopyRanges", ranges);
        var completed = new JsonObject();
        s.completedTables().forEach(t -> completed.addProperty(t.toString(), true));
        o.add("CompletedTables", completed);
        o.add("LastWrittenBinlogPosition", position(s.applierPosition()));
        o.add("LastStoredBinlogPositionForInlineVerifier", position(s.inlineVerifierPosition()));
        o.add("BinlogVerifyStore", s.verifyStore() == null ? JsonNull.INSTANCE : JsonParser.parseString(s.verifyStore()));
        o.add("PendingSchemaChange", s.pendingSchemaChange() == null ? JsonNull.INSTANCE : pending(s.pendingSchemaChange()));
        if (s.rowFilter() != null) {
            o.addProperty("RowFilter", s.rowFilter());
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    /**
     * Reads a state written by {@link #toJson}.
     *
     * @throws ConfigException when the text is not such a state, or one of another format version
     */
    public static RunState fromJson(String json) {
        JsonObject o;
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (!tree.isJsonObject()) {
                throw problem("is not a JSON object; pass the file ferry wrote (StateFilename or its stdout dump)");
            }
            o = tree.getAsJsonObject();
        } catch (JsonParseException e) {
            throw problem("is not valid JSON (" + firstLine(e) + "); pass the file ferry wrote, unedited");
        }
        JsonElement version = o.get("FerryStateVersion");
        if (version == null || version.isJsonNull()) {
            String gf = o.has("GhostferryVersion") && o.get("GhostferryVersion").isJsonPrimitive()
                    ? " (GhostferryVersion " + o.get("GhostferryVersion").getAsString() + ")" : "";
            throw problem("has no FerryStateVersion" + gf + "; ferry resumes only from states it wrote itself"
                    + " (format version " + RunState.FORMAT_VERSION + "): start the copy again from scratch");
        }
        int v;
        try {
            v = version.getAsInt();
        } catch (RuntimeException e) {
            throw problem("FerryStateVersion = " + version + " is not a number; pass the file ferry wrote, unedited");
        }
        if (v != RunState.FORMAT_VERSION) {
            throw problem("has format version " + v + " (written by " + str(o, "GhostferryVersion") + "), this ferry reads"
                    + " version " + RunState.FORMAT_VERSION + "; resume with the ferry version that wrote it");
        }
        try {
            return read(o, v);
        } catch (RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw problem("is damaged: " + e.getMessage() + "; pass the file ferry wrote, unedited");
        }
    }

    private static RunState read(JsonObject o, int version) {
        JsonObject src = o.getAsJsonObject("Source");
        if (src == null) {
            throw new IllegalArgumentException("no Source");
        }
        var source = new SourceIdentity(str(src, "Address"), str(src, "Hostname"), src.get("Port").getAsLong(),
                src.get("ServerId").getAsLong());
        Set<TableId> tables = new LinkedHashSet<>();
        for (JsonElement t : o.getAsJsonArray("Tables")) {
            tables.add(TableId.parse(t.getAsString()));
        }
        Map<TableId, TableSchema> cache = null;
        JsonElement c = o.get("LastKnownTableSchemaCache");
        if (c != null && !c.isJsonNull()) {
            cache = SchemaCacheJson.read(c.getAsJsonObject());
        }
        Map<TableId, List<RangeState>> progress = new LinkedHashMap<>();
        JsonObject ranges = object(o, "CopyRanges");
        for (var e : ranges.entrySet()) {
            List<RangeState> rs = new ArrayList<>();
            for (JsonElement r : e.getValue().getAsJsonArray()) {
                rs.add(readRange(r.getAsJsonObject()));
            }
            progress.put(TableId.parse(e.getKey()), rs);
        }
        // A table known only by its last key (one range) continues after it up to the table's current last key.
        for (var e : object(o, "LastSuccessfulPaginationKeys").entrySet()) {
            TableId t = TableId.parse(e.getKey());
            if (!progress.containsKey(t)) {
                progress.put(t, List.of(new RangeState(null, null, readKey(e.getValue()), false)));
            }
        }
        Set<TableId> completed = new LinkedHashSet<>();
        for (var e : object(o, "CompletedTables").entrySet()) {
            if (e.getValue().getAsBoolean()) {
                completed.add(TableId.parse(e.getKey()));
            }
        }
        JsonElement store = o.get("BinlogVerifyStore");
        boolean descending = o.has("IterateInDescendingOrder") && o.get("IterateInDescendingOrder").getAsBoolean();
        return new RunState(version, str(o, "GhostferryVersion"), Instant.parse(str(o, "SavedAt")), source, tables,
                descending, cache, progress, completed, readPosition(o.get("LastWrittenBinlogPosition")),
                readPosition(o.get("LastStoredBinlogPositionForInlineVerifier")),
                store == null || store.isJsonNull() ? null : store.toString(), readPending(o.get("PendingSchemaChange")),
                o.has("RowFilter") && !o.get("RowFilter").isJsonNull() ? o.get("RowFilter").getAsString() : null);
    }

    /** A verifier's reverify store ({@link io.ferry.core.verify.ReverifyState#snapshot}) as the JSON of {@code BinlogVerifyStore}. */
    public static String reverifyStoreToJson(Map<String, List<String>> store) {
        var o = new JsonObject();
        store.forEach((table, keys) -> {
            var a = new JsonArray();
            keys.forEach(a::add);
            o.add(table, a);
        });
        return o.toString();
    }

    /** Reads {@link #reverifyStoreToJson}'s output. */
    public static Map<String, List<String>> reverifyStoreFromJson(String json) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var e : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
            List<String> keys = new ArrayList<>();
            e.getValue().getAsJsonArray().forEach(k -> keys.add(k.getAsString()));
            out.put(e.getKey(), keys);
        }
        return out;
    }

    private static JsonObject pending(PendingSchemaChange p) {
        var o = new JsonObject();
        o.add("Position", position(p.position()));
        o.addProperty("TargetSql", p.targetSql());
        var tables = new JsonArray();
        p.tables().forEach(t -> tables.add(t.toString()));
        o.add("Tables", tables);
        return o;
    }

    private static PendingSchemaChange readPending(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        List<TableId> tables = new ArrayList<>();
        o.getAsJsonArray("Tables").forEach(t -> tables.add(TableId.parse(t.getAsString())));
        return new PendingSchemaChange(readPosition(o.get("Position")), str(o, "TargetSql"), tables);
    }

    /** One range as the JSON object {@code {"After", "UpTo", "LastKey", "Done"}} (for per-range state rows). */
    public static String rangeToJson(RangeState r) {
        return range(r).toString();
    }

    /** Reads {@link #rangeToJson}'s output. */
    public static RangeState rangeFromJson(String json) {
        return readRange(JsonParser.parseString(json).getAsJsonObject());
    }

    private static JsonObject range(RangeState r) {
        var ro = new JsonObject();
        ro.add("After", key(r.after()));
        ro.add("UpTo", key(r.upTo()));
        ro.add("LastKey", key(r.lastCopied()));
        ro.addProperty("Done", r.done());
        return ro;
    }

    private static RangeState readRange(JsonObject ro) {
        return new RangeState(readKey(ro.get("After")), readKey(ro.get("UpTo")), readKey(ro.get("LastKey")),
                ro.has("Done") && ro.get("Done").getAsBoolean());
    }

    // ---- keys

    static JsonElement key(PaginationKey k) {
        if (k == null) {
            return JsonNull.INSTANCE;
        }
        if (k.parts().size() == 1) {
            return part(k.parts().getFirst());
        }
        var a = new JsonArray();
        k.parts().forEach(p -> a.add(part(p)));
        return a;
    }

    private static JsonObject part(KeyPart p) {
        var o = new JsonObject();
        o.addProperty("column", p.column());
        o.addProperty("type", p.type());
        if (p.value() == null) {
            o.add("value", JsonNull.INSTANCE);
        } else if (p.type().equals(KeyPart.INT) || p.type().equals(KeyPart.UINT64)) {
            o.add("value", new JsonPrimitive(new BigInteger(p.value())));
        } else {
            o.addProperty("value", p.value());
        }
        return o;
    }

    static PaginationKey readKey(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        List<KeyPart> parts = new ArrayList<>();
        if (e.isJsonArray()) {
            for (JsonElement p : e.getAsJsonArray()) {
                parts.add(readPart(p.getAsJsonObject()));
            }
        } else {
            parts.add(readPart(e.getAsJsonObject()));
        }
        return new PaginationKey(parts);
    }

    private static KeyPart readPart(JsonObject o) {
        JsonElement v = o.get("value");
        // getAsString keeps a number's exact digits (Gson parses numbers lazily).
        return new KeyPart(str(o, "column"), str(o, "type"), v == null || v.isJsonNull() ? null : v.getAsString());
    }

    // ---- positions

    private static JsonObject position(ResumablePosition p) {
        var o = new JsonObject();
        o.add("EventPosition", position(p.event()));
        o.add("ResumePosition", position(p.resumeFrom()));
        return o;
    }

    private static JsonObject position(BinlogPosition p) {
        var o = new JsonObject();
        o.addProperty("Name", p.file());
        o.addProperty("Pos", p.offset());
        return o;
    }

    private static ResumablePosition readPosition(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return ResumablePosition.NONE;
        }
        JsonObject o = e.getAsJsonObject();
        if (o.has("Name")) { // a bare position is a transaction boundary
            return ResumablePosition.at(readBinlogPosition(o));
        }
        return new ResumablePosition(readBinlogPosition(o.getAsJsonObject("EventPosition")),
                readBinlogPosition(o.getAsJsonObject("ResumePosition")));
    }

    private static BinlogPosition readBinlogPosition(JsonObject o) {
        return new BinlogPosition(str(o, "Name"), o.get("Pos").getAsLong());
    }

    // ---- helpers

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? new JsonObject() : e.getAsJsonObject();
    }

    static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private static ConfigException problem(String what) {
        return new ConfigException("resume state " + what);
    }
}

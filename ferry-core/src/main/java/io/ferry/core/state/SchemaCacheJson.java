package io.ferry.core.state;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code LastKnownTableSchemaCache} of {@link StateCodec}'s state: each table's columns and keys as Ghostferry
 * names them ({@code Schema}, {@code Name}, {@code Columns} with {@code RawType}, {@code IsUnsigned}, ...): the
 * source schemas at the time the state was saved.
 */
final class SchemaCacheJson {
    private SchemaCacheJson() {
    }

    static JsonObject write(Map<TableId, TableSchema> cache) {
        var o = new JsonObject();
        cache.keySet().stream().sorted().forEach(t -> {
            TableSchema s = cache.get(t);
            var so = new JsonObject();
            so.addProperty("Schema", s.id().database());
            so.addProperty("Name", s.id().table());
            var cols = new JsonArray();
            for (ColumnSchema col : s.columns()) {
                var co = new JsonObject();
                co.addProperty("Name", col.name());
                co.addProperty("Ordinal", col.ordinal());
                co.addProperty("DataType", col.dataType());
                co.addProperty("RawType", col.columnType());
                co.addProperty("IsUnsigned", col.unsigned());
                co.addProperty("Nullable", col.nullable());
                co.addProperty("Charset", col.charset());
                co.addProperty("Collation", col.collation());
                co.addProperty("MaxLength", col.maxLength());
                co.addProperty("Scale", col.scale());
                co.addProperty("Generated", col.generated());
                co.addProperty("IsAuto", col.autoIncrement());
                var members = new JsonArray();
                col.members().forEach(members::add);
                co.add("Members", members);
                cols.add(co);
            }
            so.add("Columns", cols);
            so.add("PrimaryKey", strings(s.primaryKey()));
            var uniques = new JsonArray();
            s.uniqueKeys().forEach(u -> uniques.add(strings(u)));
            so.add("UniqueKeys", uniques);
            o.add(t.toString(), so);
        });
        return o;
    }

    static Map<TableId, TableSchema> read(JsonObject o) {
        Map<TableId, TableSchema> out = new LinkedHashMap<>();
        for (var e : o.entrySet()) {
            JsonObject so = e.getValue().getAsJsonObject();
            List<ColumnSchema> cols = new ArrayList<>();
            for (JsonElement ce : so.getAsJsonArray("Columns")) {
                JsonObject co = ce.getAsJsonObject();
                cols.add(new ColumnSchema(StateCodec.str(co, "Name"), co.get("Ordinal").getAsInt(), StateCodec.str(co, "DataType"),
                        StateCodec.str(co, "RawType"), co.get("IsUnsigned").getAsBoolean(), co.get("Nullable").getAsBoolean(),
                        StateCodec.str(co, "Charset"), StateCodec.str(co, "Collation"), co.get("MaxLength").getAsLong(),
                        co.get("Scale").getAsInt(), co.get("Generated").getAsBoolean(),
                        co.get("IsAuto").getAsBoolean(), readStrings(co.get("Members"))));
            }
            List<List<String>> uniques = new ArrayList<>();
            for (JsonElement u : so.getAsJsonArray("UniqueKeys")) {
                uniques.add(readStrings(u));
            }
            var id = new TableId(StateCodec.str(so, "Schema"), StateCodec.str(so, "Name"));
            out.put(TableId.parse(e.getKey()), new TableSchema(id, cols, readStrings(so.get("PrimaryKey")), uniques));
        }
        return out;
    }

    private static JsonArray strings(List<String> values) {
        var a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static List<String> readStrings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && !e.isJsonNull()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        }
        return out;
    }
}

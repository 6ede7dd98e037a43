package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.ferry.binlog.TableSchemas;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Decodes the body of a WRITE/UPDATE/DELETE rows event (v1, and v2 with its extra-data block) straight into
 * ferry rows. Rows of tables ferry does not copy are left undecoded: the event deserializer skips the rest of the
 * event body on its own.
 */
final class RowsEventParser implements EventDataDeserializer<EventData> {

    /** What a rows event does. */
    enum Change { INSERT, UPDATE, DELETE }

    /** A decoded rows event; for {@link Change#UPDATE}, rows alternate before and after images. */
    record DecodedRows(Change change, TableId table, TableSchema schema, List<Row> rows) implements EventData {
    }

    /** A rows event of a table ferry does not copy. */
    record SkippedRows(TableId table) implements EventData {
    }

    private final Change change;
    private final boolean extraData;
    private final Map<Long, TableMapEventData> tableMaps;
    private final TableSchemas schemas;
    private final boolean mysqlJson;

    RowsEventParser(Change change, boolean extraData, Map<Long, TableMapEventData> tableMaps, TableSchemas schemas,
                    boolean mysqlJson) {
        this.change = change;
        this.extraData = extraData;
        this.tableMaps = tableMaps;
        this.schemas = schemas;
        this.mysqlJson = mysqlJson;
    }

    @Override
    public EventData deserialize(ByteArrayInputStream in) throws IOException {
        long tableId = in.readLong(6);
        in.skip(2); // flags
        if (extraData) {
            int extraLength = in.readInteger(2);
            in.skip(extraLength - 2);
        }
        TableMapEventData map = tableMaps.get(tableId);
        if (map == null) {
            throw new RunFailed("a rows event refers to table id " + tableId + " without a preceding TABLE_MAP event;"
                    + " streaming must start at a transaction boundary");
        }
        TableId table = new TableId(map.getDatabase(), map.getTable());
        TableSchema schema = schemas.schemaOf(table);
        if (schema == null) {
            return new SkippedRows(table);
        }
        int columnCount = in.readPackedInteger();
        BitSet present = in.readBitSet(columnCount, true);
        BitSet presentAfter = change == Change.UPDATE ? in.readBitSet(columnCount, true) : present;
        var decoder = new RowImageDecoder(schema, map.getColumnTypes(), map.getColumnMetadata(), mysqlJson);
        List<Row> rows = new ArrayList<>();
        while (in.available() > 0) {
            rows.add(decoder.decode(present, in));
            if (change == Change.UPDATE) {
                rows.add(decoder.decode(presentAfter, in));
            }
        }
        return new DecodedRows(change, table, schema, rows);
    }
}

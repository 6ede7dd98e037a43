package io.ferry.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AnnotateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RowsQueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import io.ferry.binlog.TableSchemas;
import io.ferry.binlog.internal.RowsEventParser.Change;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.state.BinlogPosition;
import java.net.Socket;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binlog client library's client as {@link BinlogReader} connects it: ferry's own reconnection, heartbeats and a
 * socket timeout that notice a dead source, TLS, and only the event decoders ferry reads (its own for rows events,
 * with the run's table schemas).
 */
final class BinlogClients {
    private static final long HEARTBEAT_MILLIS = 5_000;
    private static final int MIN_SOCKET_TIMEOUT_MILLIS = 30_000;

    private BinlogClients() {
    }

    /**
     * A client for one replication connection as {@code serverId} from {@code start}; its rows events are decoded
     * with {@code schemas}.
     */
    static BinaryLogClient create(DatabaseConfig db, long serverId, ServerInfo info, BinlogPosition start,
                                  TableSchemas schemas) {
        var c = new BinaryLogClient(db.host(), db.port(), db.user(), db.password().value());
        c.setServerId(serverId);
        c.setBinlogFilename(start.file());
        c.setBinlogPosition(start.offset());
        c.setKeepAlive(false); // reconnection is ours: from a transaction boundary, with a bounded retry count
        c.setHeartbeatInterval(HEARTBEAT_MILLIS);
        c.setConnectTimeout(Math.toIntExact(db.driver().connectTimeout().toMillis()));
        int socketTimeout = db.readTimeout() == null ? MIN_SOCKET_TIMEOUT_MILLIS
                : (int) Math.max(MIN_SOCKET_TIMEOUT_MILLIS, db.readTimeout().toMillis());
        // Heartbeats arrive every few seconds even when the source is idle, so a silent socket is a dead one.
        c.setSocketFactory(() -> {
            var socket = new Socket();
            socket.setSoTimeout(socketTimeout);
            return socket;
        });
        BinlogTls.configure(c, db);
        // MariaDB leaves out its ANNOTATE_ROWS events unless asked for them; inside a transaction their room in the
        // file can then not be counted (MariaDB 11.4 logs no end positions there), so ferry asks for them.
        c.setUseSendAnnotateRowsEvent(info.isMariaDb());
        c.setEventDeserializer(deserializer(info, schemas));
        return c;
    }

    @SuppressWarnings("rawtypes")
    private static EventDeserializer deserializer(ServerInfo info, TableSchemas schemas) {
        Map<Long, TableMapEventData> tableMaps = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TableMapEventData> eldest) {
                return size() > 10_000;
            }
        };
        boolean mysqlJson = !info.isMariaDb();
        Map<EventType, EventDataDeserializer> d = new EnumMap<>(EventType.class);
        d.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        d.put(EventType.ROTATE, new RotateEventDataDeserializer());
        d.put(EventType.QUERY, new QueryEventDataDeserializer());
        d.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
        d.put(EventType.XID, new XidEventDataDeserializer());
        d.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
        d.put(EventType.GTID, new GtidEventDataDeserializer());
        // The statement text before rows events, for the target verifier (emitted only when asked for).
        d.put(EventType.ANNOTATE_ROWS, new AnnotateRowsEventDataDeserializer());
        d.put(EventType.ROWS_QUERY, new RowsQueryEventDataDeserializer());
        d.put(EventType.WRITE_ROWS, rows(Change.INSERT, false, tableMaps, schemas, mysqlJson));
        d.put(EventType.UPDATE_ROWS, rows(Change.UPDATE, false, tableMaps, schemas, mysqlJson));
        d.put(EventType.DELETE_ROWS, rows(Change.DELETE, false, tableMaps, schemas, mysqlJson));
        d.put(EventType.EXT_WRITE_ROWS, rows(Change.INSERT, true, tableMaps, schemas, mysqlJson));
        d.put(EventType.EXT_UPDATE_ROWS, rows(Change.UPDATE, true, tableMaps, schemas, mysqlJson));
        d.put(EventType.EXT_DELETE_ROWS, rows(Change.DELETE, true, tableMaps, schemas, mysqlJson));
        // The events inside a compressed transaction are decoded alike, with the same table maps.
        var inner = new EventDeserializer(new EventHeaderParser(), new NullEventDataDeserializer(), new EnumMap<>(d),
                tableMaps);
        d.put(EventType.TRANSACTION_PAYLOAD, new TransactionPayloadParser(inner));
        return new EventDeserializer(new EventHeaderParser(), new NullEventDataDeserializer(), d, tableMaps);
    }

    private static RowsEventParser rows(Change change, boolean v2, Map<Long, TableMapEventData> tableMaps,
                                        TableSchemas schemas, boolean mysqlJson) {
        return new RowsEventParser(change, v2, tableMaps, schemas, mysqlJson);
    }
}

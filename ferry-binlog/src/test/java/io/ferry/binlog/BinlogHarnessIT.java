package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves the test servers are usable for ferry: the source writes a row-based binlog with full images that a
 * replication client can read back.
 */
@MySqlPair
class BinlogHarnessIT {

    @Test
    void rowsWrittenOnTheSourceComeBackAsRowEventsFromItsBinlog(TestPair pair) throws Exception {
        var source = pair.source();
        assertEquals("ROW", source.scalar("SELECT @@GLOBAL.binlog_format"));
        assertEquals("FULL", source.scalar("SELECT @@GLOBAL.binlog_row_image"));
        String db = pair.database();
        source.exec("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, name VARCHAR(20))");

        List<Serializable[]> rows = new CopyOnWriteArrayList<>();
        var tables = new java.util.concurrent.ConcurrentHashMap<Long, String>();
        var endpoint = source.endpoint();
        var client = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.rootUser(), endpoint.rootPassword());
        client.setServerId(4_000_000_000L + (System.nanoTime() & 0xFFFF));
        var deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        client.setEventDeserializer(deserializer);
        client.registerEventListener(event -> {
            if (event.getData() instanceof TableMapEventData map) {
                tables.put(map.getTableId(), map.getDatabase() + "." + map.getTable());
            } else if (EventType.isWrite(event.getHeader().getEventType())
                    && event.getData() instanceof WriteRowsEventData write
                    && (db + ".t").equals(tables.get(write.getTableId()))) {
                rows.addAll(write.getRows());
            }
        });
        client.connect(TimeUnit.SECONDS.toMillis(10));
        try {
            source.exec("INSERT INTO `" + db + "`.t VALUES (1, 'one'), (2, NULL)", "INSERT INTO `" + db + "`.t VALUES (3, 'three')");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rows.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            client.disconnect();
        }

        List<Object> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r[0]));
        assertEquals(List.of(1, 2, 3), ids);
        assertArrayEquals("one".getBytes(), (byte[]) rows.get(0)[1]);
        assertEquals(null, rows.get(1)[1]);
    }
}

package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Test helper: streams a range of the source binlog into a list, with a deadline, always closing the streamer. */
final class BinlogCapture {
    private BinlogCapture() {
    }

    static BinlogPosition currentPosition(TestServer server) throws SQLException {
        try (Connection c = server.connect()) {
            return BinlogStreamer.currentPosition(c);
        }
    }

    /** Schemas of exactly {@code tables}, loaded now from the source. */
    static TableSchemas schemasOf(TestServer server, TableId... tables) throws SQLException {
        Map<TableId, TableSchema> map = new ConcurrentHashMap<>();
        try (Connection c = server.connect()) {
            for (TableId t : tables) {
                map.put(t, SchemaLoader.loadOne(c, t));
            }
        }
        return map::get;
    }

    /** Every event from {@code from} up to the event that ends at {@code until}. */
    static List<BinlogEvent> read(DatabaseConfig source, TableSchemas schemas, ResumablePosition from,
                                  BinlogPosition until) throws Exception {
        List<BinlogEvent> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (var streamer = new BinlogStreamer(source, 0, schemas, 2)) {
            streamer.stopAt(until);
            Thread t = Thread.ofPlatform().name("binlog-capture").start(() -> {
                try {
                    streamer.run(from, events::add);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join(TimeUnit.SECONDS.toMillis(60));
            if (t.isAlive()) {
                streamer.stop();
                fail("streaming " + from + " .. " + until + " did not finish within 60 s; got " + events.size() + " events");
            }
        }
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return new ArrayList<>(events);
    }
}

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    /** One event as the source lists it ({@code SHOW BINLOG EVENTS}): where it starts, where it ends, its type. */
    record LoggedEvent(BinlogPosition start, BinlogPosition end, String type, String info) {
        boolean isRows() {
            return type.startsWith("Write_rows") || type.startsWith("Update_rows") || type.startsWith("Delete_rows");
        }
    }

    /**
     * The source's own list of the events from {@code from} up to {@code until}. An event ends at its
     * {@code End_log_pos}, or where the next one starts where that is 0 (inside transactions on MariaDB 11.4). MySQL
     * lists the events inside a compressed transaction after it, each starting and ending where it ends.
     */
    static List<LoggedEvent> loggedEvents(TestServer server, BinlogPosition from, BinlogPosition until) throws SQLException {
        if (!from.file().equals(until.file())) {
            throw new IllegalStateException("the source rotated its binlog between " + from + " and " + until
                    + "; run the test again");
        }
        record Row(long pos, long endLogPos, String type, String info) {
        }
        List<Row> rows = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + from.file() + "' FROM " + from.offset())) {
            while (rs.next() && rs.getLong("Pos") < until.offset()) {
                rows.add(new Row(rs.getLong("Pos"), rs.getLong("End_log_pos"), rs.getString("Event_type"),
                        rs.getString("Info")));
            }
        }
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            long end = r.endLogPos() > 0 ? r.endLogPos() : i + 1 < rows.size() ? rows.get(i + 1).pos() : until.offset();
            out.add(new LoggedEvent(new BinlogPosition(from.file(), r.pos()), new BinlogPosition(from.file(), end),
                    r.type(), r.info()));
        }
        return out;
    }

    /**
     * The events of the test's own transactions, for a server other tests write to at the same time: the rows events
     * (only the tables of the schemas given to {@link #read} are decoded), the commit right after one of them, and
     * statements that name {@code database}.
     */
    static List<BinlogEvent> own(List<BinlogEvent> events, String database) {
        List<BinlogEvent> out = new ArrayList<>();
        BinlogEvent previous = null;
        for (BinlogEvent e : events) {
            boolean keep = switch (e) {
                case RowsInserted r -> true;
                case RowsUpdated r -> true;
                case RowsDeleted r -> true;
                case RowsQueryLogged q -> false;
                case TransactionCommitted c -> previous instanceof RowsInserted || previous instanceof RowsUpdated
                        || previous instanceof RowsDeleted;
                case StatementExecuted st -> st.sql().contains(database);
            };
            if (keep) {
                out.add(e);
            }
            previous = e;
        }
        return out;
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

package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binlog stream breaks and the streamer reconnects: it restarts at the last transaction boundary and hands on
 * every event exactly once, at the same positions as an unbroken stream.
 */
@MySqlPair
class BinlogReconnectIT {
    private final TestPair pair;

    BinlogReconnectIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aStreamCutInsideATransactionRestartsAtItsStartAndEmitsEveryEventOnce() throws Exception {
        TableId t = pair.table("cut");
        pair.source().exec("CREATE TABLE " + t.sql() + " (id INT PRIMARY KEY, v VARCHAR(10))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        pair.source().exec("BEGIN", "INSERT INTO " + t.sql() + " VALUES (1, 'a')", "INSERT INTO " + t.sql() + " VALUES (2, 'b')",
                "UPDATE " + t.sql() + " SET v = 'c' WHERE id = 1", "COMMIT", "INSERT INTO " + t.sql() + " VALUES (3, 'd')");
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());
        List<BinlogEvent> unbroken = own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end));
        assertEquals(List.of("RowsInserted", "RowsInserted", "RowsUpdated", "TransactionCommitted", "RowsInserted",
                "TransactionCommitted"), unbroken.stream().map(e -> e.getClass().getSimpleName()).toList());

        // TLS hidden, so that the relay can see where the transaction's commit is.
        try (var relay = WireProxy.to(pair.source().endpoint(), true)) {
            var cut = relay.cutBeforeCommitOf(t.table(), () -> { });
            List<BinlogEvent> events = own(BinlogCapture.read(relay.relay(pair.source().ferryConfig()), schemas,
                    ResumablePosition.at(start), end));
            assertTrue(cut.isDone(), "the stream was cut before the commit");
            assertTrue(relay.connections() >= 3, "a query connection, the cut stream and a new one: " + relay.connections());
            assertEquals(positions(unbroken), positions(events));
            assertEquals(unbroken, events);
        }
    }

    private List<BinlogEvent> own(List<BinlogEvent> events) {
        return BinlogCapture.own(events, pair.database());
    }

    private static List<ResumablePosition> positions(List<BinlogEvent> events) {
        return new ArrayList<>(events.stream().map(BinlogEvent::position).toList());
    }
}

package io.ferry.copy.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.RangeState;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * State writes meet the locks of other sessions on the target: another table's batch (deadlocks were seen between
 * a table's range plan and other tables' per-batch progress), a DBA's query. Such failures are transient.
 */
@MySqlPair
class TargetStateTablesIT {
    private static final TableId TABLE = new TableId("shop", "orders");
    private final TestPair pair;

    TargetStateTablesIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void aStateWriteThatMeetsALockIsRetriedWithinTheWriteRetries() throws Exception {
        String db = pair.newDatabase("state");
        pair.dropAfterwards(db);
        // Lock waits end after a second on ferry's connections here, so the conflict surfaces quickly.
        try (var target = DataSources.open("state-test", pair.target().endpoint().ferryConfig(), 4,
                Map.of("innodb_lock_wait_timeout", "1"))) {
            new TargetStateTables(target, db, 7, 0).create();
            new TargetStateTables(target, db, 7, 0).writeRanges(TABLE, List.of(range(), range()));

            var noRetries = new TargetStateTables(target, db, 7, 0);
            RunFailed e = assertThrows(RunFailed.class, () -> whileLocked(db, 1_500,
                    () -> noRetries.writeRanges(TABLE, List.of(range()))));
            assertTrue(e.getMessage().contains("saving the key ranges of shop.orders") && e.getMessage().contains("failed after 1 try")
                    && e.getMessage().contains("Lock wait timeout"),
                    e.getMessage());

            var withRetries = new TargetStateTables(target, db, 7, 5);
            whileLocked(db, 1_500, () -> withRetries.writeRanges(TABLE, List.of(range(), range(), range())));
            assertEquals(3L, pair.target().scalar("SELECT COUNT(*) FROM `" + db + "`.`_ferry_7_row_copy_state`"));
        }
    }

    /** Runs {@code write} while another session holds the table's state rows locked for {@code millis}. */
    private void whileLocked(String db, long millis, Runnable write) throws Exception {
        try (Connection other = pair.target().connect(); Statement st = other.createStatement()) {
            st.execute("START TRANSACTION");
            st.executeQuery("SELECT * FROM `" + db + "`.`_ferry_7_row_copy_state` FOR UPDATE").close();
            Thread release = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(millis);
                    st.execute("ROLLBACK");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                write.run();
            } finally {
                release.join();
            }
        }
    }

    private static RangeState range() {
        return new RangeState(null, null, null, false);
    }
}

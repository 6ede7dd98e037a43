package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.core.ConfigException;
import io.ferry.core.DataMismatch;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.filter.ChangeOutcome;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.filter.RowChange;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.schema.TableSchema;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.ServerEndpoint;
import io.ferry.testing.TestPair;
import io.ferry.verify.Verifiers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The row-filter API used directly, as a library user would: a filter that copies the events of 2026 and later
 * ({@code created_at >= '2026-01-01'}). Changes made during the copy move rows into and out of the selection; the
 * filter sees both images of each update and answers {@code INSERT_AFTER} / {@code DELETE_BEFORE}; the target ends
 * with exactly the selected rows, checked by the run's verifier and by the test, with each lock strategy, in both key
 * orders.
 */
@MySqlPair
@Tag("engines")
class SelectiveCopyIT {
    private static final String SINCE = "2026-01-01 00:00:00";
    private final TestPair pair;

    SelectiveCopyIT(TestPair pair) {
        this.pair = pair;
    }

    /** Events since {@link #SINCE}; the updates it saw with their created_at before and after. */
    static class RecentEvents implements RowFilter {
        final List<String> movedUpdates = new CopyOnWriteArrayList<>();

        @Override
        public RowSelection select(TableSchema table, TableId readFrom) {
            return RowSelection.where("`created_at` >= '" + SINCE + "'");
        }

        private static boolean recent(String createdAt) {
            return createdAt != null && createdAt.compareTo(SINCE) >= 0;
        }

        @Override
        public ChangeOutcome onChange(RowChange change) {
            boolean was = !change.isInsert() && recent(change.before("created_at"));
            boolean is = !change.isDelete() && recent(change.after("created_at"));
            if (change.isUpdate() && was != is) {
                movedUpdates.add(change.before("id") + ": " + change.before("created_at") + " -> "
                        + change.after("created_at"));
                return is ? ChangeOutcome.INSERT_AFTER : ChangeOutcome.DELETE_BEFORE;
            }
            return was || is ? ChangeOutcome.APPLY : ChangeOutcome.SKIP;
        }

        @Override
        public String identity() {
            return "events since " + SINCE;
        }
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("USE `" + db + "`",
                "CREATE TABLE events (id INT PRIMARY KEY, created_at DATETIME NOT NULL, v VARCHAR(20),"
                        + " KEY (created_at))");
        pair.source().insertRows("`" + db + "`.events", "id, created_at, v", 400,
                i -> "(" + i + ", '" + (i % 2 == 0 ? "2026" : "2025") + "-03-04 05:06:07', 'v" + i + "')");
        return db;
    }

    private CopydbConfig config(String db, String extra) {
        String json = "{\"Source\": " + server(pair.source().endpoint()) + ", \"Target\": "
                + server(pair.target().endpoint()) + ", \"Databases\": {\"Whitelist\": [\"" + db + "\"]},"
                + " \"AutomaticCutover\": true, \"DataIterationBatchSize\": 25" + extra + "}";
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    private static String server(ServerEndpoint e) {
        return "{\"Host\": \"%s\", \"Port\": %d, \"User\": \"%s\", \"Pass\": \"%s\"}"
                .formatted(e.host(), e.port(), e.user(), e.password());
    }

    /** The target's rows, and the source's selected rows, in key order. */
    private void assertTargetHoldsExactlyTheSelection(String db) {
        var source = pair.source().query("SELECT * FROM `" + db + "`.events WHERE created_at >= '" + SINCE
                + "' ORDER BY id");
        var target = pair.target().query("SELECT * FROM `" + db + "`.events ORDER BY id");
        assertEquals(source, target);
        assertTrue(source.size() > 150, "the selection holds rows: " + source.size());
    }

    @ParameterizedTest(name = "{0}, {1}, descending {2}, {3} key range(s)")
    @CsvSource({"LockOnSourceDB, Inline, false, 1", "LockInGhostferry, Iterative, true, 1", "None, Inline, true, 1",
            "LockOnSourceDB, Iterative, false, 3", "LockInGhostferry, Inline, true, 3"})
    void rowsMovingInAndOutOfTheSelectionDuringTheCopy(String lock, String verifier, boolean descending, int ranges)
            throws Exception {
        String db = seeded("selective_" + lock);
        String t = "`" + db + "`.events";
        var filter = new RecentEvents();
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    // Rows on both sides of the copy's position: moved in, moved out, changed within, outside,
                    // inserted and deleted on either side of the selection.
                    pair.source().exec(
                            "UPDATE " + t + " SET created_at = '2026-06-01 00:00:00' WHERE id IN (1, 201, 399)",
                            "UPDATE " + t + " SET created_at = '2025-06-01 00:00:00' WHERE id IN (2, 200, 400)",
                            "UPDATE " + t + " SET v = 'changed' WHERE id IN (4, 5, 204, 205)",
                            "INSERT INTO " + t + " VALUES (1001, '2026-12-01 00:00:00', 'new'),"
                                    + " (1002, '2025-12-01 00:00:00', 'old')",
                            "DELETE FROM " + t + " WHERE id IN (6, 7, 206, 207)");
                }
            }
        };
        var config = config(db, ", \"LockStrategy\": \"" + lock + "\", \"VerifierType\": \"" + verifier
                + "\", \"IterateInDescendingOrder\": " + descending + ", \"DataIterationRangeConcurrency\": " + ranges);
        try (var ferry = new Ferry(config, hooks, Verifiers.create(config.verification()).orElseThrow(),
                CopySubset.of(filter))) {
            var summary = ferry.run();
            assertTrue(summary.toString().contains(verifier), summary.toString());
        }
        assertTargetHoldsExactlyTheSelection(db);
        assertEquals(6, filter.movedUpdates.size(), "the filter saw both images of every moving update: "
                + filter.movedUpdates);
        assertTrue(filter.movedUpdates.contains("1: 2025-03-04 05:06:07 -> 2026-06-01 00:00:00"), filter.movedUpdates.toString());
    }

    @Test
    void theVerifierComparesOnlyTheSelectedRowsAndFindsADifferenceAmongThem() throws Exception {
        String db = seeded("selective_mismatch");
        // A trigger on the target corrupts one selected row as it arrives; rows outside the selection that the
        // target holds of its own are not the run's and are not compared.
        pair.target().exec("CREATE DATABASE `" + db + "`", "USE `" + db + "`",
                "CREATE TABLE events (id INT PRIMARY KEY, created_at DATETIME NOT NULL, v VARCHAR(20),"
                        + " KEY (created_at))",
                "INSERT INTO events VALUES (5000, '2020-01-01 00:00:00', 'the target''s own')",
                "CREATE TRIGGER corrupt BEFORE INSERT ON events FOR EACH ROW"
                        + " SET NEW.v = IF(NEW.id = 300, 'corrupted', NEW.v)");
        var config = config(db, ", \"VerifierType\": \"Iterative\", \"AllowExistingTargetTable\": true");
        try (var ferry = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow(),
                CopySubset.of(new RecentEvents()))) {
            var e = assertThrows(DataMismatch.class, ferry::run);
            assertTrue(e.getMessage().contains("events") && e.getMessage().contains("300"), e.getMessage());
        }
        pair.target().exec("DROP TRIGGER `" + db + "`.corrupt");
        assertEquals("the target's own", pair.target().scalar("SELECT v FROM `" + db + "`.events WHERE id = 5000"));
    }

    @Test
    void aSelectionTheSourceCannotRunIsRefusedNamingTheTable() {
        String db = seeded("selective_badsql");
        RowFilter broken = new RecentEvents() {
            @Override
            public RowSelection select(TableSchema table, TableId readFrom) {
                return RowSelection.where("`no_such_column` = 1");
            }
        };
        var config = config(db, "");
        try (var ferry = new Ferry(config, RunHooks.NONE, null, CopySubset.of(broken))) {
            var e = assertThrows(PreconditionFailed.class, ferry::run);
            assertTrue(e.getMessage().contains(db + ".events: the row filter's selection fails on the source"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
        }
    }

    @Test
    void checksumTableCannotVerifyASubset() {
        String db = seeded("selective_checksum");
        var config = config(db, ", \"VerifierType\": \"ChecksumTable\"");
        try (var ferry = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification()).orElseThrow(),
                CopySubset.of(new RecentEvents()))) {
            var e = assertThrows(ConfigException.class, ferry::run);
            assertTrue(e.getMessage().contains("ChecksumTable") && e.getMessage().contains("Iterative or Inline"),
                    e.getMessage());
        }
    }
}

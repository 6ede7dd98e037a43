package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.state.RangeState;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.testing.CallbackServer;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table copied in key ranges does not end on one range copied alone: a copier whose range is done takes over half
 * of the largest range still being copied, and a run stopped after such splits resumes from the split ranges.
 */
@MySqlPair
@Tag("engines") // part of the engine matrix: EXPLAIN's estimate and the split points are each engine's
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RangeBalancingIT {
    private static final int ROWS = 4000;
    private static final int BATCH = 50;
    /** Each of the 4 planned ranges holds 20 batches (the first one row more). */
    private static final int RANGE_BATCHES = ROWS / 4 / BATCH;

    private final TestPair pair;
    @TempDir
    Path dir;

    RangeBalancingIT(TestPair pair) {
        this.pair = pair;
    }

    private String seeded(String hint) {
        String db = pair.newDatabase(hint);
        pair.source().exec("CREATE TABLE `" + db + "`.t1 (id BIGINT PRIMARY KEY, data VARCHAR(40))");
        pair.source().insertRows("`" + db + "`.t1", "id, data", ROWS, i -> "(" + (i + 1) + ", 'row " + i + "')");
        return db;
    }

    private static String ranges() {
        return "\"DataIterationBatchSize\": " + BATCH + ", \"DataIterationRangeConcurrency\": 4";
    }

    /**
     * Slows down every batch of the copier that reads the first batch (50 ms each), as a range on a busy part of a
     * table would be; counts each copier's batches.
     */
    private static class OneSlowCopier implements RunHooks {
        final AtomicReference<Thread> slow = new AtomicReference<>();
        final Map<Thread, AtomicInteger> batches = new ConcurrentHashMap<>();

        @Override
        public void beforeRowCopy(TableId table, int rows) throws InterruptedException {
            Thread me = Thread.currentThread();
            batches.computeIfAbsent(me, t -> new AtomicInteger()).incrementAndGet();
            if (slow.compareAndSet(null, me) || slow.get() == me) {
                Thread.sleep(50);
            }
        }

        int slowBatches() {
            return batches.get(slow.get()).get();
        }
    }

    @Test
    void theIdleCopiersTakeOverTheRestOfASlowRange() throws Exception {
        String db = seeded("balance");
        var hooks = new OneSlowCopier();
        try (var ferry = new Ferry(TestConfigs.copydb(pair, ranges(), db), hooks)) {
            ferry.setAutomaticCutover(true);
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        pair.assertIdentical(db, "t1");
        assertEquals(4, hooks.batches.size(), "one copier per range: " + hooks.batches);
        // Alone, the slow copier would copy its whole range; the others, done with theirs in a fraction of the
        // time, split it and copy most of it.
        assertTrue(hooks.slowBatches() < RANGE_BATCHES - 4,
                "the slow copier copied " + hooks.slowBatches() + " batches of its range's " + RANGE_BATCHES);
    }

    @ParameterizedTest(name = "state in the target database: {0}")
    @ValueSource(booleans = {false, true})
    void aRunStoppedAfterSplitsResumesFromTheSplitRanges(boolean stateInTarget) throws Exception {
        String db = seeded(stateInTarget ? "splitdb" : "splitfile");
        String stateDb = stateInTarget ? pair.newDatabase("ferrystate") : null;
        TableId t1 = new TableId(db, "t1");
        try (var callbacks = new CallbackServer()) {
            String state = stateInTarget
                    ? "\"ResumeStateFromDB\": \"%s\", \"ForceResumeStateUpdatesToDB\": true, \"MyServerId\": 4343".formatted(stateDb)
                    : "\"StateFilename\": \"%s\"".formatted(dir.resolve("state.json"));
            CopydbConfig config = TestConfigs.copydb(pair, ranges() + ", " + state + """
                    , "CutoverLock": {"URI": "%s"}, "CutoverUnlock": {"URI": "%s"}"""
                    .formatted(callbacks.url("/lock"), callbacks.url("/unlock")), db);
            var ferryRef = new AtomicReference<Ferry>();
            // Stop once a fast copier is a few batches into a range split off the slow one (without splits, the run
            // completes: its cutover is automatic).
            var hooks = new OneSlowCopier() {
                @Override
                public void afterRowCopy(TableId table, int rows) {
                    if (batches.values().stream().anyMatch(n -> n.get() == RANGE_BATCHES + 4)) {
                        ferryRef.get().requestStop();
                    }
                }
            };
            try (var ferry = new Ferry(config, hooks)) {
                ferryRef.set(ferry);
                ferry.setAutomaticCutover(true);
                RunFailed stopped = assertThrows(RunFailed.class, ferry::run, "the run was not interrupted");
                assertTrue(stopped.getMessage().startsWith("run interrupted on request before cutover"),
                        stopped.getMessage());
            }
            pair.source().exec("UPDATE `" + db + "`.t1 SET data = 'changed' WHERE id IN (1, 1500, 3999)",
                    "DELETE FROM `" + db + "`.t1 WHERE id IN (2, 2500)",
                    "INSERT INTO `" + db + "`.t1 VALUES (0, 'new first'), (" + (ROWS + 100) + ", 'new last')");
            CopydbConfig resumed;
            if (stateInTarget) {
                long saved = ((Number) pair.target().scalar("SELECT COUNT(*) FROM `" + stateDb
                        + "`.`_ferry_4343_row_copy_state` WHERE range_no >= 0")).longValue();
                assertTrue(saved > 4, "the split ranges are saved in the target: " + saved + " ranges");
                resumed = config; // the state is read from the target
            } else {
                RunState saved = StateCodec.fromJson(Files.readString(dir.resolve("state.json")));
                List<RangeState> rs = saved.copyProgress().get(t1);
                assertTrue(rs != null && rs.size() > 4, "the split ranges are saved: " + rs);
                resumed = config.withState(config.state().withStateToResumeFrom(StateCodec.toJson(saved)));
            }
            try (var ferry = new Ferry(resumed, RunHooks.NONE)) {
                ferry.setAutomaticCutover(true);
                ferry.run();
                assertEquals(RunPhase.DONE, ferry.phase());
            }
        }
        pair.assertIdentical(db, "t1");
    }
}

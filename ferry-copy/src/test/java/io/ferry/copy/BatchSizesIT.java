package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch sizes per table ({@code DataIterationBatchSizePerTableOverride}), and batches larger than the target's
 * {@code max_allowed_packet} written whole, loaded or as INSERT statements.
 */
@MySqlPair
@Tag("engines")
class BatchSizesIT {
    private final TestPair pair;

    BatchSizesIT(TestPair pair) {
        this.pair = pair;
    }

    @Test
    void eachTableIsCopiedInBatchesOfItsOwnSize() throws Exception {
        String db = pair.newDatabase("batch_sizes");
        for (String t : new String[] {"named", "sized", "other"}) {
            pair.source().exec("CREATE TABLE `" + db + "`.`" + t + "` (id INT PRIMARY KEY, v VARCHAR(20))");
            pair.source().insertRows("`" + db + "`.`" + t + "`", "id, v", 60, i -> "(" + i + ", 'row " + i + "')");
        }
        Map<String, Integer> largest = new ConcurrentHashMap<>();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                largest.merge(table.table(), rows, Math::max);
            }
        };
        // Rows at or below MinRowSize get its 13 rows and "named" is named, so the run's
        // DataIterationBatchSize applies to no table.
        String config = """
                "DataIterationBatchSize": 50,
                "DataIterationBatchSizePerTableOverride": {"MinRowSize": 100000, "MaxRowSize": 100000,
                  "ControlPoints": {"100000": 13}, "TableOverride": {"%s": {"named": 7}}}""".formatted(db);
        try (var ferry = new Ferry(TestConfigs.copydb(pair, config, db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertEquals(Map.of("named", 7, "sized", 13, "other", 13), largest);
        for (String t : new String[] {"named", "sized", "other"}) {
            pair.assertIdentical(db, t);
        }
    }

    /** 80 rows of 512 KiB: 40 MiB loaded, or 80 MiB of INSERT text, over MariaDB's 16 MiB and MySQL's 64 MiB. */
    @ParameterizedTest(name = "LoadData {0}")
    @ValueSource(booleans = {true, false})
    void aBatchOverTheTargetsPacketLimitIsWrittenWhole(boolean loadData) throws Exception {
        String db = pair.newDatabase("wide_rows");
        String t = "`" + db + "`.wide";
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, b LONGBLOB)");
        pair.source().insertRows(t, "id, b", 80, i -> "(" + i + ", REPEAT(CONCAT(CHAR(" + (i % 256) + "), 'x'), 262144))");
        long packet = ((Number) pair.target().scalar("SELECT @@GLOBAL.max_allowed_packet")).longValue();
        assertTrue(packet < 80L * 1024 * 1024, "the batch must not fit in one packet of the target: " + packet);
        Map<String, Integer> largest = new ConcurrentHashMap<>();
        var hooks = new RunHooks() {
            @Override
            public void beforeRowCopy(TableId table, int rows) {
                largest.merge(table.table(), rows, Math::max);
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"DataIterationBatchSize\": 1000, \"LoadData\": "
                + loadData, db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertEquals(Map.of("wide", 80), largest, "one batch");
        pair.assertIdentical(db, "wide");
    }
}

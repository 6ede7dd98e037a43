package io.ferry.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.PooledDataSource;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import io.ferry.testing.AllTypes;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TableComparison;
import io.ferry.testing.TestPair;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Row changes made on the source, turned into binlog events from the rows as the source holds them before and
 * after each change, and applied to the target, leave the target identical to the source.
 */
@MySqlPair
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinlogApplierIT {
    private static final Instant WHEN = Instant.parse("2024-05-06T07:08:09Z");

    private final TestPair pair;
    private ServerFlavor flavor;
    private PooledDataSource target;
    private long offset = 4;

    BinlogApplierIT(TestPair pair) {
        this.pair = pair;
    }

    @BeforeAll
    void openTarget() throws SQLException {
        pair.target().exec("CREATE DATABASE `" + pair.database() + "` CHARACTER SET utf8mb4");
        target = DataSources.open("apply-it", pair.target().ferryConfig(), 2, Map.of("foreign_key_checks", "0"));
        try (Connection c = target.getConnection()) {
            flavor = ServerInfo.of(c).flavor();
        }
    }

    @AfterAll
    void closeTarget() {
        target.close();
    }

    @Test
    void everyColumnFamilySurvivesInsertUpdateAndDelete() {
        TableId t = createOnBoth("types", AllTypes.DDL);
        pair.source().exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'", AllTypes.ROWS.formatted(t.sql()));
        var applier = applier(settings());
        TableSchema schema = schema(t);
        List<Row> inserted = read(t, "TRUE");
        applier.apply(List.of(new RowsInserted(t, schema, inserted, next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);

        // Every row is matched by its full old image (FLOAT, DOUBLE, JSON, BLOB, BINARY padding, zero dates, NULLs,
        // unsigned maxima, trailing spaces) and changed; a WHERE that misses leaves the old values on the target.
        pair.source().exec("UPDATE " + t.sql() + " SET tx = CONCAT(COALESCE(tx, ''), '+'), fl = fl / 2, bl = X'01'");
        List<Row> updated = read(t, "TRUE");
        applier.apply(List.of(new RowsUpdated(t, schema, changes(inserted, updated), next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);

        pair.source().exec("UPDATE " + t.sql() + " SET ti = 1 WHERE id IN (1, 4)");
        List<Row> again = read(t, "TRUE");
        applier.apply(List.of(new RowsUpdated(t, schema, changes(updated, again), next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);

        pair.source().exec("DELETE FROM " + t.sql());
        applier.apply(List.of(new RowsDeleted(t, schema, again, next(), WHEN), commit()));
        assertEquals(0L, pair.target().count(t.sql()));
        assertEquals(4 + 4 + 4 + 4, applier.rowsApplied());
    }

    @Test
    void changesToRowsTheTargetDoesNotHoldInThatStateAreNoOps() {
        TableId t = createOnBoth("kv_noop", "CREATE TABLE %s (id INT PRIMARY KEY, v VARCHAR(20))");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 'a'), (2, 'b')");
        TableSchema schema = schema(t);
        Row one = read(t, "id = 1").getFirst();
        Row two = read(t, "id = 2").getFirst();
        pair.source().exec("UPDATE " + t.sql() + " SET v = 'c' WHERE id = 1");
        Row oneAfter = read(t, "id = 1").getFirst();
        // The target holds row 1 already newer (copied after the change), and row 2 not at all.
        pair.target().exec("INSERT INTO " + t.sql() + " VALUES (1, 'newer')");
        var applier = applier(settings());

        applier.apply(List.of(
                new RowsUpdated(t, schema, List.of(new RowsUpdated.Change(one, oneAfter)), next(), WHEN),
                new RowsUpdated(t, schema, List.of(new RowsUpdated.Change(two, two)), next(), WHEN),
                new RowsDeleted(t, schema, List.of(one, two), next(), WHEN), commit()));

        assertEquals(List.of(List.of(1, "newer")), pair.target().query("SELECT id, v FROM " + t.sql()));
        assertEquals(4, applier.rowsApplied());
    }

    @Test
    void keyChangingUpdatesMoveTheRowWhereverTheCopyIs() {
        TableId t = createOnBoth("kv_key", "CREATE TABLE %s (id INT PRIMARY KEY, v VARCHAR(20))");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        TableSchema schema = schema(t);
        List<Row> before = read(t, "TRUE");
        var applier = applier(settings());
        applier.apply(List.of(new RowsInserted(t, schema, before.subList(0, 2), next(), WHEN), commit()));

        // Row 1 moves to 10 (both on the target); row 3, not yet copied, moves to 30 (the copy will never see 3).
        pair.source().exec("UPDATE " + t.sql() + " SET id = id * 10 WHERE id IN (1, 3)");
        Row ten = read(t, "id = 10").getFirst();
        Row thirty = read(t, "id = 30").getFirst();
        applier.apply(List.of(new RowsUpdated(t, schema, List.of(new RowsUpdated.Change(before.get(0), ten),
                new RowsUpdated.Change(before.get(2), thirty)), next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);

        // The copy already wrote the new key before the change is replayed: no duplicate-key failure.
        pair.target().exec("INSERT INTO " + t.sql() + " VALUES (5, 'e')");
        pair.source().exec("UPDATE " + t.sql() + " SET id = 5, v = 'e' WHERE id = 2");
        Row five = read(t, "id = 5").getFirst();
        applier.apply(List.of(new RowsUpdated(t, schema, List.of(new RowsUpdated.Change(before.get(1), five)), next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
    }

    @Test
    void withoutAnyKeyEachChangeTouchesExactlyOneOfIdenticalRows() {
        // 'X' and 'x ' come first in scan order: a comparison by collation instead of bytes would change them.
        TableId t = createOnBoth("nokey", "CREATE TABLE %s (a INT, b VARCHAR(10), f FLOAT) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 'X', 0.1), (1, 'x ', 0.1), (1, 'x', 0.1), (1, 'x', 0.1),"
                + " (1, 'x', 0.1), (2, NULL, NULL), (2, NULL, NULL)");
        TableSchema schema = schema(t);
        var applier = applier(settings());
        applier.apply(List.of(new RowsInserted(t, schema, read(t, "TRUE"), next(), WHEN), commit()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);

        Row x = read(t, "CAST(b AS BINARY) = 'x' LIMIT 1").getFirst();
        Row nulls = read(t, "b IS NULL LIMIT 1").getFirst();
        pair.source().exec("UPDATE " + t.sql() + " SET a = 5 WHERE CAST(b AS BINARY) = 'x' LIMIT 1",
                "DELETE FROM " + t.sql() + " WHERE a = 1 AND CAST(b AS BINARY) = 'x' LIMIT 1",
                "DELETE FROM " + t.sql() + " WHERE b IS NULL LIMIT 1");
        Row five = read(t, "a = 5").getFirst();
        applier.apply(List.of(
                new RowsUpdated(t, schema, List.of(new RowsUpdated.Change(x, five)), next(), WHEN),
                new RowsDeleted(t, schema, List.of(x), next(), WHEN),
                new RowsDeleted(t, schema, List.of(nulls), next(), WHEN), commit()));

        assertEquals(5L, pair.target().count(t.sql()));
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
    }

    @Test
    void rewritesSendChangesToAnotherDatabaseAndTable() {
        TableId source = pair.table("orders");
        pair.source().exec("CREATE TABLE " + source.sql() + " (id INT PRIMARY KEY, note TEXT)");
        String otherDb = pair.newDatabase("rewritten");
        TableId rewritten = new TableId(otherDb, "orders_archive");
        pair.target().exec("CREATE DATABASE `" + otherDb + "` CHARACTER SET utf8mb4",
                "CREATE TABLE " + rewritten.sql() + " (id INT PRIMARY KEY, note TEXT)");
        pair.source().exec("INSERT INTO " + source.sql() + " VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        TableSchema schema = schema(source);
        List<Row> rows = read(source, "TRUE");
        pair.source().exec("UPDATE " + source.sql() + " SET note = 'uno' WHERE id = 1", "DELETE FROM " + source.sql() + " WHERE id = 2");
        var applier = applier(settings().withTableMapping(table -> table.equals(source) ? rewritten : table));

        applier.apply(List.of(new RowsInserted(source, schema, rows, next(), WHEN),
                new RowsUpdated(source, schema, List.of(new RowsUpdated.Change(rows.get(0), read(source, "id = 1").getFirst())), next(), WHEN),
                new RowsDeleted(source, schema, List.of(rows.get(1)), next(), WHEN), commit()));

        TableComparison.assertIdentical(pair.source(), source, pair.target(), rewritten);
        assertEquals(0L, ((Number) pair.target().scalar("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'orders'", pair.database())).longValue());
    }

    @Test
    void largeBatchesAreSplitIntoTransactionsOfOneRoundTripEach() {
        TableId t = createOnBoth("kv_batches", "CREATE TABLE %s (id INT PRIMARY KEY, v INT)");
        var values = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            values.append(i == 1 ? "" : ", ").append('(').append(i).append(", ").append(i).append(')');
        }
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES " + values);
        TableSchema schema = schema(t);
        List<Row> inserted = read(t, "TRUE");
        pair.source().exec("UPDATE " + t.sql() + " SET v = v + 100 WHERE id <= 10");
        List<Row> updated = read(t, "id <= 10");

        List<Integer> batchSizes = new ArrayList<>();
        List<ResumablePosition> appliedAfterEach = new ArrayList<>();
        var hooks = new BinlogApplier.ApplyListener() {
            @Override
            public void afterApply(List<BinlogEvent> batch, ResumablePosition applied) {
                int changes = 0;
                for (BinlogEvent e : batch) {
                    changes += switch (e) {
                        case RowsInserted r -> r.rows().size();
                        case RowsUpdated r -> r.changes().size();
                        case RowsDeleted r -> r.rows().size();
                        case TransactionCommitted c -> 0;
                        case RowsQueryLogged q -> 0;
                        case StatementExecuted s -> 0;
                    };
                }
                batchSizes.add(changes);
                appliedAfterEach.add(applied);
            }
        };
        var counting = new CountingDataSource(target);
        var applier = new BinlogApplier(counting.proxy(), settings().withBatchSize(10).withListener(hooks));
        ResumablePosition insertAt = next();
        ResumablePosition firstCommit = next();
        ResumablePosition updateAt = next();
        ResumablePosition secondCommit = next();
        applier.apply(List.of(new RowsInserted(t, schema, inserted, insertAt, WHEN), new TransactionCommitted(firstCommit, WHEN),
                new RowsUpdated(t, schema, changes(inserted.subList(0, 10), updated), updateAt, WHEN),
                new TransactionCommitted(secondCommit, WHEN)));

        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
        assertEquals(List.of(10, 10, 10, 5), batchSizes);
        // The insert event is only applied once its last rows are committed (third transaction).
        assertEquals(List.of(ResumablePosition.NONE, ResumablePosition.NONE, firstCommit, secondCommit), appliedAfterEach);
        assertEquals(secondCommit, applier.lastApplied());
        assertEquals(35, applier.rowsApplied());
        assertEquals(WHEN, applier.lastEventTime());
        assertEquals(4, counting.executes.get(), "one round trip per target transaction");
        assertEquals(0, counting.otherCalls.get(), "no executeBatch, setAutoCommit, commit or rollback round trips");
    }

    @Test
    void statementFormatDmlStopsTheRunAfterApplyingWhatCameBefore() {
        TableId t = createOnBoth("kv_sbr", "CREATE TABLE %s (id INT PRIMARY KEY, v INT)");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 1)");
        TableSchema schema = schema(t);
        var applier = applier(settings());
        ResumablePosition committed = next();
        ResumablePosition statementAt = next();
        String sql = "UPDATE " + t.sql() + " SET v = v + 1";

        var e = assertThrows(RunFailed.class, () -> applier.apply(List.of(
                new RowsInserted(t, schema, read(t, "TRUE"), next(), WHEN), new TransactionCommitted(committed, WHEN),
                new StatementExecuted(pair.database(), sql, statementAt, WHEN))));

        assertTrue(e.getMessage().contains("statement-based binlog events cannot be replayed safely"), e.getMessage());
        assertTrue(e.getMessage().contains("binlog_format=ROW"), e.getMessage());
        assertTrue(e.getMessage().contains(sql), e.getMessage());
        assertTrue(e.getMessage().contains(statementAt.event().toString()), e.getMessage());
        assertEquals(committed, applier.lastApplied());
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
    }

    @Test
    void otherStatementsGoToTheHandlerWhichRefusesByDefault() {
        var statement = new StatementExecuted(pair.database(), "ALTER TABLE t ADD COLUMN c INT", next(), WHEN);
        var refused = assertThrows(RunFailed.class, () -> applier(settings()).apply(List.of(statement)));
        assertTrue(refused.getMessage().contains("ALTER TABLE t ADD COLUMN c INT"), refused.getMessage());
        assertTrue(refused.getMessage().contains(statement.position().event().toString()), refused.getMessage());

        List<String> handled = new ArrayList<>();
        var applier = applier(settings().withStatementHandler(s -> handled.add(s.sql())));
        ResumablePosition savepoint = next();
        applier.apply(List.of(statement, new StatementExecuted(pair.database(), "SAVEPOINT `s1`", savepoint, WHEN)));
        assertEquals(List.of("ALTER TABLE t ADD COLUMN c INT"), handled);
        assertEquals(savepoint, applier.lastApplied());
    }

    @Test
    void aRejectedStatementRollsBackItsTransactionAndNamesTableAndPosition() {
        TableId t = createOnBoth("kv_reject", "CREATE TABLE %s (id INT PRIMARY KEY, v INT)");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 1)");
        TableSchema schema = schema(t);
        TableId missing = new TableId(pair.database(), "not_there");
        List<Row> rows = read(t, "TRUE");
        ResumablePosition failing = next();
        var applier = applier(settings());

        var e = assertThrows(RunFailed.class, () -> applier.apply(List.of(
                new RowsInserted(t, schema, rows, next(), WHEN),
                new RowsInserted(missing, schema.renamed(missing), rows, failing, WHEN), commit())));

        assertTrue(e.getMessage().contains("table " + missing + " at binlog position " + failing.event()), e.getMessage());
        assertTrue(e.getMessage().contains("doesn't exist"), e.getMessage());
        assertEquals(0L, pair.target().count(t.sql()), "the whole transaction was rolled back");
        assertEquals(ResumablePosition.NONE, applier.lastApplied());
        assertEquals(0, applier.rowsApplied());
    }

    @Test
    void aLockWaitTimeoutIsRetriedAndFailsTheRunOnlyWhenRetriesRunOut() throws Exception {
        TableId t = createOnBoth("kv_locked", "CREATE TABLE %s (id INT PRIMARY KEY, v INT)");
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES (1, 1)");
        TableSchema schema = schema(t);
        List<Row> rows = read(t, "TRUE");
        pair.source().exec("UPDATE " + t.sql() + " SET v = 2");
        List<Row> after = read(t, "TRUE");
        pair.target().exec("INSERT INTO " + t.sql() + " VALUES (1, 1)");
        var update = List.<BinlogEvent>of(new RowsUpdated(t, schema, changes(rows, after), next(), WHEN), commit());

        try (PooledDataSource impatient = DataSources.open("apply-it-impatient", pair.target().ferryConfig(), 1,
                Map.of("foreign_key_checks", "0", "innodb_lock_wait_timeout", "1"))) {
            try (Connection locker = pair.target().connect(); Statement st = locker.createStatement()) {
                st.execute("START TRANSACTION");
                st.execute("SELECT * FROM " + t.sql() + " WHERE id = 1 FOR UPDATE");
                var once = new BinlogApplier(impatient, settings().withWriteRetries(1));
                var e = assertThrows(RunFailed.class, () -> once.apply(update));
                assertTrue(e.getMessage().contains("Lock wait timeout"), e.getMessage());
                assertTrue(e.getMessage().contains("still failing after 1 attempts"), e.getMessage());

                // With retries, the lock is released while the applier waits and a later attempt passes.
                var started = new CountDownLatch(1);
                var patient = new BinlogApplier(impatient, settings().withWriteRetries(5).withListener(
                        new BinlogApplier.ApplyListener() {
                            @Override
                            public void beforeApply(List<BinlogEvent> batch) {
                                started.countDown();
                            }
                        }));
                var applied = CompletableFuture.runAsync(() -> patient.apply(update));
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Thread.sleep(1500);
                st.execute("ROLLBACK");
                applied.get(20, TimeUnit.SECONDS);
            }
        }
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
    }

    @Test
    void severalWritersLeaveTheTargetAsOneOrderedWriterWould() throws Exception {
        TableId t = createOnBoth("kv_parallel", "CREATE TABLE %s (id INT PRIMARY KEY, u INT UNIQUE, v VARCHAR(20))");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        List<String> workload = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            workload.add("INSERT INTO " + t.sql() + " VALUES (" + i + ", " + i + ", 'v" + i + "')");
        }
        for (int round = 0; round < 20; round++) {
            workload.add("UPDATE " + t.sql() + " SET v = CONCAT('hot', " + round + ") WHERE id = 7");
            // Unique values handed from row to row: a writer that reordered these would lose a row to INSERT IGNORE
            // or leave a stale value.
            int a = 20 + round;
            int b = 100 + round;
            workload.add("UPDATE " + t.sql() + " SET u = NULL WHERE id = " + a);
            workload.add("UPDATE " + t.sql() + " SET u = " + a + " WHERE id = " + b);
            workload.add("UPDATE " + t.sql() + " SET u = " + b + " WHERE id = " + a);
            workload.add("DELETE FROM " + t.sql() + " WHERE id = " + (150 + round));
            workload.add("INSERT INTO " + t.sql() + " VALUES (" + (300 + round) + ", " + (150 + round) + ", 'moved')");
            workload.add("UPDATE " + t.sql() + " SET id = " + (150 + round) + " WHERE id = " + (300 + round));
        }
        workload.add("UPDATE " + t.sql() + " SET v = 'all'");
        pair.source().exec(workload.toArray(String[]::new));
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());
        List<BinlogEvent> events = BinlogCapture.own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end), pair.database());

        Set<String> writers = ConcurrentHashMap.newKeySet();
        List<ResumablePosition> asked = new CopyOnWriteArrayList<>();
        var hooks = new BinlogApplier.ApplyListener() {
            @Override
            public void afterApply(List<BinlogEvent> batch, ResumablePosition applied) {
                writers.add(Thread.currentThread().getName());
            }

            @Override
            public String positionStatement(ResumablePosition completedThrough) {
                asked.add(completedThrough);
                return "DO 1";
            }
        };
        try (PooledDataSource pool = DataSources.open("apply-it-writers", pair.target().ferryConfig(), 5,
                Map.of("foreign_key_checks", "0"))) {
            var applier = new BinlogApplier(pool, settings().withWriters(4).withBatchSize(10).withListener(hooks));
            applier.apply(events);
            assertEquals(events.getLast().position(), applier.lastApplied());
            assertEquals(BinlogEvent.rowChanges(events), applier.rowsApplied());
        }

        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
        assertTrue(writers.size() >= 2, "the changes went over several connections: " + writers);
        // The position is recorded once, after every lane committed: never one inside the parallel run.
        assertEquals(List.of(events.getLast().position()), asked);
    }

    @Test
    void aStopDuringAParallelRunKeepsThePositionBeforeTheRun() throws Exception {
        TableId t = createOnBoth("kv_parallel_stop", "CREATE TABLE %s (id INT PRIMARY KEY, v INT)");
        TableSchemas schemas = BinlogCapture.schemasOf(pair.source(), t);
        BinlogPosition start = BinlogCapture.currentPosition(pair.source());
        var values = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            values.append(i == 1 ? "" : ", ").append('(').append(i).append(", ").append(i).append(')');
        }
        pair.source().exec("INSERT INTO " + t.sql() + " VALUES " + values);
        BinlogPosition end = BinlogCapture.currentPosition(pair.source());
        List<BinlogEvent> events = BinlogCapture.own(BinlogCapture.read(pair.source().ferryConfig(), schemas,
                ResumablePosition.at(start), end), pair.database());

        var commits = new AtomicInteger();
        var hooks = new BinlogApplier.ApplyListener() {
            @Override
            public void afterApply(List<BinlogEvent> batch, ResumablePosition applied) {
                commits.incrementAndGet();
            }

            @Override
            public boolean stopRequested() {
                return commits.get() >= 1;
            }
        };
        try (PooledDataSource pool = DataSources.open("apply-it-stop", pair.target().ferryConfig(), 5,
                Map.of("foreign_key_checks", "0"))) {
            var applier = new BinlogApplier(pool, settings().withWriters(4).withBatchSize(10).withListener(hooks));
            applier.apply(events);
            assertEquals(ResumablePosition.NONE, applier.lastApplied(), "no lane's commit moves the position");
            long applied = pair.target().count(t.sql());
            assertTrue(applied > 0 && applied < 100, "some lanes committed a transaction, none went on: " + applied);

            // Applying the run again (a resume) is harmless for the rows already there.
            var resumed = new BinlogApplier(pool, settings().withWriters(4).withBatchSize(10));
            resumed.apply(events);
            assertEquals(events.getLast().position(), resumed.lastApplied());
        }
        TableComparison.assertIdentical(pair.source(), t, pair.target(), t);
    }

    // --- helpers ---

    private BinlogApplier.Settings settings() {
        return BinlogApplier.Settings.of(flavor);
    }

    private BinlogApplier applier(BinlogApplier.Settings settings) {
        return new BinlogApplier(target, settings);
    }

    private TableId createOnBoth(String name, String ddl) {
        TableId t = pair.table(name);
        pair.source().exec(ddl.formatted(t.sql()));
        pair.target().exec(ddl.formatted(t.sql()));
        return t;
    }

    private TableSchema schema(TableId t) {
        try (Connection c = pair.source().connect()) {
            return SchemaLoader.loadOne(c, t);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of {@code t} on the source matching {@code where}, in text form, in storage order. */
    private List<Row> read(TableId t, String where) {
        TableSchema schema = schema(t);
        List<Row> rows = new ArrayList<>();
        try (Connection c = pair.source().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(schema.columns()) + " FROM " + t.sql()
                     + " WHERE " + where)) {
            while (rs.next()) {
                rows.add(SqlLiterals.readRow(rs, 1, schema.columns().size()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static List<RowsUpdated.Change> changes(List<Row> before, List<Row> after) {
        assertEquals(before.size(), after.size());
        List<RowsUpdated.Change> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            out.add(new RowsUpdated.Change(before.get(i), after.get(i)));
        }
        return out;
    }

    private ResumablePosition next() {
        offset += 100;
        return ResumablePosition.at(new BinlogPosition("source-bin.000001", offset));
    }

    private TransactionCommitted commit() {
        return new TransactionCommitted(next(), WHEN);
    }

    /**
     * The real target pool, counting the JDBC calls that each cost a round trip: {@code Statement.execute*} and
     * everything else that talks to the server about transactions.
     */
    private static final class CountingDataSource implements InvocationHandler {
        final AtomicInteger executes = new AtomicInteger();
        final AtomicInteger otherCalls = new AtomicInteger();
        private final DataSource real;

        CountingDataSource(DataSource real) {
            this.real = real;
        }

        DataSource proxy() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, this);
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
            Object result = call(real, method, args);
            if (result instanceof Connection c) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                    if (List.of("setAutoCommit", "commit", "rollback", "setTransactionIsolation").contains(m.getName())) {
                        otherCalls.incrementAndGet();
                    }
                    Object r = call(c, m, a);
                    if (r instanceof Statement s) {
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class}, (p2, m2, a2) -> {
                            if (m2.getName().equals("execute") || m2.getName().equals("executeUpdate")
                                    || m2.getName().equals("executeQuery")) {
                                executes.incrementAndGet();
                            } else if (m2.getName().startsWith("executeBatch") || m2.getName().startsWith("executeLarge")) {
                                otherCalls.incrementAndGet();
                            }
                            return call(s, m2, a2);
                        });
                    }
                    return r;
                });
            }
            return result;
        }

        private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}

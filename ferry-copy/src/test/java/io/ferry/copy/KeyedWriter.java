package io.ferry.copy;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import io.ferry.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * Writes to a source table of any key shape, as an application would during a copy: each step picks an existing
 * row ({@code ORDER BY RAND() LIMIT 1}, a plain read) and updates its non-key column {@code v}, changes its key, or
 * deletes it, or inserts a new row with a fresh key. Rows are addressed by their primary key (or first unique key),
 * written back as exact literals. Fresh keys come from {@code row(n)} / {@code keyChange(n)} with {@code n} counting
 * up from {@code firstFresh}; a key that happens to exist already is skipped.
 */
final class KeyedWriter implements AutoCloseable {
    /** Which changes the writer makes. */
    enum Mix { ALL, INSERTS_ONLY }

    private final TestServer server;
    private final TableId table;
    private final String insertColumns;
    private final LongFunction<String> row;
    private final LongFunction<String> keyChange;
    private final Mix mix;
    private final AtomicLong fresh;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong keyChanges = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final Thread thread;

    /**
     * @param insertColumns columns {@code row(n)} gives values for, e.g. {@code k, v}
     * @param row           the parenthesised VALUES of row number {@code n}
     * @param keyChange     a SET clause giving a row the key of row number {@code n}, e.g. {@code k = 42}
     */
    KeyedWriter(TestServer server, TableId table, String insertColumns, LongFunction<String> row,
                LongFunction<String> keyChange, long firstFresh, Mix mix) {
        this.server = server;
        this.table = table;
        this.insertColumns = insertColumns;
        this.row = row;
        this.keyChange = keyChange;
        this.mix = mix;
        this.fresh = new AtomicLong(firstFresh);
        this.thread = Thread.ofVirtual().name("keyed-writer-" + table).start(this::loop);
    }

    private void loop() {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            TableSchema schema = SchemaLoader.loadOne(c, table);
            List<ColumnSchema> identity = schema.primaryKey().isEmpty()
                    ? schema.uniqueKeys().getFirst().stream().map(n -> schema.column(n).orElseThrow()).toList()
                    : schema.primaryKeyColumns();
            var literals = new SqlLiterals(ServerInfo.of(c).flavor());
            var random = ThreadLocalRandom.current();
            while (running) {
                int op = mix == Mix.INSERTS_ONLY ? 0 : random.nextInt(4);
                try {
                    if (op == 0) {
                        st.executeUpdate("INSERT INTO " + table.sql() + " (" + insertColumns + ") VALUES "
                                + row.apply(fresh.getAndIncrement()));
                    } else {
                        String where = pick(st, identity, literals);
                        if (where == null) {
                            continue;
                        }
                        switch (op) {
                            case 1 -> st.executeUpdate("UPDATE " + table.sql() + " SET v = " + random.nextInt(1_000_000)
                                    + " WHERE " + where);
                            case 2 -> {
                                st.executeUpdate("UPDATE " + table.sql() + " SET " + keyChange.apply(fresh.getAndIncrement())
                                        + " WHERE " + where);
                                keyChanges.incrementAndGet();
                            }
                            default -> st.executeUpdate("DELETE FROM " + table.sql() + " WHERE " + where);
                        }
                    }
                    writes.incrementAndGet();
                } catch (SQLIntegrityConstraintViolationException duplicate) {
                    // the fresh key happened to exist already: try another step
                }
                Thread.sleep(1);
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code k1 = .. AND k2 = ..} for a random existing row, or {@code null} when the table is empty. */
    private String pick(Statement st, List<ColumnSchema> identity, SqlLiterals literals) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT " + SqlLiterals.selectList(identity) + " FROM " + table.sql()
                + " ORDER BY RAND() LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            Row key = SqlLiterals.readRow(rs, 1, identity.size());
            var sb = new StringBuilder();
            for (int i = 0; i < identity.size(); i++) {
                sb.append(i == 0 ? "" : " AND ").append(Sql.quote(identity.get(i).name())).append(" = ");
                literals.append(sb, identity.get(i), key.get(i));
            }
            return sb.toString();
        }
    }

    long writes() {
        return writes.get();
    }

    long keyChanges() {
        return keyChanges.get();
    }

    /** Stops the writer and waits for it, without reporting its failure (for hooks; {@link #stop} reports it). */
    void halt() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the writer and waits for it; rethrows its failure. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        Throwable f = failure.get();
        if (f != null) {
            throw new AssertionError("the writer of " + table + " failed: " + f, f);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

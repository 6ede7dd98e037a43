package io.ferry.copy.internal;

import io.ferry.copy.RunHooks;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.SqlLiterals;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one table in key order, batch by batch, from the first key up to the last key that existed when the copy
 * started (rows inserted later arrive through the binlog). Each batch is read and written under the run's
 * {@link CopyLocking} so that no binlog change to those rows can be applied between the read and the target commit.
 * Progress advances only after the target commit.
 */
public final class TableCopier {
    private static final Logger LOG = LoggerFactory.getLogger(TableCopier.class);

    /** What a copier needs besides the table; shared by all tables of a run. */
    public record Context(DataSource source, DataSource target, ServerInfo sourceServer, SqlLiterals sourceLiterals,
                          SqlLiterals targetLiterals, CopyLocking locking, IntSupplier batchSize, int readRetries,
                          int writeRetries, RunHooks hooks, PauseGate pause) {
    }

    private final Context ctx;
    private final TableSchema schema;
    private final TableId target;
    private final KeyRange key;
    private final int[] keyIndexes;
    private final List<ColumnSchema> writable;
    private final int[] writableIndexes;
    private final String insertPrefix;
    private final String rowPlaceholders;
    private final TableProgress progress;

    public TableCopier(Context ctx, TableSchema schema, TableId target, List<ColumnSchema> keyColumns,
                       TableProgress progress) {
        this.ctx = ctx;
        this.schema = schema;
        this.target = target;
        this.key = new KeyRange(keyColumns, ctx.sourceLiterals());
        this.keyIndexes = keyColumns.stream().mapToInt(c -> schema.columns().indexOf(c)).toArray();
        this.writable = schema.writableColumns();
        this.writableIndexes = writable.stream().mapToInt(c -> schema.columns().indexOf(c)).toArray();
        var columns = new StringBuilder();
        var placeholders = new StringBuilder("(");
        for (ColumnSchema c : writable) {
            columns.append(columns.isEmpty() ? "" : ", ").append(io.ferry.core.sql.Sql.quote(c.name()));
            placeholders.append(placeholders.length() == 1 ? "" : ", ").append(ctx.targetLiterals().placeholder(c));
        }
        this.insertPrefix = "INSERT IGNORE INTO " + target.sql() + " (" + columns + ") VALUES ";
        this.rowPlaceholders = placeholders.append(')').toString();
        this.progress = progress;
    }

    /** Copies the whole table; returns the number of rows written. */
    public long copy() throws InterruptedException {
        List<byte[]> last = readLastKey();
        if (last == null) {
            LOG.info("{}: empty, nothing to copy", schema.id());
            progress.completed();
            return 0;
        }
        progress.copying(render(last));
        LOG.info("{}: copying up to key {}", schema.id(), render(last));
        List<byte[]> after = null;
        while (true) {
            ctx.pause().awaitOpen();
            List<byte[]> reached = copyBatchWithRetries(after, last);
            if (reached == null || sameKey(reached, last)) {
                break;
            }
            after = reached;
        }
        progress.completed();
        LOG.info("{}: copied {} rows", schema.id(), progress.rowsWritten());
        return progress.rowsWritten();
    }

    /** The key of the last row in key order now, or {@code null} for an empty table. */
    private List<byte[]> readLastKey() {
        String sql = "SELECT " + key.columnList() + " FROM " + schema.id().sql() + " ORDER BY " + key.orderBy(true) + " LIMIT 1";
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ctx.source().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return null;
                }
                List<byte[]> out = new ArrayList<>(keyIndexes.length);
                for (int i = 1; i <= keyIndexes.length; i++) {
                    out.add(rs.getBytes(i));
                }
                return out;
            } catch (SQLException e) {
                if (!SqlErrors.isRetriable(e) || attempt > ctx.readRetries()) {
                    throw new RunFailed("reading the last key of " + schema.id() + " failed: " + SqlErrors.describe(e), e);
                }
                sleepQuietly(attempt);
            }
        }
    }

    private List<byte[]> copyBatchWithRetries(List<byte[]> after, List<byte[]> last) throws InterruptedException {
        int lockConflicts = 0;
        int failures = 0;
        while (true) {
            try {
                long started = System.nanoTime();
                List<byte[]> reached = copyBatch(after, last);
                if (reached != null) {
                    progress.batchTook(System.nanoTime() - started);
                }
                return reached;
            } catch (SQLException e) {
                boolean conflict = SqlErrors.isLockConflict(e);
                boolean retry = conflict ? ++lockConflicts <= ctx.readRetries()
                        : SqlErrors.isRetriable(e) && ++failures <= ctx.writeRetries();
                progress.batchFailed(retry);
                if (!retry) {
                    throw new RunFailed("copying " + schema.id() + " after key " + (after == null ? "(start)" : render(after))
                            + " failed: " + SqlErrors.describe(e), e);
                }
                LOG.debug("{}: batch after {} retried: {}", schema.id(), after == null ? "(start)" : render(after),
                        SqlErrors.describe(e));
                sleepQuietly(conflict ? lockConflicts : failures);
            }
        }
    }

    /** One batch: read (locked), write, commit, release. Returns the batch's last key, or null when no rows remain. */
    private List<byte[]> copyBatch(List<byte[]> after, List<byte[]> last) throws SQLException, InterruptedException {
        var sql = new StringBuilder("SELECT ").append(SqlLiterals.selectList(schema.columns()))
                .append(" FROM ").append(schema.id().sql()).append(" WHERE ");
        if (after != null) {
            sql.append(key.after(after, false)).append(" AND ");
        }
        sql.append(key.upTo(last, false)).append(" ORDER BY ").append(key.orderBy(false))
                .append(" LIMIT ").append(ctx.batchSize().getAsInt());
        String lockClause = ctx.locking().readClause(ctx.sourceServer());
        if (!lockClause.isEmpty()) {
            sql.append(' ').append(lockClause);
        }
        List<byte[]> reached;
        int count;
        try (var held = ctx.locking().acquire(schema.id());
             Connection src = ctx.source().getConnection()) {
            boolean transaction = !lockClause.isEmpty();
            if (transaction) {
                src.setAutoCommit(false);
            }
            try {
                List<Row> rows = read(src, sql.toString());
                if (rows.isEmpty()) {
                    return null;
                }
                count = rows.size();
                ctx.hooks().beforeRowCopy(schema.id(), count);
                long bytes = write(rows);
                Row lastRow = rows.getLast();
                reached = new ArrayList<>(keyIndexes.length);
                for (int i : keyIndexes) {
                    reached.add(lastRow.get(i));
                }
                progress.batchWritten(count, bytes, render(reached));
            } finally {
                if (transaction) {
                    src.rollback(); // releases the shared row locks only after the target commit
                    src.setAutoCommit(true);
                }
            }
        }
        ctx.hooks().afterRowCopy(schema.id(), count);
        return reached;
    }

    private List<Row> read(Connection src, String sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        int n = schema.columns().size();
        try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(SqlLiterals.readRow(rs, 1, n));
            }
        }
        return rows;
    }

    private long write(List<Row> rows) throws SQLException {
        var sql = new StringBuilder(insertPrefix.length() + rows.size() * (rowPlaceholders.length() + 1));
        sql.append(insertPrefix);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append(rowPlaceholders);
        }
        long bytes = 0;
        try (Connection tgt = ctx.target().getConnection()) {
            tgt.setAutoCommit(false);
            try (PreparedStatement ps = tgt.prepareStatement(sql.toString())) {
                int p = 1;
                for (Row row : rows) {
                    for (int i = 0; i < writable.size(); i++) {
                        ctx.targetLiterals().bind(ps, p++, writable.get(i), row.get(writableIndexes[i]));
                    }
                    bytes += row.byteSize();
                }
                ps.executeUpdate();
                tgt.commit();
            } catch (SQLException | RuntimeException e) {
                tgt.rollback();
                throw e;
            } finally {
                tgt.setAutoCommit(true);
            }
        }
        return bytes;
    }

    private static boolean sameKey(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A key for people: integers and text as they are, binary values as hex. */
    private String render(List<byte[]> value) {
        var sb = new StringBuilder();
        for (int i = 0; i < value.size(); i++) {
            ColumnSchema c = key.columns().get(i);
            byte[] v = value.get(i);
            sb.append(i == 0 ? "" : ", ");
            if (v == null) {
                sb.append("NULL");
            } else if (c.kind() == io.ferry.core.schema.ColumnKind.BINARY || c.kind() == io.ferry.core.schema.ColumnKind.FIXED_BINARY) {
                sb.append("0x").append(io.ferry.core.sql.Sql.hex(v));
            } else {
                sb.append(new String(v, StandardCharsets.UTF_8));
            }
        }
        return value.size() == 1 ? sb.toString() : "(" + sb + ")";
    }

    private static void sleepQuietly(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 50L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

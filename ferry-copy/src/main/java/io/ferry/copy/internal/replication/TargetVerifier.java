package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.BinlogStreamer;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsQueryLogged;
import io.ferry.binlog.RowsUpdated;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TableSchemas;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.DataMismatch;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.DatabaseConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.StatementComment;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ghostferry's target verifier ({@code "SkipTargetVerification": false}): tails the target's binlog from the start
 * of the run and fails the run at the first row change to a copied table whose logged statement (MariaDB's
 * annotate event, MySQL's rows-query event) does not start with this run's marginalia comment: someone else wrote
 * to the target, so the copy can no longer be trusted. The failure stops the binlog apply and the row copy like a
 * replication failure, naming the table, the row's key and the statement. At cutover, {@link #finish} reads the
 * target's binlog up to its position after everything ferry wrote before reporting success.
 */
public final class TargetVerifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetVerifier.class);
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(5);

    private final DatabaseConfig target;
    private final Set<TableId> watched;
    private final ReplicationProgress progress;
    private final BinlogStreamer streamer;
    private final Map<TableId, TableSchema> schemas = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile Throwable failure;
    /** The statement logged for the rows events being read; {@code null} when none was. */
    private String loggedQuery;

    /**
     * @param target   the target's connection settings; its marginalia is this run's
     * @param watched  the target names of the copied tables
     * @param progress where a foreign write is reported, which stops the run
     */
    public TargetVerifier(DatabaseConfig target, Set<TableId> watched, ReplicationProgress progress, int readRetries) {
        this.target = target;
        this.watched = Set.copyOf(watched);
        this.progress = progress;
        this.streamer = BinlogStreamer.withLoggedQueries(target, 0, new Schemas(), readRetries);
    }

    /** Starts tailing the target's binlog at its current position. */
    public void start() {
        BinlogPosition from;
        try (Connection c = DataSources.connect(target)) {
            from = BinlogStreamer.currentPosition(c);
        } catch (SQLException e) {
            throw new RunFailed("the target verifier cannot read the target's binlog position: " + e.getMessage(), e);
        }
        thread = Thread.ofPlatform().name("ferry-target-verifier").daemon().start(() -> {
            try {
                streamer.run(new ResumablePosition(from, from), this::accept);
            } catch (Throwable e) {
                failure = e;
                progress.fail(e);
            }
        });
        LOG.info("target verifier: watching the target's binlog from {} for writes to {} table(s) by others", from,
                watched.size());
    }

    private void accept(BinlogEvent event) throws InterruptedException {
        switch (event) {
            case RowsQueryLogged q -> loggedQuery = q.query();
            case TransactionCommitted c -> loggedQuery = null;
            case StatementExecuted s -> schemas.clear(); // a schema change: read the tables again when next needed
            case RowsInserted r -> check(r.table(), r.schema(), r.rows().getFirst(), r.position());
            case RowsUpdated r -> check(r.table(), r.schema(), r.changes().getFirst().after(), r.position());
            case RowsDeleted r -> check(r.table(), r.schema(), r.rows().getFirst(), r.position());
        }
    }

    private void check(TableId table, TableSchema schema, Row row, ResumablePosition at) throws InterruptedException {
        if (loggedQuery != null && StatementComment.marks(target.marginalia(), loggedQuery)) {
            return;
        }
        String statement = loggedQuery == null ? "no statement is logged with it (binlog_annotate_row_events /"
                + " binlog_rows_query_log_events is off in the writer's session)"
                : "the statement: " + shorten(loggedQuery);
        var mismatch = new DataMismatch("the target table " + table + " was changed by someone other than this ferry"
                + " run: the row with " + key(schema, row) + ", at " + at.event() + " in the target's binlog; "
                + statement + ". ferry's copy of it can no longer be trusted. Stop whatever writes to the target, drop"
                + " the copied tables there and run again; set \"SkipTargetVerification\": true only if such writes"
                + " are expected");
        if (progress.fail(mismatch)) {
            LOG.debug("target verifier: {}", mismatch.getMessage());
        }
        streamer.stop(); // the first foreign write decides; nothing after it matters
    }

    /**
     * At cutover, after ferry's last write: reads the target's binlog up to its current position, then stops.
     *
     * @throws DataMismatch when a foreign write was found
     * @throws RunFailed    when the target's binlog could not be read
     */
    public void finish() throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try (Connection c = DataSources.connect(target)) {
            streamer.stopAt(BinlogStreamer.currentPosition(c));
        } catch (SQLException e) {
            throw new RunFailed("the target verifier cannot read the target's binlog position at cutover: "
                    + e.getMessage(), e);
        }
        if (!t.join(FINISH_TIMEOUT)) {
            throw new RunFailed("the target verifier did not read the target's binlog to its end within "
                    + FINISH_TIMEOUT.toMinutes() + " minutes");
        }
        Throwable found = progress.failure();
        if (found instanceof DataMismatch m) {
            throw m;
        }
        if (failure != null) {
            throw new RunFailed("the target verifier failed: " + failure.getMessage(), failure);
        }
        LOG.info("target verifier: no write by others to the copied tables on the target");
    }

    @Override
    public void close() throws InterruptedException {
        streamer.stop();
        Thread t = thread;
        if (t != null) {
            t.join(Duration.ofSeconds(10));
        }
    }

    private static String shorten(String sql) {
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + " ..." : one;
    }

    /** {@code id=5} (or every key column), as text, or hex for binary columns. */
    static String key(TableSchema schema, Row row) {
        List<String> key = schema.identityKey();
        if (key.isEmpty()) {
            return "no key (the table has none)";
        }
        List<String> parts = new ArrayList<>();
        List<ColumnSchema> columns = schema.columns();
        for (String name : key) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(name)) {
                    parts.add(name + "=" + text(columns.get(i), row.get(i)));
                }
            }
        }
        return "key " + String.join(", ", parts);
    }

    private static String text(ColumnSchema c, byte[] value) {
        if (value == null) {
            return "NULL";
        }
        return switch (c.kind()) {
            case BINARY, FIXED_BINARY, GEOMETRY -> "0x" + HexFormat.of().formatHex(value);
            default -> new String(value, StandardCharsets.UTF_8);
        };
    }

    /** The watched tables' schemas as the target has them, read on first use and again after a schema change. */
    private final class Schemas implements TableSchemas {
        @Override
        public TableSchema schemaOf(TableId table) {
            if (!watched.contains(table)) {
                return null;
            }
            return schemas.computeIfAbsent(table, t -> {
                try (Connection c = DataSources.connect(target)) {
                    return SchemaLoader.loadOne(c, t);
                } catch (SQLException e) {
                    throw new RunFailed("the target verifier cannot read the schema of " + t + " on the target: "
                            + e.getMessage(), e);
                }
            });
        }
    }
}

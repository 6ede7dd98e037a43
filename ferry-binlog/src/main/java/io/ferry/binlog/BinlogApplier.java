package io.ferry.binlog;

import io.ferry.binlog.internal.apply.PendingTransaction;
import io.ferry.binlog.internal.apply.StatementKind;
import io.ferry.binlog.internal.apply.TransactionWriter;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies source binlog row changes to the target (DESIGN.md invariant 3): INSERT as {@code INSERT IGNORE}, UPDATE
 * and DELETE conditional on the full old row image, so a change to a row that is not on the target yet is a
 * harmless no-op and the later row copy brings the newer state. Every row's changes are applied in source order.
 * <p>
 * Row changes are written in target transactions of at most {@link Settings#batchSize} row changes, each sent in
 * one round trip; a rows event larger than that is split over several transactions. With more than one writer
 * ({@link Settings#writers}), a run of rows events holding more than one transaction's worth is spread over
 * concurrent connections by writeset ({@link WritesetLanes}): changes to the same row, or to rows a unique index
 * ties together, stay on one connection in source order; other rows go in parallel. {@link #lastApplied()} only
 * moves past an event once all of its rows are committed, so resuming from it never skips a row.
 * Statements logged as text are refused when they are DML in statement format (they cannot be replayed safely),
 * ignored when they are savepoints, and handed to the {@link StatementHandler} otherwise (DDL and the like).
 * <p>
 * One thread applies at a time ({@link #apply} holds a lock); the counters can be read from any thread.
 */
public final class BinlogApplier {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogApplier.class);

    /**
     * Hooks around each target transaction: test hooks and progress reporting. Called on the thread writing the
     * transaction: with several {@link Settings#writers}, on several threads at once.
     */
    public interface ApplyListener {
        /** No hooks. */
        ApplyListener NONE = new ApplyListener() {
        };

        /** Before the transaction writing {@code batch} (events, or parts of a split event) is sent. */
        default void beforeApply(List<BinlogEvent> batch) {
        }

        /** After it committed; {@code applied} is the new {@link BinlogApplier#lastApplied()}. */
        default void afterApply(List<BinlogEvent> batch, ResumablePosition applied) {
        }

        /** Instead of {@link #afterApply} when the transaction failed for good (it was rolled back). */
        default void applyFailed(List<BinlogEvent> batch, RuntimeException error) {
        }

        /**
         * One more statement for the transaction that makes {@code completedThrough} the applied position, run
         * just before its COMMIT, or {@code null} for none. A run keeping its state in the target writes the
         * position there, so the position and the changes commit together and no change is applied twice.
         */
        default String positionStatement(ResumablePosition completedThrough) {
            return null;
        }

        /**
         * Asked after each committed transaction: {@code true} makes {@link #apply} return at once, leaving the
         * rest of its events unapplied (a run stopping at a clean point; {@link #lastApplied()} says where).
         */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * Decides what a statement logged as text means for the run (DDL, TRUNCATE, GRANT, ...): ignore it (for
     * tables the run does not copy), apply it, or throw a {@link io.ferry.core.FerryException} to stop the run.
     * Pending row changes before it are committed first.
     */
    @FunctionalInterface
    public interface StatementHandler {
        /** Refuses every statement: without DDL propagation a schema change would silently corrupt the copy. */
        StatementHandler REFUSE = statement -> {
            throw new RunFailed("the source binlog at position " + statement.position().event()
                    + " holds a statement ferry does not replay" + inDatabase(statement) + ": " + abbreviate(statement.sql())
                    + "; schema changes during a run are not propagated: undo or postpone the change, or exclude the"
                    + " table from the run, then start the copy of the affected tables again");
        };

        void handle(StatementExecuted statement);

        /**
         * A data change logged in statement format. It cannot be replayed safely; the default refuses it. A run may
         * ignore it when it provably touches no copied table.
         */
        default void handleDml(StatementExecuted statement) {
            throw new RunFailed("the source binlog at position " + statement.position().event()
                    + " holds a statement logged in statement format" + inDatabase(statement) + ": "
                    + abbreviate(statement.sql()) + "; statement-based binlog events cannot be replayed safely: set"
                    + " binlog_format=ROW on the source (SET GLOBAL binlog_format='ROW', then reconnect the"
                    + " application) and start the run again");
        }
    }

    /**
     * How the applier writes to the target.
     *
     * @param flavor           the target server's flavor (decides a few SQL spellings)
     * @param tableMapping     source table to target table (database/table rewrites); identity when not rewritten
     * @param batchSize        most row changes per target transaction ({@code BinlogEventBatchSize}), >= 1
     * @param writeRetries     how often a transaction is tried in total on retriable errors, >= 1: unlike
     *                         {@code RetryPolicy}'s count, the first try included ({@code DBWriteRetries + 1})
     * @param listener         hooks around each transaction
     * @param statementHandler what to do with statements other than row changes
     * @param cascadeParents   source tables referenced by foreign keys with ON DELETE/UPDATE CASCADE or SET NULL:
     *                         the source does not log the changes such a key makes to child rows, so their deletes
     *                         and updates run with {@code foreign_key_checks=1} and the target's own keys act
     * @param sourceFlavor     the source server's flavor (the target's unless set): MySQL JSON replayed on MariaDB
     *                         is matched as JSON, not as text
     * @param writers          target connections that apply row changes concurrently ({@code BinlogApplyConcurrency}),
     *                         >= 1; 1 applies every change in source order on one connection
     */
    public record Settings(ServerFlavor flavor, Function<TableId, TableId> tableMapping, int batchSize, int writeRetries,
                           ApplyListener listener, StatementHandler statementHandler, Set<TableId> cascadeParents,
                           ServerFlavor sourceFlavor, int writers) {
        public static final int DEFAULT_BATCH_SIZE = 100;
        public static final int DEFAULT_WRITE_RETRIES = 5;
        public static final int MAX_WRITERS = 64;

        public Settings {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(sourceFlavor, "sourceFlavor");
            Objects.requireNonNull(tableMapping, "tableMapping");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(statementHandler, "statementHandler");
            cascadeParents = Set.copyOf(cascadeParents);
            if (batchSize < 1) {
                throw new IllegalArgumentException("BinlogEventBatchSize = " + batchSize + ": must be at least 1");
            }
            if (writeRetries < 1) {
                throw new IllegalArgumentException("DBWriteRetries = " + writeRetries + ": must be at least 1");
            }
            if (writers < 1 || writers > MAX_WRITERS) {
                throw new IllegalArgumentException("BinlogApplyConcurrency = " + writers + ": must be 1 to " + MAX_WRITERS);
            }
        }

        /** No rewrites, Ghostferry's default batch size and retries, no hooks, statements refused, one writer. */
        public static Settings of(ServerFlavor flavor) {
            return new Settings(flavor, Function.identity(), DEFAULT_BATCH_SIZE, DEFAULT_WRITE_RETRIES,
                    ApplyListener.NONE, StatementHandler.REFUSE, Set.of(), flavor, 1);
        }

        public Settings withWriters(int count) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, statementHandler, cascadeParents,
                    sourceFlavor, count);
        }

        public Settings withTableMapping(Function<TableId, TableId> mapping) {
            return new Settings(flavor, mapping, batchSize, writeRetries, listener, statementHandler, cascadeParents,
                    sourceFlavor, writers);
        }

        public Settings withBatchSize(int size) {
            return new Settings(flavor, tableMapping, size, writeRetries, listener, statementHandler, cascadeParents,
                    sourceFlavor, writers);
        }

        public Settings withWriteRetries(int retries) {
            return new Settings(flavor, tableMapping, batchSize, retries, listener, statementHandler, cascadeParents,
                    sourceFlavor, writers);
        }

        public Settings withListener(ApplyListener hooks) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, hooks, statementHandler, cascadeParents,
                    sourceFlavor, writers);
        }

        public Settings withCascadeParents(Set<TableId> parents) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, statementHandler, parents,
                    sourceFlavor, writers);
        }

        public Settings withSourceFlavor(ServerFlavor source) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, statementHandler, cascadeParents,
                    source, writers);
        }

        public Settings withStatementHandler(StatementHandler handler) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, handler, cascadeParents,
                    sourceFlavor, writers);
        }
    }

    private final Settings settings;
    private final TransactionWriter writer;
    private final OrderedWriter ordered;
    private final List<OrderedWriter> lanes = new ArrayList<>();
    private final WritesetLanes writesets;
    private final ReentrantLock applying = new ReentrantLock();

    private volatile ResumablePosition lastApplied = ResumablePosition.NONE;
    private volatile Instant lastEventTime = Instant.EPOCH;
    private final LongAdder rowsApplied = new LongAdder();

    /**
     * @param target the target pool; its sessions run in UTC with ferry's strict sql_mode (see
     *               {@link io.ferry.core.db.DataSources}) and, set by the caller, {@code foreign_key_checks=0};
     *               it needs a connection per writer ({@link Settings#writers})
     */
    public BinlogApplier(DataSource target, Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // Settings count tries in total. A failed transaction is tried again on a fresh connection after the usual
        // backoff: a restarting target needs seconds, a lock conflict milliseconds.
        this.writer = new TransactionWriter(Objects.requireNonNull(target, "target"),
                RetryPolicy.ofAttempts(settings.writeRetries()));
        this.ordered = new OrderedWriter(settings, writer, true, this::committedInOrder);
        for (int i = 0; settings.writers() > 1 && i < settings.writers(); i++) {
            lanes.add(new OrderedWriter(settings, writer, false, this::committedInLane));
        }
        this.writesets = new WritesetLanes(settings.tableMapping(), settings.cascadeParents());
    }

    /**
     * Writes {@code events} to the target and returns once all are committed (or handled).
     *
     * @throws RunFailed on statement-based DML, a rejected statement, retries running out, or what the
     *                   {@link StatementHandler} throws; everything before the failing transaction stays applied
     */
    public void apply(List<BinlogEvent> events) {
        applying.lock();
        try {
            applyAll(events);
        } catch (StopRequested stop) {
            LOG.debug("binlog apply stopped on request at {}", lastApplied);
        } finally {
            ordered.clear();
            lanes.forEach(OrderedWriter::clear);
            applying.unlock();
        }
    }

    /** Thrown after a commit when the listener asks to stop; never leaves {@link #apply}. */
    private static final class StopRequested extends RuntimeException {
        StopRequested() {
            super(null, null, false, false);
        }
    }

    private void applyAll(List<BinlogEvent> events) {
        List<BinlogEvent> rowEvents = new ArrayList<>();
        for (BinlogEvent event : events) {
            if (event instanceof StatementExecuted e) {
                applyRows(rowEvents);
                rowEvents.clear();
                handleStatement(e);
            } else {
                rowEvents.add(event);
            }
        }
        applyRows(rowEvents);
    }

    /**
     * Applies a run of rows events and commits: spread over the lanes when it holds more than one transaction's
     * worth of row changes and they touch different rows, else in order on one connection.
     */
    private void applyRows(List<BinlogEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (settings.writers() > 1 && BinlogEvent.rowChanges(events) > settings.batchSize()) {
            List<List<BinlogEvent>> split = writesets.split(events, settings.writers());
            if (split.size() > 1) {
                applyInParallel(split, events);
                return;
            }
        }
        ordered.write(events);
    }

    /**
     * Each lane on a connection of its own; the applied position moves past {@code last} once every lane has
     * committed, in a transaction of its own when the listener records positions in the target. Until then a stop
     * or failure leaves the position before the run: the changes some lanes committed are applied again on
     * resume, harmlessly, since lanes never carry changes of tables without a key.
     */
    private void applyInParallel(List<List<BinlogEvent>> split, List<BinlogEvent> run) {
        var stop = new AtomicBoolean();
        try (var scope = new TaskScope("ferry-binlog-lane")) {
            for (int i = 0; i < split.size(); i++) {
                OrderedWriter lane = lanes.get(i);
                List<BinlogEvent> events = split.get(i);
                scope.fork(() -> {
                    try {
                        lane.write(events);
                    } catch (StopRequested e) {
                        stop.set(true);
                    }
                });
            }
            scope.join();
            if (scope.failure() instanceof RuntimeException e) {
                throw e;
            }
            if (scope.failure() != null) {
                throw new RunFailed("applying binlog changes to the target failed: " + scope.failure(), scope.failure());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailed("interrupted while applying binlog changes to the target", e);
        }
        if (stop.get()) {
            throw new StopRequested();
        }
        BinlogEvent last = run.getLast();
        String position = settings.listener().positionStatement(last.position());
        if (position != null) {
            var tx = new PendingTransaction<BinlogEvent>();
            tx.addStatement(position, lastTable(run), last.position());
            writer.write(tx);
        }
        lastApplied = last.position();
        lastEventTime = last.timestamp();
    }

    /** The position of the last event of the last committed transaction; {@link ResumablePosition#NONE} at first. */
    public ResumablePosition lastApplied() {
        return lastApplied;
    }

    /** Row changes committed to the target so far. */
    public long rowsApplied() {
        return rowsApplied.sum();
    }

    /** When the source wrote the last event applied; {@link Instant#EPOCH} before the first. */
    public Instant lastEventTime() {
        return lastEventTime;
    }

    private void committedInOrder(PendingTransaction<BinlogEvent> tx) {
        if (tx.completedPosition() != null) {
            lastApplied = tx.completedPosition();
        }
        rowsApplied.add(tx.rowChanges());
        lastEventTime = tx.lastEvent().timestamp();
        settings.listener().afterApply(tx.events(), lastApplied);
        if (settings.listener().stopRequested()) {
            throw new StopRequested();
        }
    }

    /** A lane's commit: rows counted, the position left to the end of the parallel run. */
    private void committedInLane(PendingTransaction<BinlogEvent> tx) {
        rowsApplied.add(tx.rowChanges());
        settings.listener().afterApply(tx.events(), lastApplied);
        if (settings.listener().stopRequested()) {
            throw new StopRequested();
        }
    }

    /** The table of the last rows event, for messages about the position's own transaction. */
    private static TableId lastTable(List<BinlogEvent> events) {
        for (BinlogEvent e : events.reversed()) {
            switch (e) {
                case RowsInserted r -> { return r.table(); }
                case RowsUpdated r -> { return r.table(); }
                case RowsDeleted r -> { return r.table(); }
                default -> { }
            }
        }
        throw new IllegalStateException("a parallel run without row changes");
    }

    private void handleStatement(StatementExecuted e) {
        switch (StatementKind.of(e.sql())) {
            case DML -> settings.statementHandler().handleDml(e);
            case NO_OP -> {
            }
            case OTHER -> settings.statementHandler().handle(e);
        }
        lastApplied = e.position();
        lastEventTime = e.timestamp();
    }

    private static String inDatabase(StatementExecuted e) {
        return e.database().isEmpty() ? "" : " (in database " + e.database() + ")";
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}

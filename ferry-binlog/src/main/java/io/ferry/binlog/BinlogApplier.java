package io.ferry.binlog;

import io.ferry.binlog.internal.apply.PendingTransaction;
import io.ferry.binlog.internal.apply.StatementKind;
import io.ferry.binlog.internal.apply.TransactionWriter;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies source binlog row changes to the target, in source order, the one ordered writer of DESIGN.md
 * invariant 3: INSERT as {@code INSERT IGNORE}, UPDATE and DELETE conditional on the full old row image, so a
 * change to a row that is not on the target yet is a harmless no-op and the later row copy brings the newer state.
 * <p>
 * Row changes are written in target transactions of at most {@link Settings#batchSize} row changes, each sent in
 * one round trip; a rows event larger than that is split over several transactions. {@link #lastApplied()} only
 * moves past an event once all of its rows are committed, so resuming from it never skips a row.
 * Statements logged as text are refused when they are DML in statement format (they cannot be replayed safely),
 * ignored when they are savepoints, and handed to the {@link StatementHandler} otherwise (DDL and the like).
 * <p>
 * One thread applies at a time ({@link #apply} holds a lock); the counters can be read from any thread.
 */
public final class BinlogApplier {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogApplier.class);

    /**
     * Hooks around each target transaction: test hooks, the in-process table locks of {@code LockInGhostferry}
     * (lock the batch's tables before, unlock after) and progress reporting. Called on the applying thread.
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
     */
    public record Settings(ServerFlavor flavor, Function<TableId, TableId> tableMapping, int batchSize, int writeRetries,
                           ApplyListener listener, StatementHandler statementHandler, Set<TableId> cascadeParents,
                           ServerFlavor sourceFlavor) {
        public static final int DEFAULT_BATCH_SIZE = 100;
        public static final int DEFAULT_WRITE_RETRIES = 5;

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
        }

        /** No rewrites, Ghostferry's default batch size and retries, no hooks, statements refused. */
        public static Settings of(ServerFlavor flavor) {
            return new Settings(flavor, Function.identity(), DEFAULT_BATCH_SIZE, DEFAULT_WRITE_RETRIES,
                    ApplyListener.NONE, StatementHandler.REFUSE, Set.of(), flavor);
        }

        public Settings withTableMapping(Function<TableId, TableId> mapping) {
            return new Settings(flavor, mapping, batchSize, writeRetries, listener, statementHandler, cascadeParents,
                    sourceFlavor);
        }

        public Settings withBatchSize(int size) {
            return new Settings(flavor, tableMapping, size, writeRetries, listener, statementHandler, cascadeParents,
                    sourceFlavor);
        }

        public Settings withWriteRetries(int retries) {
            return new Settings(flavor, tableMapping, batchSize, retries, listener, statementHandler, cascadeParents,
                    sourceFlavor);
        }

        public Settings withListener(ApplyListener hooks) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, hooks, statementHandler, cascadeParents,
                    sourceFlavor);
        }

        public Settings withCascadeParents(Set<TableId> parents) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, statementHandler, parents,
                    sourceFlavor);
        }

        public Settings withSourceFlavor(ServerFlavor source) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, statementHandler, cascadeParents,
                    source);
        }

        public Settings withStatementHandler(StatementHandler handler) {
            return new Settings(flavor, tableMapping, batchSize, writeRetries, listener, handler, cascadeParents,
                    sourceFlavor);
        }
    }

    private final Settings settings;
    private final TransactionWriter writer;
    private final PendingTransaction<BinlogEvent> pending = new PendingTransaction<>();
    private final PendingRowChanges rows;
    private final ReentrantLock applying = new ReentrantLock();

    private volatile ResumablePosition lastApplied = ResumablePosition.NONE;
    private volatile Instant lastEventTime = Instant.EPOCH;
    private volatile long rowsApplied;

    /**
     * @param target the target pool; its sessions run in UTC with ferry's strict sql_mode (see
     *               {@link io.ferry.core.db.DataSources}) and, set by the caller, {@code foreign_key_checks=0}
     */
    public BinlogApplier(DataSource target, Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rows = new PendingRowChanges(settings, pending, this::commitPending);
        // Settings count tries in total. A failed transaction is tried again on a fresh connection after the usual
        // backoff: a restarting target needs seconds, a lock conflict milliseconds.
        this.writer = new TransactionWriter(Objects.requireNonNull(target, "target"),
                RetryPolicy.ofAttempts(settings.writeRetries()));
    }

    /**
     * Writes {@code events} to the target in order and returns once all are committed (or handled).
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
            pending.clear();
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
        pending.clear();
        for (BinlogEvent event : events) {
            switch (event) {
                case RowsInserted e -> rows.add(e);
                case RowsUpdated e -> rows.add(e);
                case RowsDeleted e -> rows.add(e);
                case RowsQueryLogged e -> { } // the source's streamer does not ask for them
                case TransactionCommitted e -> {
                    pending.addEvent(e, 0);
                    pending.completedThrough(e.position());
                }
                case StatementExecuted e -> {
                    commitPending();
                    handleStatement(e);
                }
            }
        }
        commitPending();
    }

    /** The position of the last event of the last committed transaction; {@link ResumablePosition#NONE} at first. */
    public ResumablePosition lastApplied() {
        return lastApplied;
    }

    /** Row changes committed to the target so far. */
    public long rowsApplied() {
        return rowsApplied;
    }

    /** When the source wrote the last event applied; {@link Instant#EPOCH} before the first. */
    public Instant lastEventTime() {
        return lastEventTime;
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<BinlogEvent> batch = pending.events();
        settings.listener().beforeApply(batch);
        try {
            if (!pending.statements().isEmpty()) {
                String position = pending.completedPosition() == null ? null
                        : settings.listener().positionStatement(pending.completedPosition());
                if (position != null) {
                    pending.addStatement(position, pending.tableOf(pending.statements().size() - 1),
                            pending.completedPosition());
                }
                int attempts = writer.write(pending);
                LOG.atDebug().addKeyValue("tables", pending.tables()).addKeyValue("rows", pending.rowChanges())
                        .addKeyValue("attempts", attempts).log("binlog batch applied");
            }
        } catch (RuntimeException e) {
            settings.listener().applyFailed(batch, e);
            throw e;
        }
        if (pending.completedPosition() != null) {
            lastApplied = pending.completedPosition();
        }
        rowsApplied += pending.rowChanges();
        lastEventTime = pending.lastEvent().timestamp();
        pending.clear();
        settings.listener().afterApply(batch, lastApplied);
        if (settings.listener().stopRequested()) {
            throw new StopRequested();
        }
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

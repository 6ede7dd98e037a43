package io.ferry.binlog;

import io.ferry.binlog.internal.apply.DmlStatements;
import io.ferry.binlog.internal.apply.PendingTransaction;
import io.ferry.binlog.internal.apply.TransactionWriter;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.sql.SqlLiterals;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link OrderedWriter}'s rows events as statements of its pending transaction: mapped to their target tables,
 * split where a transaction fills up ({@link BinlogApplier.Settings#batchSize}), and with the target's key checks on
 * around changes to parents of cascading foreign keys. Committing a full transaction is the writer's.
 */
final class PendingRowChanges {
    private final BinlogApplier.Settings settings;
    private final DmlStatements dml;
    private final PendingTransaction<BinlogEvent> pending;
    private final Runnable commit;

    /** {@code commit} commits {@code pending} and clears it. */
    PendingRowChanges(BinlogApplier.Settings settings, PendingTransaction<BinlogEvent> pending, Runnable commit) {
        this.settings = settings;
        this.dml = new DmlStatements(settings.flavor(), settings.sourceFlavor());
        this.pending = pending;
        this.commit = commit;
    }

    void add(RowsInserted e) {
        TableId target = targetOf(e.table());
        addInParts(e, e.rows(),
                part -> addStatement(e, () -> dml.insert(target, e.schema(), part), target),
                part -> new RowsInserted(e.table(), e.schema(), part, e.position(), e.timestamp()));
    }

    void add(RowsUpdated e) {
        TableId target = targetOf(e.table());
        boolean cascades = settings.cascadeParents().contains(e.table());
        addInParts(e, e.changes(), part -> {
            for (RowsUpdated.Change change : part) {
                List<String> statements =
                        build(e, () -> dml.update(target, e.schema(), change.before(), change.after(), cascades));
                addWithForeignKeys(cascades, statements, target, e);
            }
        }, part -> new RowsUpdated(e.table(), e.schema(), part, e.position(), e.timestamp()));
    }

    void add(RowsDeleted e) {
        TableId target = targetOf(e.table());
        boolean cascades = settings.cascadeParents().contains(e.table());
        addInParts(e, e.rows(), part -> {
            for (Row row : part) {
                addWithForeignKeys(cascades, List.of(build(e, () -> dml.delete(target, e.schema(), row))), target, e);
            }
        }, part -> new RowsDeleted(e.table(), e.schema(), part, e.position(), e.timestamp()));
    }

    /**
     * Adds the row changes of {@code event} to pending transactions, splitting it where a transaction fills up;
     * each part is recorded as an event of its own so the applied position only passes the event once all of it
     * is committed.
     */
    private <T> void addInParts(BinlogEvent event, List<T> items, Consumer<List<T>> addStatements,
                                Function<List<T>, BinlogEvent> partEvent) {
        int from = 0;
        while (from < items.size()) {
            int take = Math.min(roomInPending(), items.size() - from);
            List<T> part = items.subList(from, from + take);
            addStatements.accept(part);
            pending.addEvent(take == items.size() ? event : partEvent.apply(part), take);
            from += take;
        }
        pending.completedThrough(event.position());
    }

    /** Row changes the pending transaction can still take, committing it first when it is full. */
    private int roomInPending() {
        if (pending.rowChanges() >= settings.batchSize()) {
            commit.run();
        }
        return settings.batchSize() - pending.rowChanges();
    }

    /**
     * Adds {@code statements}; for a parent of cascading foreign keys, with the target's key checks on around them
     * so the target deletes or updates the child rows exactly as the source did without logging it.
     */
    private void addWithForeignKeys(boolean cascades, List<String> statements, TableId target, BinlogEvent e) {
        if (cascades) {
            pending.addStatement(FOREIGN_KEY_CHECKS_ON, target, e.position());
        }
        for (String sql : statements) {
            pending.addStatement(sql, target, e.position());
        }
        if (cascades) {
            pending.addStatement(TransactionWriter.FOREIGN_KEY_CHECKS_OFF, target, e.position());
        }
    }

    private static final String FOREIGN_KEY_CHECKS_ON = "SET SESSION foreign_key_checks = 1";

    private void addStatement(BinlogEvent e, Supplier<String> sql, TableId target) {
        pending.addStatement(build(e, sql), target, e.position());
    }

    /** Builds SQL, turning a value the renderer refuses (column count, unsupported type) into a run failure. */
    private static <T> T build(BinlogEvent e, Supplier<T> sql) {
        try {
            return sql.get();
        } catch (SqlLiterals.UnrepresentableValue ex) {
            String table = switch (e) {
                case RowsInserted r -> " of " + r.table();
                case RowsUpdated r -> " of " + r.table();
                case RowsDeleted r -> " of " + r.table();
                default -> "";
            };
            throw new RunFailed("cannot replay the binlog event at position " + e.position().event() + table + ": "
                    + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
            throw new RunFailed("cannot replay the binlog event at position " + e.position().event() + ": "
                    + ex.getMessage() + "; the source table changed in a way ferry cannot follow (a schema change"
                    + " during the run?): start the copy of this table again", ex);
        }
    }

    private TableId targetOf(TableId source) {
        return Objects.requireNonNull(settings.tableMapping().apply(source), () -> "no target table for " + source);
    }
}

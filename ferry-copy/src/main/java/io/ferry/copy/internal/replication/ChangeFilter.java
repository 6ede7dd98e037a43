package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.filter.ChangeOutcome;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.filter.RowChange;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

/**
 * The run's {@link RowFilter} between the binlog and the applier: keeps the row changes that concern the selected
 * rows, turns an update that moves a row into the selection into an insert of its new image and one that moves it
 * out into a delete of its old image, and drops the changes of tables copied at cutover. Events keep their order and
 * positions; an event left without rows is dropped. A {@link ChangeOutcome.Fail} stops the run before anything of
 * the batch is applied.
 */
final class ChangeFilter {
    private final RowFilter rows;

    ChangeFilter(RowFilter rows) {
        this.rows = rows;
    }

    /** Whether the filter can change anything (not for a whole copy). */
    boolean filters() {
        return rows != RowFilter.ALL;
    }

    /** Replaces the row events of {@code batch} by what the filter keeps of them, in place. */
    void filter(List<BinlogEvent> batch) {
        for (ListIterator<BinlogEvent> it = batch.listIterator(); it.hasNext(); ) {
            BinlogEvent e = it.next();
            List<BinlogEvent> kept = switch (e) {
                case RowsInserted r -> streamed(r.schema()) ? inserted(r) : List.of();
                case RowsDeleted r -> streamed(r.schema()) ? deleted(r) : List.of();
                case RowsUpdated r -> streamed(r.schema()) ? updated(r) : List.of();
                default -> null;
            };
            if (kept == null) {
                continue;
            }
            it.remove();
            kept.forEach(it::add);
        }
    }

    private boolean streamed(TableSchema schema) {
        return rows.timing(schema) == CopyTiming.STREAMED;
    }

    private List<BinlogEvent> inserted(RowsInserted e) {
        List<Row> kept = keptRows(e, e.table(), e.schema(), e.rows(), true);
        return kept.size() == e.rows().size() ? List.of(e) : kept.isEmpty() ? List.of()
                : List.of(new RowsInserted(e.table(), e.schema(), kept, e.position(), e.timestamp()));
    }

    private List<BinlogEvent> deleted(RowsDeleted e) {
        List<Row> kept = keptRows(e, e.table(), e.schema(), e.rows(), false);
        return kept.size() == e.rows().size() ? List.of(e) : kept.isEmpty() ? List.of()
                : List.of(new RowsDeleted(e.table(), e.schema(), kept, e.position(), e.timestamp()));
    }

    /**
     * The rows of an insert ({@code inserted}) or a delete the filter keeps: APPLY, or the one move answer that fits
     * the change (INSERT_AFTER for an insert, DELETE_BEFORE for a delete).
     */
    private List<Row> keptRows(BinlogEvent e, TableId table, TableSchema schema, List<Row> rows, boolean inserted) {
        List<Row> kept = new ArrayList<>(rows.size());
        for (Row r : rows) {
            ChangeOutcome outcome = decide(table, e, inserted ? new RowChange(schema, null, r)
                    : new RowChange(schema, r, null));
            switch (outcome) {
                case ChangeOutcome.Apply a -> kept.add(r);
                case ChangeOutcome.Skip s -> {
                }
                case ChangeOutcome.Fail f -> throw failed(table, e, f);
                case ChangeOutcome.InsertAfter i when inserted -> kept.add(r);
                case ChangeOutcome.DeleteBefore d when !inserted -> kept.add(r);
                default -> throw misanswered(table, e, outcome instanceof ChangeOutcome.InsertAfter ? "INSERT_AFTER"
                        : "DELETE_BEFORE", inserted ? "an insert" : "a delete");
            }
        }
        return kept;
    }

    /** Runs of consecutive changes of one kind become one event each, in the update's row order. */
    private List<BinlogEvent> updated(RowsUpdated e) {
        List<BinlogEvent> out = new ArrayList<>();
        List<RowsUpdated.Change> updates = new ArrayList<>();
        List<Row> inserts = new ArrayList<>();
        List<Row> deletes = new ArrayList<>();
        boolean whole = true;
        for (RowsUpdated.Change c : e.changes()) {
            ChangeOutcome outcome = decide(e.table(), e, new RowChange(e.schema(), c.before(), c.after()));
            whole &= outcome instanceof ChangeOutcome.Apply;
            if (!(outcome instanceof ChangeOutcome.Apply)) {
                flushUpdates(e, updates, out);
            }
            if (!(outcome instanceof ChangeOutcome.InsertAfter)) {
                flushInserts(e, inserts, out);
            }
            if (!(outcome instanceof ChangeOutcome.DeleteBefore)) {
                flushDeletes(e, deletes, out);
            }
            switch (outcome) {
                case ChangeOutcome.Apply a -> updates.add(c);
                case ChangeOutcome.InsertAfter i -> inserts.add(c.after());
                case ChangeOutcome.DeleteBefore d -> deletes.add(c.before());
                case ChangeOutcome.Skip s -> {
                }
                case ChangeOutcome.Fail f -> throw failed(e.table(), e, f);
            }
        }
        if (whole) {
            return List.of(e);
        }
        flushUpdates(e, updates, out);
        flushInserts(e, inserts, out);
        flushDeletes(e, deletes, out);
        return out;
    }

    private static void flushUpdates(RowsUpdated e, List<RowsUpdated.Change> updates, List<BinlogEvent> out) {
        if (!updates.isEmpty()) {
            out.add(new RowsUpdated(e.table(), e.schema(), updates, e.position(), e.timestamp()));
            updates.clear();
        }
    }

    private static void flushInserts(RowsUpdated e, List<Row> rows, List<BinlogEvent> out) {
        if (!rows.isEmpty()) {
            out.add(new RowsInserted(e.table(), e.schema(), rows, e.position(), e.timestamp()));
            rows.clear();
        }
    }

    private static void flushDeletes(RowsUpdated e, List<Row> rows, List<BinlogEvent> out) {
        if (!rows.isEmpty()) {
            out.add(new RowsDeleted(e.table(), e.schema(), rows, e.position(), e.timestamp()));
            rows.clear();
        }
    }

    private ChangeOutcome decide(TableId table, BinlogEvent e, RowChange change) {
        ChangeOutcome outcome = rows.onChange(change);
        if (outcome == null) {
            throw new IllegalStateException("the row filter " + rows.identity() + " returned no outcome for a change"
                    + " of " + table + " at " + e.position().event());
        }
        return outcome;
    }

    /** The run's failure for a change the filter refuses. */
    private static RunFailed failed(TableId table, BinlogEvent e, ChangeOutcome.Fail f) {
        return new RunFailed("binlog: a change of " + table + " at " + e.position().event() + " cannot be copied: "
                + f.reason() + "; nothing of its transaction was applied. The run stopped (its state is saved where"
                + " configured; a resumed run meets the same change again)");
    }

    private RuntimeException misanswered(TableId table, BinlogEvent e, String answer, String change) {
        return new IllegalStateException("the row filter " + rows.identity() + " answered " + answer + " to "
                + change + " of " + table + " at " + e.position().event() + "; only an update moves a row in or out");
    }
}

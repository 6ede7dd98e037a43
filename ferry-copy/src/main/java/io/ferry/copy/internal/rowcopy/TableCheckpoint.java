package io.ferry.copy.internal.rowcopy;

import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.TableId;
import io.ferry.core.keyset.KeyValues;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.state.PaginationKey;
import io.ferry.core.state.RangeState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where one table's copy stands, range by range, for saving and resuming. A copier plans its ranges here (or gets
 * them back from a saved state), reports each batch after its target commit, and asks whether the run is stopping
 * between batches. With the state in the target database, each batch's progress is written by the batch's own
 * transaction ({@link #batchStatement}), so the saved progress never runs ahead of or behind the rows.
 */
public final class TableCheckpoint {
    /** One key range: rows after {@code after} (from the start when null) up to {@code upTo}, inclusive. */
    static final class Range {
        final int index;
        final List<byte[]> after;
        volatile List<byte[]> upTo;
        volatile List<byte[]> lastCopied;
        volatile boolean done;

        Range(int index, List<byte[]> after, List<byte[]> upTo, List<byte[]> lastCopied, boolean done) {
            this.index = index;
            this.after = after;
            this.upTo = upTo;
            this.lastCopied = lastCopied;
            this.done = done;
        }

        /** Where the copy of this range continues. */
        List<byte[]> resumeAfter() {
            return lastCopied != null ? lastCopied : after;
        }
    }

    private final TableId table;
    private final List<ColumnSchema> keyColumns;
    private final BooleanSupplier stopping;
    private final TargetStateTables stateTables;
    private volatile List<Range> ranges;
    private final boolean resumed;

    /**
     * @param saved       the ranges of a saved state to continue, or {@code null} to plan afresh
     * @param stateTables the target's state tables, or {@code null} when the state is kept elsewhere
     */
    public TableCheckpoint(TableId table, List<ColumnSchema> keyColumns, List<RangeState> saved, BooleanSupplier stopping,
                    TargetStateTables stateTables) {
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
        this.stopping = stopping;
        this.stateTables = stateTables;
        this.resumed = saved != null && !saved.isEmpty();
        if (resumed) {
            List<Range> rs = new ArrayList<>();
            for (RangeState r : saved) {
                rs.add(new Range(rs.size(), values(r.after()), values(r.upTo()), values(r.lastCopied()), r.done()));
            }
            this.ranges = List.copyOf(rs);
        }
    }

    /** A checkpoint that saves nothing and never stops (a copier used on its own). */
    public static TableCheckpoint untracked(TableId table, List<ColumnSchema> keyColumns) {
        return new TableCheckpoint(table, keyColumns, null, () -> false, null);
    }

    TableId table() {
        return table;
    }

    /** The ranges of a saved state, or {@code null} when the copy starts afresh. */
    List<Range> resumedRanges() {
        return resumed ? ranges : null;
    }

    /** The ranges as planned, and the ranges split off them since. */
    List<Range> ranges() {
        return ranges;
    }

    /** Sets the end of a resumed range that was saved without one (a state holding only the last key). */
    void boundUnknownEnds(List<byte[]> last) {
        for (Range r : ranges) {
            if (r.upTo == null) {
                r.upTo = last;
            }
        }
        persistPlan();
    }

    /** Plans the copy as ranges ending at {@code bounds} (in copy order), each starting after the previous. */
    List<Range> plan(List<List<byte[]>> bounds) {
        List<Range> rs = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            rs.add(new Range(i, i == 0 ? null : bounds.get(i - 1), bounds.get(i), null, false));
        }
        ranges = List.copyOf(rs);
        persistPlan();
        return ranges;
    }

    /**
     * Splits {@code range} at {@code at}, a key between where its copy stands and its end: the range now ends at
     * {@code at}, and the returned new range (last in the plan) holds the keys after it. The copier of
     * {@code range} may already be past {@code at}; rows then copied twice are harmless, as every row is read and
     * written under the copy lock. Saved ranges may overlap in the same way, never leave a key uncovered: the range's
     * batches may still save its old end, and a resume then copies the overlap again.
     */
    Range split(Range range, List<byte[]> at) {
        List<Range> rs = new ArrayList<>(ranges);
        var added = new Range(rs.size(), at, range.upTo, null, false);
        rs.add(added);
        ranges = List.copyOf(rs);
        range.upTo = at;
        if (stateTables != null) {
            stateTables.writeRange(table, added.index, state(added, null, false),
                    range.index, state(range, range.lastCopied, range.done));
        }
        return added;
    }

    /** The end of the plan in copy order: the end of the range that no other range continues. */
    static List<byte[]> end(List<Range> plan) {
        for (Range r : plan) {
            if (plan.stream().noneMatch(o -> o != r && o.after != null && KeyValues.same(o.after, r.upTo))) {
                return r.upTo;
            }
        }
        return plan.getLast().upTo;
    }

    private void persistPlan() {
        if (stateTables != null) {
            stateTables.writeRanges(table, snapshot());
        }
    }

    /** The statement saving {@code range} as copied up to {@code reached}, for the batch's own transaction; or null. */
    String batchStatement(Range range, List<byte[]> reached) {
        if (stateTables == null) {
            return null;
        }
        return stateTables.rangeStatement(table, range.index, state(range, reached, range.done));
    }

    /** A batch of {@code range} ending at {@code reached} is committed on the target. */
    void committed(Range range, List<byte[]> reached) {
        range.lastCopied = reached;
    }

    void rangeDone(Range range) {
        range.done = true;
    }

    /** The table's copy is complete. */
    void completed() {
        if (stateTables != null) {
            stateTables.tableCompleted(table);
        }
    }

    /** Whether the run is stopping: copiers end after their current batch. */
    boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** The ranges as they stand, or an empty list before the copy planned them. */
    public List<RangeState> snapshot() {
        List<Range> rs = ranges;
        if (rs == null) {
            return List.of();
        }
        List<RangeState> out = new ArrayList<>(rs.size());
        for (Range r : rs) {
            out.add(state(r, r.lastCopied, r.done));
        }
        return out;
    }

    private RangeState state(Range r, List<byte[]> lastCopied, boolean done) {
        return new RangeState(key(r.after), key(r.upTo), key(lastCopied), done);
    }

    private PaginationKey key(List<byte[]> values) {
        return values == null ? null : PaginationKey.of(keyColumns, values);
    }

    private static List<byte[]> values(PaginationKey key) {
        return key == null ? null : key.values();
    }
}

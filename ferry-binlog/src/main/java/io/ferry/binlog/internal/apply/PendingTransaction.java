package io.ferry.binlog.internal.apply;

import io.ferry.core.TableId;
import io.ferry.core.state.ResumablePosition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements of one target transaction being assembled, with where each came from (for error messages) and
 * the events it covers (for listeners and the applied position). Reused after each commit via {@link #clear}.
 *
 * @param <E> the event type the applier hands to its listeners
 */
public final class PendingTransaction<E> {
    private final List<String> statements = new ArrayList<>();
    private final List<TableId> statementTables = new ArrayList<>();
    private final List<ResumablePosition> statementPositions = new ArrayList<>();
    private final List<E> events = new ArrayList<>();
    private int rowChanges;
    private ResumablePosition completedThrough;

    public void addStatement(String sql, TableId table, ResumablePosition position) {
        statements.add(sql);
        statementTables.add(table);
        statementPositions.add(position);
    }

    /** Adds an event (or the part of one) this transaction writes, and how many row changes it holds. */
    public void addEvent(E event, int changes) {
        events.add(event);
        rowChanges += changes;
    }

    /** Records that every event up to and including the one at {@code position} is wholly in this transaction. */
    public void completedThrough(ResumablePosition position) {
        completedThrough = position;
    }

    /** The position of the last whole event, or {@code null} when the transaction only holds part of an event. */
    public ResumablePosition completedPosition() {
        return completedThrough;
    }

    public List<String> statements() {
        return statements;
    }

    public TableId tableOf(int statement) {
        return statementTables.get(statement);
    }

    public ResumablePosition positionOf(int statement) {
        return statementPositions.get(statement);
    }

    /** Every table written, in first-written order. */
    public Set<TableId> tables() {
        return new LinkedHashSet<>(statementTables);
    }

    public List<E> events() {
        return List.copyOf(events);
    }

    public E lastEvent() {
        return events.getLast();
    }

    public int rowChanges() {
        return rowChanges;
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public void clear() {
        statements.clear();
        statementTables.clear();
        statementPositions.clear();
        events.clear();
        rowChanges = 0;
        completedThrough = null;
    }
}

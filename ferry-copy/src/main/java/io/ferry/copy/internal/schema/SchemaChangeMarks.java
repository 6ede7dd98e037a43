package io.ferry.copy.internal.schema;

import io.ferry.binlog.SchemaChange;
import io.ferry.copy.internal.state.RunStateTracker;
import io.ferry.copy.internal.state.StateSaver;
import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.PendingSchemaChange;
import io.ferry.core.state.ResumablePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each replicated schema change apply exactly once across interrupts. DDL commits on its own, so its position
 * cannot be saved in the same transaction: the state is saved with "pending at X" before the statement runs and with
 * "applied through X" (and the changed tables' new schemas) after it. A resumed run that finds the pending mark runs
 * the statement again, accepting only errors that say it is already done ({@link PendingSchemaChangeReplay}).
 */
public final class SchemaChangeMarks implements SchemaChangeApplier.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeMarks.class);
    private final SchemaCache schemas;
    private final RunStateTracker tracker;
    private final StateSaver saver;

    /** Marks in the run's state {@code tracker}, saved by {@code saver} at each mark. */
    public SchemaChangeMarks(SchemaCache schemas, RunStateTracker tracker, StateSaver saver) {
        this.schemas = schemas;
        this.tracker = tracker;
        this.saver = saver;
    }

    @Override
    public void applying(SchemaChange change, ResumablePosition position, String targetSql) {
        RunStateTracker t = tracker;
        t.schemaChangePending(new PendingSchemaChange(position, targetSql, tablesAfter(change)));
        saver.saveNow();
        LOG.debug("saved {} at {} as pending", change.describe(), position.event());
    }

    @Override
    public void applied(SchemaChange change, ResumablePosition position) {
        RunStateTracker t = tracker;
        Map<TableId, TableSchema> changed = new LinkedHashMap<>();
        if (change.kind() != SchemaChange.Kind.DROP_TABLE) {
            for (TableId table : tablesAfter(change)) {
                TableSchema s = schemas.loadFromTarget(table);
                if (s != null) {
                    changed.put(table, s);
                }
            }
        }
        t.schemaChangeApplied(position, changed);
        saver.saveNow();
        LOG.debug("saved {} at {} as applied", change.describe(), position.event());
    }

    @Override
    public void recopying(TableId table) {
        RunStateTracker t = tracker;
        // The saved progress must go before the rows it describes do.
        t.copyRestarting(table);
        saver.copyRestarting(table);
    }

    /** The tables the change leaves behind (source names, after its renames). */
    private static List<TableId> tablesAfter(SchemaChange change) {
        return change.tables().stream().map(t -> {
            TableId name = t;
            for (SchemaChange.Rename r : change.renames()) {
                if (r.from().equals(name)) {
                    name = r.to();
                }
            }
            return name;
        }).distinct().toList();
    }
}

package io.ferry.copy.internal.schema;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.PendingSchemaChange;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.state.RunState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the schema change an interrupted run saved as pending (see {@link SchemaChangeMarks}) before a resumed run
 * does anything else: the run may have stopped before or after executing it, so it is executed again and only the
 * errors meaning "already done" are accepted, for that one statement. The state then says the change is applied,
 * with the changed tables' schemas as the target now has them, so the resume check and the binlog reader see the
 * schema as of the resume position.
 */
public final class PendingSchemaChangeReplay {
    private static final Logger LOG = LoggerFactory.getLogger(PendingSchemaChangeReplay.class);

    /** MySQL/MariaDB error codes a DDL gives when run a second time. */
    static final Map<Integer, String> ALREADY_DONE = Map.ofEntries(
            Map.entry(1007, "database exists"),
            Map.entry(1008, "database does not exist"),
            Map.entry(1050, "table exists"),
            Map.entry(1051, "unknown table"),
            Map.entry(1054, "unknown column"),
            Map.entry(1060, "duplicate column name"),
            Map.entry(1061, "duplicate key name"),
            Map.entry(1091, "column or key to drop does not exist"),
            Map.entry(1146, "table does not exist"),
            Map.entry(1176, "key does not exist"),
            Map.entry(1826, "duplicate foreign key name"));

    private PendingSchemaChangeReplay() {
    }

    /** {@code state} with its pending schema change applied to the target; {@code state} itself when it has none. */
    public static RunState settle(RunState state, Connection target, UnaryOperator<TableId> targetOf) {
        PendingSchemaChange pending = state.pendingSchemaChange();
        if (pending == null) {
            return state;
        }
        try (Statement st = target.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(pending.targetSql());
            LOG.info("the interrupted run had not applied the schema change at {}; applied it now: {}",
                    pending.position().event(), pending.targetSql());
        } catch (SQLException e) {
            String done = ALREADY_DONE.get(e.getErrorCode());
            if (done == null) {
                throw new RunFailed("the interrupted run was applying the schema change at source binlog position "
                        + pending.position().event() + " (`" + pending.targetSql() + "`) when it stopped; running it"
                        + " again failed: " + SqlErrors.describe(e) + ". Fix the target table so that it has the"
                        + " change exactly once, then resume again, or start the copy of the table again", e);
            }
            LOG.info("the interrupted run had already applied the schema change at {} (the target says: {}, error {}:"
                    + " {}); not applied again: {}", pending.position().event(), done, e.getErrorCode(), e.getMessage(),
                    pending.targetSql());
        }
        Map<TableId, TableSchema> schemas = state.schemaCache() == null ? null : new LinkedHashMap<>(state.schemaCache());
        if (schemas != null) {
            for (TableId t : pending.tables()) {
                if (!schemas.containsKey(t)) {
                    continue;
                }
                TableId onTarget = targetOf.apply(t);
                try {
                    TableSchema s = SchemaLoader.load(target, List.of(onTarget)).get(onTarget);
                    if (s != null) {
                        schemas.put(t, s.renamed(t));
                    }
                } catch (SQLException e) {
                    throw new RunFailed("reading the schema of " + onTarget + " from the target after replaying a"
                            + " schema change failed: " + SqlErrors.describe(e), e);
                }
            }
        }
        ResumablePosition verifier = state.inlineVerifierPosition();
        return new RunState(state.formatVersion(), state.ferryVersion(), state.savedAt(), state.source(), state.tables(),
                state.descending(), schemas, state.copyProgress(), state.completedTables(),
                later(state.applierPosition(), pending.position()),
                verifier.event().isNone() ? verifier : later(verifier, pending.position()), state.verifyStore(), null,
                state.rowFilter());
    }

    private static ResumablePosition later(ResumablePosition a, ResumablePosition b) {
        return !a.event().isNone() && a.event().compareTo(b.event()) >= 0 ? a : b;
    }
}

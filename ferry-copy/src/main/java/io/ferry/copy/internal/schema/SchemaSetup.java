package io.ferry.copy.internal.schema;

import io.ferry.copy.internal.preflight.Preflight;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Decides the target creation order and creates the target schema (step 2 of a run). */
public final class SchemaSetup {
    private SchemaSetup() {
    }

    /** {@code TablesToBeCreatedFirst} in their order, then every other table after the tables it references. */
    public static List<TableId> creationOrder(Connection source, CopydbConfig config, Collection<TableId> tables)
            throws SQLException {
        return CreationOrder.order(CreationOrder.references(source, tables), config.tablesToBeCreatedFirst());
    }

    /**
     * On resume: creates the target databases and tables an interrupted run had not created yet (it may have been
     * killed while creating them); existing ones are kept as they are.
     */
    public static void createMissingTargetTables(Connection source, Connection target, CopydbConfig config,
                                                 Preflight.Checked checked, List<TableId> order) throws SQLException {
        new TargetSchemaCreator(config::targetOf, true, checked.compatibility(), checked.tables())
                .create(source, target, order);
    }

    /** Creates every target database and table in {@code order}, after checking none exists (unless allowed). */
    public static void createTargetSchema(Connection source, Connection target, CopydbConfig config,
                                          Preflight.Checked checked, List<TableId> order) throws SQLException {
        var creator = new TargetSchemaCreator(config::targetOf, config.allowExistingTargetTable(),
                checked.compatibility(), checked.tables());
        creator.checkTargetsAbsent(target, order);
        creator.create(source, target, order);
    }
}

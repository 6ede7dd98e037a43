package io.ferry.copy.internal.schema;

import io.ferry.copy.internal.dialect.SchemaCompatibility;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the target databases and tables from the source's own {@code SHOW CREATE} output, under their rewritten
 * names and translated for the target's engine ({@link SchemaCompatibility}). Triggers are not part of
 * {@code SHOW CREATE TABLE} and are deliberately not copied: they would fire again for rows the binlog already
 * carries.
 */
final class TargetSchemaCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchemaCreator.class);

    private final UnaryOperator<TableId> targetOf;
    private final boolean allowExisting;
    private final SchemaCompatibility compatibility;
    private final Map<TableId, TableSchema> schemas;

    /** @param schemas the source tables' schemas (for their key and JSON columns), by source name */
    TargetSchemaCreator(UnaryOperator<TableId> targetOf, boolean allowExisting, SchemaCompatibility compatibility,
                        Map<TableId, TableSchema> schemas) {
        this.targetOf = targetOf;
        this.allowExisting = allowExisting;
        this.compatibility = compatibility;
        this.schemas = schemas;
    }

    /** Target tables that exist already; an error unless existing tables are allowed. */
    void checkTargetsAbsent(Connection target, List<TableId> sourceTables) throws SQLException {
        if (allowExisting) {
            return;
        }
        List<String> existing = new ArrayList<>();
        for (TableId source : sourceTables) {
            TableId t = targetOf.apply(source);
            try (var ps = target.prepareStatement(
                    "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, t.database());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        existing.add(t.toString());
                    }
                }
            }
        }
        if (!existing.isEmpty()) {
            throw new PreconditionFailed("target table(s) already exist: " + String.join(", ", existing)
                    + ". ferry creates target tables itself; drop them, or set AllowExistingTargetTable to copy into "
                    + "existing tables with the same columns");
        }
    }

    /** Creates every database, then every table in {@code order}. */
    void create(Connection source, Connection target, List<TableId> order) throws SQLException {
        Set<String> databases = new LinkedHashSet<>();
        order.forEach(t -> databases.add(t.database()));
        try (Statement st = target.createStatement()) {
            for (String db : databases) {
                String targetDb = targetOf.apply(new TableId(db, "")).database();
                st.execute(compatibility.createDatabaseStatement(source, db, targetDb));
            }
            st.execute("SET SESSION foreign_key_checks = 0");
            for (TableId table : order) {
                TableId t = targetOf.apply(table);
                String ddl = compatibility.createTableStatement(source, table, schemas.get(table), t, allowExisting);
                try {
                    st.execute(ddl);
                } catch (SQLException e) {
                    throw new SQLException("creating target table " + t + " (from " + table + ") failed: "
                            + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
                LOG.info("created target table {} (from {})", t, table);
            }
        }
    }
}

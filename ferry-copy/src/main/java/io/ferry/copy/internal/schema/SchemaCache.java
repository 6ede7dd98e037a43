package io.ferry.copy.internal.schema;

import io.ferry.binlog.SchemaChange;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TableSchemas;
import io.ferry.copy.internal.replication.ReplicationProgress;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.BinlogPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas the binlog streamer decodes rows with. When schema changes are replicated it follows them at the
 * exact point of the binlog where each DDL stands: after the streamer handed a DDL of a followed table to the
 * applier, it waits (on the streaming thread, so no later event is decoded yet) until the applier has applied the
 * DDL to the target, then reads the table's schema from the target. The target table then has exactly the shape
 * the source table had at that point of the binlog, whatever the source has done since; reading the source's
 * {@code information_schema} instead would already show later changes when the streamer trails the source.
 * Across engines the target spells types its own way and has mapped collations, so the schema is put back in the
 * source's terms.
 * Renames move the cached schema; drops remove it.
 *
 * <p>The wait costs one drain of the apply queue per DDL of a followed table; DDL is rare.
 */
public final class SchemaCache implements TableSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCache.class);

    private final DataSource target;
    private final UnaryOperator<TableId> targetOf;
    private final Predicate<TableId> selected;
    private final boolean follow;
    private final UnaryOperator<TableSchema> inSourceTerms;
    private final Map<TableId, TableSchema> schemas = new ConcurrentHashMap<>();
    private final ReplicationProgress replication;

    /**
     * @param initial       the schemas of the copied tables, read at the start
     * @param targetOf      the target name of a source table
     * @param selected      whether a source table belongs to the run (database and table filters)
     * @param follow        whether schema changes are replicated; when false the cache never changes
     * @param inSourceTerms a schema read from the target as the source has it (across engines the target spells
     *                      types its own way and has mapped collations)
     * @param replication   where the applier is, and its failure: a DDL is followed once the applier has passed it
     */
    public SchemaCache(DataSource target, UnaryOperator<TableId> targetOf, Map<TableId, TableSchema> initial,
                       Predicate<TableId> selected, boolean follow, UnaryOperator<TableSchema> inSourceTerms,
                       ReplicationProgress replication) {
        this.inSourceTerms = inSourceTerms;
        this.replication = replication;
        this.target = target;
        this.targetOf = targetOf;
        this.selected = selected;
        this.follow = follow;
        schemas.putAll(initial);
    }

    @Override
    public TableSchema schemaOf(TableId table) {
        return schemas.get(table);
    }

    /** Whether source table {@code table} belongs to the run (its filters and, of a partitioned move, its part). */
    public boolean selects(TableId table) {
        return selected.test(table);
    }

    /** The cached schema of {@code table}, if the run follows it. */
    public Optional<TableSchema> current(TableId table) {
        return Optional.ofNullable(schemas.get(table));
    }

    @Override
    public void statementStreamed(StatementExecuted statement) throws InterruptedException {
        if (!follow) {
            return;
        }
        SchemaChange change = SchemaChange.of(statement);
        switch (change.kind()) {
            case CREATE_TABLE, ALTER_TABLE, CREATE_INDEX, DROP_INDEX -> {
                List<TableId> tables = change.tables();
                if (!tables.stream().allMatch(selected)) {
                    return; // not applied: the applier ignores it, or stops the run
                }
                change.renames().forEach(this::rename);
                TableId changed = tables.getLast();
                awaitApplied(statement);
                reload(changed);
            }
            case RENAME_TABLE -> {
                if (change.tables().stream().allMatch(selected)) {
                    change.renames().forEach(this::rename);
                }
            }
            case DROP_TABLE -> change.tables().forEach(schemas::remove);
            case TRUNCATE_TABLE, DATABASE, IGNORED, UNPARSEABLE -> {
            }
        }
    }

    private void rename(SchemaChange.Rename r) {
        TableSchema s = schemas.remove(r.from());
        if (s != null) {
            schemas.put(r.to(), s.renamed(r.to()));
        }
    }

    /** Waits until the applier has passed {@code statement} (or replication failed). */
    private void awaitApplied(StatementExecuted statement) throws InterruptedException {
        BinlogPosition at = statement.position().event();
        while (replication.applied().event().compareTo(at) < 0) {
            if (replication.failure() != null) {
                return; // the run is failing; the next rows are never applied
            }
            Thread.sleep(5);
        }
    }

    private void reload(TableId table) {
        TableSchema s = loadFromTarget(table);
        if (s == null) {
            if (replication.failure() == null) {
                throw new RunFailed("after a schema change of " + table + ", its target table " + targetOf.apply(table)
                        + " does not exist, so ferry cannot decode its rows; start the copy of this table again");
            }
            return;
        }
        schemas.put(table, s);
        LOG.info("schema of {} followed a schema change: {} column(s)", table, s.columns().size());
    }

    /**
     * The schema of source table {@code table} as its target table has it now (under the source name), or null
     * when the target table does not exist. Right after a DDL was applied, that is the source's schema at the DDL.
     */
    public TableSchema loadFromTarget(TableId table) {
        TableId onTarget = targetOf.apply(table);
        try (Connection c = target.getConnection()) {
            TableSchema s = SchemaLoader.load(c, List.of(onTarget)).get(onTarget);
            return s == null ? null : inSourceTerms.apply(s.renamed(table));
        } catch (SQLException e) {
            throw new RunFailed("reading the schema of " + onTarget + " from the target after a schema change failed: "
                    + e.getMessage(), e);
        }
    }
}

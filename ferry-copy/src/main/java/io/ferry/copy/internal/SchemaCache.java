package io.ferry.copy.internal;

import io.ferry.binlog.SchemaChange;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TableSchemas;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas the binlog streamer decodes rows with. When schema changes are replicated it follows them on the
 * streaming thread, at the point of the binlog where each DDL stands: the tables a statement creates or alters are
 * reloaded from the source's {@code information_schema} right then, renames move the cached schema, drops remove
 * it. So the rows events after a DDL are decoded with the new schema.
 *
 * <p>Limitation: the reload reads the source as it is when the DDL is streamed. When the streamer trails the
 * source by more than the next DDL of the same table, the reload already shows that later change; the rows events
 * in between then fail to decode (column count) and stop the run with a message, never silently. A table that is
 * gone by the time of the reload is marked unknown: its rows stop the run the same way until a DDL recreates it.
 */
public final class SchemaCache implements TableSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCache.class);

    private final DataSource source;
    private final Predicate<TableId> selected;
    private final boolean follow;
    private final Map<TableId, TableSchema> schemas = new ConcurrentHashMap<>();
    private final Set<TableId> unknown = ConcurrentHashMap.newKeySet();

    /**
     * @param initial  the schemas of the copied tables, read at the start
     * @param selected whether a source table belongs to the run (database and table filters)
     * @param follow   whether schema changes are replicated; when false the cache never changes
     */
    public SchemaCache(DataSource source, Map<TableId, TableSchema> initial, Predicate<TableId> selected, boolean follow) {
        this.source = source;
        this.selected = selected;
        this.follow = follow;
        schemas.putAll(initial);
    }

    @Override
    public TableSchema schemaOf(TableId table) {
        TableSchema s = schemas.get(table);
        if (s == null && unknown.contains(table)) {
            throw new RunFailed("rows of " + table + " follow a schema change, but the table was already gone from the"
                    + " source when ferry read its new schema: the binlog streamer is too far behind the source's schema"
                    + " changes to decode these rows. Start the copy of this table again");
        }
        return s;
    }

    /** The cached schema of {@code table}, if the run follows it. */
    public Optional<TableSchema> current(TableId table) {
        return Optional.ofNullable(schemas.get(table));
    }

    @Override
    public void statementStreamed(StatementExecuted statement) {
        if (!follow) {
            return;
        }
        SchemaChange change = SchemaChange.of(statement);
        switch (change.kind()) {
            case CREATE_TABLE, ALTER_TABLE, CREATE_INDEX, DROP_INDEX -> {
                List<TableId> tables = change.tables();
                for (SchemaChange.Rename r : change.renames()) {
                    rename(r);
                }
                TableId changed = tables.getLast();
                if (schemas.containsKey(changed) || (change.kind() == SchemaChange.Kind.CREATE_TABLE && selected.test(changed))) {
                    reload(changed);
                }
            }
            case RENAME_TABLE -> change.renames().forEach(this::rename);
            case DROP_TABLE -> change.tables().forEach(t -> {
                schemas.remove(t);
                unknown.remove(t);
            });
            case TRUNCATE_TABLE, DATABASE, IGNORED, UNPARSEABLE -> {
            }
        }
    }

    private void rename(SchemaChange.Rename r) {
        TableSchema s = schemas.remove(r.from());
        unknown.remove(r.from());
        if (s != null && selected.test(r.to())) {
            schemas.put(r.to(), s.renamed(r.to()));
        } else if (s == null && selected.test(r.to())) {
            reload(r.to());
        }
    }

    private void reload(TableId table) {
        try (Connection c = source.getConnection()) {
            TableSchema s = SchemaLoader.load(c, List.of(table)).get(table);
            if (s == null) {
                schemas.remove(table);
                unknown.add(table);
                LOG.warn("{} is gone from the source already; its schema is unknown until a later DDL", table);
            } else {
                schemas.put(table, s);
                unknown.remove(table);
                LOG.info("schema of {} reloaded after a schema change: {} column(s)", table, s.columns().size());
            }
        } catch (SQLException e) {
            throw new RunFailed("reloading the schema of " + table + " from the source after a schema change failed: "
                    + e.getMessage(), e);
        }
    }
}

package io.ferry.copy.internal.schema;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.SchemaChange;
import io.ferry.binlog.StatementExecuted;
import io.ferry.copy.internal.dialect.SchemaCompatibility;
import io.ferry.copy.internal.rowcopy.CopyTask;
import io.ferry.copy.internal.rowcopy.CopyTasks;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.state.ResumablePosition;
import io.ferry.core.verify.TableChange;
import io.ferry.core.verify.Verifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates schema changes ({@code ReplicateSchemaChanges}): applies each CREATE/ALTER/RENAME/DROP/TRUNCATE TABLE
 * and CREATE/DROP INDEX of selected tables to the target, in binlog order, with table names rewritten to their
 * target names. Statements that are never replicated (privileges, stored programs, triggers, events, views) are
 * logged once each and skipped; a statement ferry cannot parse stops the run unless
 * {@code SkipUnparseableSchemaChanges} is set.
 *
 * <p>A table still being copied is held for the change and copied again from scratch under its new schema
 * afterwards (see {@link CopyTask}). The streamer's {@link SchemaCache} has already followed the change by the
 * time it is applied here. The run's verifier is told of each applied change ({@link Verifier#schemaChanged}),
 * with every named table's schema right after it, before any later row change is applied.
 */
public final class SchemaChangeApplier implements BinlogApplier.StatementHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeApplier.class);
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*(?:/\\*.*?\\*/\\s*)*([A-Za-z]+)", Pattern.DOTALL);

    /**
     * Told on the applier thread right after a schema change was applied to the target, with the change's binlog
     * position: the place to persist that position, so a resumed run does not apply the change twice.
     */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (change, position) -> {
        };

        /** Just before {@code targetSql} is executed for {@code change}: the place to persist "pending at position". */
        default void applying(SchemaChange change, ResumablePosition position, String targetSql) {
        }

        void applied(SchemaChange change, ResumablePosition position);

        /** After {@link #applied}, before the rows of {@code table} copied so far are removed to copy it again. */
        default void recopying(TableId table) {
        }
    }

    private final DataSource target;
    private final CopydbConfig config;
    private final SchemaCache schemas;
    private final CopyTasks tasks;
    private final Listener listener;
    private final DdlGuard statementFormatGuard;
    private final Verifier verifier;
    private final SchemaCompatibility compatibility;

    /**
     * @param statementFormatGuard decides about data changes logged in statement format (stops the run when they
     *                             touch a copied table)
     * @param compatibility        translates each statement for the target's engine
     * @param verifier             the run's verifier, told of every applied change; {@code null} for none
     */
    public SchemaChangeApplier(DataSource target, CopydbConfig config, SchemaCache schemas, CopyTasks tasks,
                               Listener listener, DdlGuard statementFormatGuard, SchemaCompatibility compatibility,
                               Verifier verifier) {
        this.compatibility = compatibility;
        this.verifier = verifier;
        this.target = target;
        this.config = config;
        this.schemas = schemas;
        this.tasks = tasks;
        this.listener = listener;
        this.statementFormatGuard = statementFormatGuard;
    }

    @Override
    public void handleDml(StatementExecuted statement) {
        statementFormatGuard.handleDml(statement);
    }

    @Override
    public void handle(StatementExecuted statement) {
        SchemaChange change = SchemaChange.of(statement);
        switch (change.kind()) {
            case IGNORED -> LOG.info("ignored {}: {}", change.describe(), change.reason());
            case UNPARSEABLE -> unparseable(change);
            case DATABASE -> database(change);
            case CREATE_TABLE, ALTER_TABLE, RENAME_TABLE, DROP_TABLE, TRUNCATE_TABLE, CREATE_INDEX, DROP_INDEX -> {
                try {
                    tables(change);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunFailed("interrupted while applying " + change.describe(), e);
                }
            }
        }
    }

    private void unparseable(SchemaChange change) {
        if (config.schemaChanges().skipUnparseable()) {
            LOG.warn("skipped a statement ferry cannot parse ({}), as SkipUnparseableSchemaChanges says: {}",
                    change.reason(), change.describe());
            return;
        }
        throw new RunFailed("cannot replicate the statement at source binlog position "
                + change.statement().position().event() + ": " + SchemaChange.abbreviate(change.statement().sql())
                + " (" + change.reason() + "). ferry stopped before applying anything after it. Apply the statement"
                + " to the target yourself and set SkipUnparseableSchemaChanges to let the run go past it, or start"
                + " the copy of the affected tables again");
    }

    private void database(SchemaChange change) {
        String db = change.database();
        if (!config.selectsDatabase(db)) {
            LOG.debug("not replicated, database {} is not copied: {}", db, change.describe());
            return;
        }
        Matcher m = FIRST_WORD.matcher(change.statement().sql());
        String verb = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
        switch (verb) {
            case "CREATE" -> {
                String targetDb = config.targetOf(new TableId(db, "")).database();
                execute(change, "CREATE DATABASE IF NOT EXISTS " + Sql.quote(targetDb));
            }
            case "DROP" -> throw new RunFailed(change.describe() + " drops a database this run copies; ferry stopped"
                    + " before applying anything after it. Drop the target database yourself if that is intended"
                    + " and start a new run");
            default -> LOG.warn("not replicated (database options are not copied): {}", change.describe());
        }
    }

    private void tables(SchemaChange change) throws InterruptedException {
        List<TableId> named = change.tables();
        long selectedCount = named.stream().filter(this::selected).count();
        if (selectedCount == 0) {
            LOG.debug("not replicated, no copied table: {}", change.describe());
            return;
        }
        if (selectedCount != named.size()) {
            throw new RunFailed(change.describe() + " names tables inside and outside the selection of this run ("
                    + named + "); ferry cannot replicate a statement that moves a table into or out of the copied"
                    + " tables. Adjust the Databases/Tables filters (or rename the table back) and start the copy of"
                    + " the affected tables again" + (config.partition().isWhole() ? "" : ". In a partitioned move the"
                    + " selection of a run is its part, and a table the move's split does not name (a new name) belongs"
                    + " to part 0: a rename moves a table of part " + config.partition().index() + " out of it"));
        }
        Map<TableId, CopyTask> held = new LinkedHashMap<>();
        Map<TableId, Boolean> recopy = new LinkedHashMap<>();
        for (TableId t : named) {
            var task = tasks.of(t);
            if (task.isPresent() && !held.containsKey(t)) {
                held.put(t, task.get());
                recopy.put(t, task.get().hold());
            }
        }
        TableId first = named.getFirst();
        String sql = compatibility.replicated(change.targetSql(config::targetOf), first,
                schemas.current(first).orElse(null), change.describe());
        listener.applying(change, change.statement().position(), sql);
        execute(change, sql);
        LOG.info("applied {} to the target as: {}", change.describe(), SchemaChange.abbreviate(sql));
        listener.applied(change, change.statement().position());
        Map<TableId, TableSchema> after = verifier == null ? Map.of() : schemasAfter(change);
        tellVerifier(change, after);
        for (var entry : held.entrySet()) {
            TableId from = entry.getKey();
            TableId to = renamed(from, change);
            TableSchema schema = change.kind() == SchemaChange.Kind.DROP_TABLE ? null
                    : after.containsKey(from) ? after.get(from) : schemas.loadFromTarget(to);
            if (schema == null && change.kind() != SchemaChange.Kind.DROP_TABLE) {
                throw new RunFailed("after " + change.describe() + ", the schema of " + to + " is unknown, so its copy"
                        + " cannot start again; start the copy of this table again in a new run (or use"
                        + " DelayDataIterationUntilBinlogWriterShutdown to replicate the schema changes first)");
            }
            if (schema != null && recopy.get(from)) {
                listener.recopying(to);
                empty(change, config.targetOf(to));
                LOG.info("{}: rows copied before {} are removed; the table is copied again under its new schema", to,
                        change.describe());
            }
            tasks.release(entry.getValue(), from, to, schema);
        }
    }

    /**
     * The tables {@code change} named as they were before it (a rename's new names left out), each with its schema
     * under its new name right after the change, or null when dropped (or gone).
     */
    private Map<TableId, TableSchema> schemasAfter(SchemaChange change) {
        List<TableId> before = new ArrayList<>();
        if (change.renames().isEmpty()) {
            before.addAll(change.tables());
        } else {
            List<TableId> produced = new ArrayList<>();
            for (SchemaChange.Rename r : change.renames()) {
                if (!produced.contains(r.from())) {
                    before.add(r.from());
                }
                produced.add(r.to());
            }
        }
        Map<TableId, TableSchema> out = new LinkedHashMap<>();
        for (TableId t : before) {
            if (!out.containsKey(t)) {
                out.put(t, change.kind() == SchemaChange.Kind.DROP_TABLE ? null : schemas.loadFromTarget(renamed(t, change)));
            }
        }
        return out;
    }

    private void tellVerifier(SchemaChange change, Map<TableId, TableSchema> after) {
        if (verifier == null) {
            return;
        }
        List<TableChange> changes = new ArrayList<>();
        after.forEach((was, schema) -> changes.add(schema == null ? new TableChange.Dropped(was)
                : new TableChange.Altered(was, schema, config.targetOf(schema.id()))));
        verifier.schemaChanged(changes);
        LOG.debug("verifier follows {}", change.describe());
    }

    /** {@code table} after the renames of {@code change}, in order. */
    private static TableId renamed(TableId table, SchemaChange change) {
        TableId name = table;
        for (SchemaChange.Rename r : change.renames()) {
            if (r.from().equals(name)) {
                name = r.to();
            }
        }
        return name;
    }

    private boolean selected(TableId t) {
        return schemas.selects(t);
    }

    private void empty(SchemaChange change, TableId targetTable) {
        try {
            run("TRUNCATE TABLE " + targetTable.sql());
        } catch (SQLException e) {
            // TRUNCATE refuses tables other tables' foreign keys reference; DELETE does the same job.
            execute(change, "DELETE FROM " + targetTable.sql());
        }
    }

    private void execute(SchemaChange change, String sql) {
        try {
            run(sql);
        } catch (SQLException e) {
            throw new RunFailed("applying " + change.describe() + " to the target as `" + SchemaChange.abbreviate(sql)
                    + "` failed: " + e.getMessage() + ". ferry stopped before applying anything after it; fix the"
                    + " target table so the statement applies, or start the copy of the table again", e);
        }
    }

    private void run(String sql) throws SQLException {
        // An ALTER of a large table may run for hours: no read timeout (the watchdog logs it while it runs).
        try (Connection c = target.getConnection(); var untimed = DataSources.untimed(c);
             Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        }
    }
}

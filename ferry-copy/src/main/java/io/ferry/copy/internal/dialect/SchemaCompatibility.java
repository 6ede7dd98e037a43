package io.ferry.copy.internal.dialect;

import io.ferry.copy.internal.dialect.DdlTranslator.Translation;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.SchemaLoader;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the source's schema one the target can create: every database and table definition ({@code SHOW CREATE})
 * is translated for the target's engine ({@link DdlTranslator}), and what the translation changed is logged per
 * object, as a warning where ordering, comparison or enforcement may differ. Preflight also asks the target to
 * parse each translated statement ({@code PREPARE}, which creates nothing), so whatever the rules do not know is
 * found there too, with the target's own message. Schema changes replicated during the run go through the same
 * translation; one that cannot be translated stops the run before it is applied.
 */
public final class SchemaCompatibility {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCompatibility.class);
    private static final Pattern TABLE_HEADER = Pattern.compile("^CREATE TABLE `(?:[^`]|``)+`");
    private static final Pattern DATABASE_HEADER =
            Pattern.compile("^CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ )?`(?:[^`]|``)+`");

    private final DdlTranslator translator;
    private final ServerDialect source;
    private final ServerDialect target;

    private SchemaCompatibility(ServerDialect source, ServerDialect target) {
        this.translator = new DdlTranslator(source, target);
        this.source = source;
        this.target = target;
    }

    /** Reads what both servers support. */
    public static SchemaCompatibility between(Connection source, Connection target) throws SQLException {
        return new SchemaCompatibility(ServerDialect.load(source), ServerDialect.load(target));
    }

    /** Whether the two servers are of different engines (MySQL and MariaDB). */
    public boolean acrossEngines() {
        return translator.acrossEngines();
    }

    /**
     * What preflight found.
     *
     * @param mappings what the target gets written differently, per object
     * @param refusals what cannot be created on the target, each {@code object: problem. fix}
     */
    public record Report(List<SchemaMapping> mappings, List<String> refusals) {
        public Report {
            mappings = List.copyOf(mappings);
            refusals = List.copyOf(refusals);
        }
    }

    /**
     * Translates every database and table the run creates and logs what is mapped. Tables for which
     * {@code existing} holds are skipped (the operator made them; see {@code AllowExistingTargetTable}).
     */
    public Report check(Connection source, Connection target, Collection<TableSchema> tables,
                        UnaryOperator<TableId> targetOf, Predicate<TableId> existing) throws SQLException {
        List<SchemaMapping> mappings = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<String> databases = new LinkedHashSet<>();
        tables.forEach(t -> databases.add(t.id().database()));
        for (String db : databases) {
            Translation tr = translator.database(showCreate(source, "SHOW CREATE DATABASE " + Sql.quote(db)), db);
            String targetDb = targetOf.apply(new TableId(db, "")).database();
            mappings.addAll(tr.mappings());
            refused.addAll(checked(target, tr, db, createDatabase(tr.sql(), targetDb)));
        }
        for (TableSchema t : tables) {
            if (existing.test(targetOf.apply(t.id()))) {
                continue;
            }
            Translation tr = translator.table(showCreate(source, "SHOW CREATE TABLE " + t.id().sql()), t.id(), t);
            mappings.addAll(tr.mappings());
            refused.addAll(checked(target, tr, t.id().toString(), createTable(tr.sql(), targetOf.apply(t.id()), false)));
        }
        return new Report(mappings, refused);
    }

    /** Logs the mappings, then the refusals, else what the target says when preparing {@code sql}. */
    private List<String> checked(Connection target, Translation tr, String object, String sql) throws SQLException {
        log(tr.mappings());
        if (!tr.refusals().isEmpty()) {
            return tr.refusals();
        }
        String problem = parseProblem(target, sql);
        return problem == null ? List.of() : List.of(object + ": " + this.target.describe() + " cannot create it from "
                + "the source's definition: " + problem + ". Change the definition on the source, or create the target "
                + "table yourself and set AllowExistingTargetTable");
    }

    private static void log(List<SchemaMapping> mappings) {
        for (SchemaMapping m : mappings) {
            if (m.warning()) {
                LOG.warn("schema mapped for the target: {}", m);
            } else {
                LOG.info("schema mapped for the target: {}", m);
            }
        }
    }

    /** What the target reports when it parses {@code sql} without running it, or null when it parses. */
    private static String parseProblem(Connection target, String sql) throws SQLException {
        try (Statement st = target.createStatement()) {
            // MySQL resolves functions in defaults at parse time and needs a default database for that.
            st.execute("USE information_schema");
            try (PreparedStatement set = target.prepareStatement("SET @ferry_ddl_check = ?")) {
                set.setString(1, sql);
                set.execute();
            }
            try {
                st.execute("PREPARE ferry_ddl_check FROM @ferry_ddl_check");
                st.execute("DEALLOCATE PREPARE ferry_ddl_check");
                return null;
            } catch (SQLException e) {
                return SqlErrors.describe(e);
            } finally {
                st.execute("SET @ferry_ddl_check = NULL");
            }
        }
    }

    /** The statement creating target database {@code targetDatabase} from the source's {@code SHOW CREATE DATABASE}. */
    public String createDatabaseStatement(Connection source, String database, String targetDatabase)
            throws SQLException {
        Translation tr = translator.database(showCreate(source, "SHOW CREATE DATABASE " + Sql.quote(database)), database);
        return createDatabase(accepted(tr, database), targetDatabase);
    }

    /** The statement creating source table {@code table} (schema {@code schema}) as {@code targetTable}. */
    public String createTableStatement(Connection source, TableId table, TableSchema schema, TableId targetTable,
                                       boolean ifNotExists) throws SQLException {
        Translation tr = translator.table(showCreate(source, "SHOW CREATE TABLE " + table.sql()), table, schema);
        return createTable(accepted(tr, table.toString()), targetTable, ifNotExists);
    }

    /** The translated SQL; the source changed since preflight when something is refused now. */
    private static String accepted(Translation tr, String object) {
        if (!tr.refusals().isEmpty()) {
            throw new PreconditionFailed("ferry cannot create " + object + " on the target:\n  "
                    + String.join("\n  ", tr.refusals()));
        }
        return tr.sql();
    }

    /**
     * A schema change of source table {@code table} (its schema before the change {@code schema}, or null), already
     * renamed for the target, translated for the target's engine; its mappings are logged.
     *
     * @throws RunFailed when it cannot be translated, before anything is applied
     */
    public String replicated(String targetSql, TableId table, TableSchema schema, String describe) {
        Translation tr = translator.table(targetSql, table, schema);
        if (!tr.refusals().isEmpty()) {
            throw new RunFailed("cannot replicate " + describe + " to " + target.describe() + ":\n  "
                    + String.join("\n  ", tr.refusals()) + "\nferry stopped before applying anything after it. Apply "
                    + "an equivalent change to the target yourself, then start the copy of the affected tables again");
        }
        log(tr.mappings());
        return tr.sql();
    }

    /**
     * A schema read from the target table after a replicated schema change, in the source's terms, since the row
     * copy and the verifiers use it on the source, and the copy compares it with the source's own: across engines
     * the target spells types its own way and has mapped collations. Each column the source table has now (by name)
     * is taken from the source ({@code source}, read now); a column only the target has keeps the target's
     * definition with the source's equivalent collation. Same engine: unchanged.
     */
    public TableSchema inSourceTerms(TableSchema fromTarget, DataSource source) {
        if (!acrossEngines()) {
            return fromTarget;
        }
        TableSchema now;
        try (Connection c = source.getConnection()) {
            now = SchemaLoader.load(c, List.of(fromTarget.id())).get(fromTarget.id());
        } catch (SQLException e) {
            throw new RunFailed("reading the schema of " + fromTarget.id() + " from the source after a schema change "
                    + "failed: " + SqlErrors.describe(e), e);
        }
        if (now == null) {
            return fromTarget;
        }
        List<ColumnSchema> columns = new ArrayList<>();
        for (ColumnSchema c : fromTarget.columns()) {
            ColumnSchema there = now.column(c.name()).orElse(null);
            columns.add(there != null ? there : c.collation() == null ? c : withCollation(c, sourceCollation(c)));
        }
        return columns.equals(now.columns()) ? now
                : new TableSchema(fromTarget.id(), columns, fromTarget.primaryKey(), fromTarget.uniqueKeys());
    }

    private String sourceCollation(ColumnSchema onTarget) {
        return switch (CollationMapping.decide(onTarget.collation(), target, source)) {
            case CollationMapping.Same s -> onTarget.collation();
            case CollationMapping.Mapped m -> m.to();
            case CollationMapping.Unmapped u -> onTarget.collation(); // a source query naming it fails loudly
        };
    }

    private static ColumnSchema withCollation(ColumnSchema c, String collation) {
        return new ColumnSchema(c.name(), c.ordinal(), c.dataType(), c.columnType(), c.unsigned(), c.nullable(),
                c.charset(), collation, c.maxLength(), c.scale(), c.generated(), c.autoIncrement(), c.members());
    }

    static String createDatabase(String showCreate, String targetDatabase) {
        Matcher m = DATABASE_HEADER.matcher(showCreate);
        if (!m.find()) {
            throw new IllegalStateException("unexpected SHOW CREATE DATABASE output: " + showCreate);
        }
        return "CREATE DATABASE IF NOT EXISTS " + Sql.quote(targetDatabase) + showCreate.substring(m.end());
    }

    static String createTable(String showCreate, TableId target, boolean ifNotExists) {
        Matcher m = TABLE_HEADER.matcher(showCreate);
        if (!m.find()) {
            throw new IllegalStateException("unexpected SHOW CREATE TABLE output: " + showCreate);
        }
        return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + target.sql() + showCreate.substring(m.end());
    }

    private static String showCreate(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(2);
        }
    }
}

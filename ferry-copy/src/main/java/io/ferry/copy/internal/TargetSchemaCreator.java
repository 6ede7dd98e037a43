package io.ferry.copy.internal;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import io.ferry.core.sql.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the target databases and tables from the source's own {@code SHOW CREATE} output, under their rewritten
 * names. Triggers are not part of {@code SHOW CREATE TABLE} and are deliberately not copied: they would fire again
 * for rows the binlog already carries.
 */
final class TargetSchemaCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchemaCreator.class);
    private static final Pattern TABLE_HEADER = Pattern.compile("^CREATE TABLE `(?:[^`]|``)+`");
    private static final Pattern DATABASE_HEADER =
            Pattern.compile("^CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ )?`(?:[^`]|``)+`");

    private final UnaryOperator<TableId> targetOf;
    private final boolean allowExisting;

    TargetSchemaCreator(UnaryOperator<TableId> targetOf, boolean allowExisting) {
        this.targetOf = targetOf;
        this.allowExisting = allowExisting;
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
                st.execute(createDatabase(showCreate(source, "SHOW CREATE DATABASE " + Sql.quote(db)), targetDb));
            }
            st.execute("SET SESSION foreign_key_checks = 0");
            for (TableId table : order) {
                TableId t = targetOf.apply(table);
                String ddl = createTable(showCreate(source, "SHOW CREATE TABLE " + table.sql()), t, allowExisting);
                st.execute(ddl);
                LOG.info("created target table {} (from {})", t, table);
            }
        }
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

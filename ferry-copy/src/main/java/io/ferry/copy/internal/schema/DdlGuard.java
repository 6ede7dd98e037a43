package io.ferry.copy.internal.schema;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.StatementExecuted;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops the run safely when a schema change, or a data change logged in statement format, touches a copied table:
 * applying later row events to a target table of another shape would corrupt it silently, and a statement cannot
 * be replayed safely. Statements on other tables pass. The check is conservative: a statement that names a copied
 * table anywhere (qualified, or unqualified in a copied database) counts as touching it.
 */
public final class DdlGuard implements BinlogApplier.StatementHandler {
    private static final Pattern SCHEMA_CHANGE =
            Pattern.compile("^\\s*(?:/\\*.*?\\*/\\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern IDENTIFIER = Pattern.compile("`((?:[^`]|``)+)`|([A-Za-z0-9_$]+)");

    private final Set<TableId> copied;
    private final Set<String> copiedDatabases = new HashSet<>();

    public DdlGuard(Set<TableId> copied) {
        this.copied = Set.copyOf(copied);
        copied.forEach(t -> copiedDatabases.add(t.database()));
    }

    /** Statement-format data changes stop the run only when they name a copied table. */
    @Override
    public void handleDml(StatementExecuted statement) {
        if (touchedTable(statement) != null) {
            BinlogApplier.StatementHandler.super.handleDml(statement);
        }
    }

    /** Throws {@link RunFailed} when {@code statement} changes the schema of a copied table or database. */
    @Override
    public void handle(StatementExecuted statement) {
        if (!SCHEMA_CHANGE.matcher(statement.sql()).find()) {
            return;
        }
        String touched = touchedTable(statement);
        if (touched != null) {
            throw new RunFailed("schema change on copied table " + touched + " at source binlog position "
                    + statement.position().event() + ": " + abbreviate(statement.sql()) + ". ferry stopped before "
                    + "applying anything after it, since later changes would not fit the target table. Restart the "
                    + "copy of this table after the change (drop it on the target and run again)");
        }
    }

    private String touchedTable(StatementExecuted statement) {
        Matcher m = IDENTIFIER.matcher(statement.sql());
        String previous = null;
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1).replace("``", "`") : m.group(2);
            boolean qualifiedNext = m.end() < statement.sql().length() && statement.sql().charAt(m.end()) == '.';
            if (previous != null) {
                TableId qualified = new TableId(previous, name);
                if (copied.contains(qualified)) {
                    return qualified.toString();
                }
            }
            TableId unqualified = new TableId(statement.database(), name);
            if (copied.contains(unqualified)) {
                return unqualified.toString();
            }
            if (name.toLowerCase(Locale.ROOT).equals("database") || name.toLowerCase(Locale.ROOT).equals("schema")) {
                // DROP/ALTER DATABASE db: the next identifier is a database
                if (m.find()) {
                    String db = m.group(1) != null ? m.group(1) : m.group(2);
                    if (copiedDatabases.contains(db)) {
                        return "database " + db;
                    }
                }
            }
            previous = qualifiedNext ? name : null;
        }
        return null;
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}

package io.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.core.TableId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a table's columns (name, type, nullability, default, collation, order) on the source and the target.
 * Between servers of one engine they must be spelled the same. Across engines each side is first put into one
 * spelling, which differs only where the engines print the same definition differently or where ferry maps it as
 * the README's Compatibility section documents; any other difference still fails.
 */
public final class ColumnDefinitions {
    private static final String QUERY = "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME,"
            + " ORDINAL_POSITION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
            + " ORDER BY ORDINAL_POSITION";
    /** MySQL 8 no longer prints integer display widths, MariaDB does; they change no value (unless ZEROFILL). */
    private static final Pattern INT_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)");
    private static final Pattern UCA_1400 =
            Pattern.compile("^utf8mb4_uca1400_(?:nopad_)?(ai_ci|as_ci|as_cs)$");

    /** One column as compared. */
    public record Column(String name, String type, String nullable, String defaultValue, String collation,
                         long position) {
    }

    private ColumnDefinitions() {
    }

    /** Asserts that {@code source} on the source server has the columns {@code target} has on the target. */
    public static void assertSame(TestServer sourceServer, TableId source, TestServer targetServer, TableId target) {
        boolean crossEngine = sourceServer.info().isMariaDb() != targetServer.info().isMariaDb();
        List<Column> expected = read(sourceServer, source, crossEngine);
        assertFalse(expected.isEmpty(), source + " does not exist on the source");
        assertEquals(expected, read(targetServer, target, crossEngine), "columns of " + target);
    }

    static List<Column> read(TestServer server, TableId table, boolean canonical) {
        boolean mariaDb = server.info().isMariaDb();
        Set<String> json = canonical && mariaDb ? mariaDbJsonColumns(server, table) : Set.of();
        return server.query(QUERY, table.database(), table.table()).stream().map(r -> {
            var c = new Column((String) r.get(0), (String) r.get(1), (String) r.get(2), (String) r.get(3),
                    (String) r.get(4), ((Number) r.get(5)).longValue());
            return canonical ? canonical(c, mariaDb, json.contains(c.name())) : c;
        }).toList();
    }

    /** The spelling both engines are compared in: MySQL 8's, with MySQL's names for the mapped collations. */
    static Column canonical(Column c, boolean mariaDb, boolean mariaDbJson) {
        String type = c.type().toLowerCase(Locale.ROOT);
        if (!type.contains("zerofill")) {
            type = INT_WIDTH.matcher(type).replaceFirst("$1");
        }
        String collation = c.collation();
        if (mariaDbJson) {
            type = "json"; // MariaDB's JSON is a LONGTEXT checked by json_valid; ferry maps it to MySQL's JSON
            collation = null;
        } else if (collation != null) {
            collation = mysqlCollation(collation);
        }
        String dflt = mariaDb ? mysqlDefault(c.defaultValue()) : c.defaultValue();
        return new Column(c.name(), type, c.nullable(), dflt, collation, c.position());
    }

    /** The README's mapping: MariaDB's UCA 14.0.0 collations are MySQL's UCA 9.0.0 ones; utf8 is utf8mb3. */
    private static String mysqlCollation(String collation) {
        Matcher m = UCA_1400.matcher(collation);
        if (m.matches()) {
            return "utf8mb4_0900_" + m.group(1);
        }
        if (collation.equals("utf8mb4_nopad_bin")) {
            return "utf8mb4_0900_bin";
        }
        return collation.startsWith("utf8_") ? "utf8mb3_" + collation.substring(5) : collation;
    }

    /**
     * MariaDB prints COLUMN_DEFAULT as an expression ({@code NULL}, {@code 'text'}, {@code current_timestamp()}),
     * MySQL the value itself ({@code null}, {@code text}, {@code CURRENT_TIMESTAMP}).
     */
    private static String mysqlDefault(String dflt) {
        if (dflt == null || dflt.equals("NULL")) {
            return null;
        }
        if (dflt.length() >= 2 && dflt.startsWith("'") && dflt.endsWith("'")) {
            return dflt.substring(1, dflt.length() - 1).replace("''", "'").replace("\\\\", "\\");
        }
        return dflt.equalsIgnoreCase("current_timestamp()") ? "CURRENT_TIMESTAMP" : dflt;
    }

    private static Set<String> mariaDbJsonColumns(TestServer server, TableId table) {
        Set<String> out = new HashSet<>();
        for (var r : server.query("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND LEVEL = 'Column'", table.database(), table.table())) {
            Matcher m = Pattern.compile("^json_valid\\(`([^`]+)`\\)$").matcher((String) r.get(0));
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}

package io.ferry.copy.internal.preflight;

import io.ferry.copy.internal.rowcopy.FullTableCopier;
import io.ferry.core.config.CascadingPaginationColumnConfig;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the key a table is paginated by, in one rule (the more specific setting wins):
 * <ol>
 *   <li>a table in {@code FullTableCopies} is copied whole, whatever keys it has (see {@link FullTableCopier});</li>
 *   <li>a {@code PerTable} column;</li>
 *   <li>else the primary key, all of its columns, when each is of an orderable type;</li>
 *   <li>else {@code FallbackColumn}, when the table has that column;</li>
 *   <li>else the table is refused, naming the options. A table without a usable key is never copied whole
 *       unasked: the operator opts in by listing it in {@code FullTableCopies}, because its copy stalls replication.</li>
 * </ol>
 * A configured column must be NOT NULL (a NULL never satisfies {@code >}, so its rows would be skipped). When it is
 * not unique by itself, the primary key (or else a unique key of NOT NULL columns) is appended to it, so pagination
 * by (column, key) neither skips nor repeats rows that share a value across a batch boundary.
 */
final class KeyResolver {
    static final String OPTIONS = "give it a key with CascadingPaginationColumnConfig.PerTable "
            + "({\"<db>\": {\"<table>\": \"<column>\"}}) or FallbackColumn, naming a NOT NULL column of an orderable "
            + "type (integer, DECIMAL, CHAR/VARCHAR, BINARY/VARBINARY, date/time), or copy it whole by listing it in "
            + "CascadingPaginationColumnConfig.FullTableCopies ({\"<db>\": [\"<table>\"]}; meant for small tables: the "
            + "binlog apply waits while it is written), or leave it out with Tables.Blacklist";

    private final CascadingPaginationColumnConfig config;

    KeyResolver(CascadingPaginationColumnConfig config) {
        this.config = config;
    }

    /** The outcome for one table. */
    sealed interface Resolution permits Key, Whole, Refused {
    }

    /**
     * The key to paginate by.
     *
     * @param columns key columns, most significant first
     * @param origin  where it came from, for the log: e.g. {@code primary key}, {@code PerTable column uid + id}
     */
    record Key(List<ColumnSchema> columns, String origin) implements Resolution {
        Key {
            columns = List.copyOf(columns);
        }
    }

    /** The table is copied whole, without a key. */
    record Whole(String origin) implements Resolution {
    }

    /** Why the table cannot be copied, phrased to follow "db.table: ". */
    record Refused(String reason) implements Resolution {
    }

    Resolution resolve(TableSchema t) {
        if (config.isFullTableCopy(t.id())) {
            return new Whole("listed in CascadingPaginationColumnConfig.FullTableCopies");
        }
        Optional<String> perTable = config.columnFor(t.id());
        if (perTable.isPresent()) {
            return byColumn(t, perTable.get(), "CascadingPaginationColumnConfig.PerTable");
        }
        String pkProblem = primaryKeyProblem(t);
        if (pkProblem == null) {
            return new Key(t.primaryKeyColumns(), "primary key");
        }
        Optional<String> fallback = config.fallback();
        if (fallback.isPresent() && t.column(fallback.get()).isPresent()) {
            return byColumn(t, fallback.get(), "CascadingPaginationColumnConfig.FallbackColumn");
        }
        return new Refused(pkProblem + "; " + OPTIONS);
    }

    private static String primaryKeyProblem(TableSchema t) {
        if (t.primaryKey().isEmpty()) {
            return "it has no primary key";
        }
        for (ColumnSchema c : t.primaryKeyColumns()) {
            String why = unorderable(c);
            if (why != null) {
                return "its primary key column " + c.name() + " is " + c.columnType() + ", " + why;
            }
        }
        return null;
    }

    private static Resolution byColumn(TableSchema t, String name, String setting) {
        Optional<ColumnSchema> found = t.column(name);
        if (found.isEmpty()) {
            return new Refused(setting + " names column " + name + ", which the table does not have; name one of its "
                    + "columns (" + String.join(", ", t.columns().stream().map(ColumnSchema::name).toList()) + ")");
        }
        ColumnSchema c = found.get();
        String why = unorderable(c);
        if (why != null) {
            return new Refused(setting + " names column " + c.name() + ", which is " + c.columnType() + ", " + why
                    + "; name a column of an orderable type (integer, DECIMAL, CHAR/VARCHAR, BINARY/VARBINARY, date/time)");
        }
        if (c.nullable()) {
            return new Refused(setting + " names column " + c.name() + ", which is nullable; rows whose value is NULL "
                    + "would be skipped. Make it NOT NULL or name a NOT NULL column");
        }
        if (uniqueAlone(t, c)) {
            return new Key(List.of(c), setting + " column " + c.name());
        }
        List<ColumnSchema> tieBreaker = uniqueNotNullKey(t);
        if (tieBreaker == null) {
            return new Refused(setting + " names column " + c.name() + ", which is not unique, and the table has no "
                    + "primary key or unique key of NOT NULL orderable columns to tell equal values apart; add one, "
                    + "name a unique column, copy the table whole with CascadingPaginationColumnConfig.FullTableCopies, "
                    + "or leave it out with Tables.Blacklist");
        }
        List<ColumnSchema> key = new ArrayList<>();
        key.add(c);
        tieBreaker.stream().filter(k -> !k.name().equalsIgnoreCase(c.name())).forEach(key::add);
        return new Key(key, setting + " column " + c.name() + " + " + String.join(", ",
                key.subList(1, key.size()).stream().map(ColumnSchema::name).toList()));
    }

    /** Whether the primary key or a unique key consists of exactly {@code c}. */
    private static boolean uniqueAlone(TableSchema t, ColumnSchema c) {
        if (t.primaryKey().size() == 1 && t.primaryKey().getFirst().equalsIgnoreCase(c.name())) {
            return true;
        }
        return t.uniqueKeys().stream().anyMatch(k -> k.size() == 1 && k.getFirst().equalsIgnoreCase(c.name()));
    }

    /** The primary key if orderable, else the first unique key of NOT NULL orderable columns, else {@code null}. */
    private static List<ColumnSchema> uniqueNotNullKey(TableSchema t) {
        if (primaryKeyProblem(t) == null) {
            return t.primaryKeyColumns();
        }
        for (List<String> names : t.uniqueKeys()) {
            List<ColumnSchema> cols = names.stream().map(n -> t.column(n).orElseThrow()).toList();
            if (cols.stream().allMatch(k -> !k.nullable() && unorderable(k) == null)) {
                return cols;
            }
        }
        return null;
    }

    /**
     * Why the server and ferry could disagree on the order or equality of {@code c}'s values, or {@code null} when
     * the column can be paginated by. Every comparison happens in SQL, in the column's own collation; what is refused
     * here is what cannot be written back as an exact literal (approximate numbers), what orders differently from how
     * it compares (ENUM/SET order by member number), and what cannot be indexed whole (TEXT/BLOB/JSON/GEOMETRY).
     */
    static String unorderable(ColumnSchema c) {
        return switch (c.kind()) {
            case INTEGER, DECIMAL, TEMPORAL, FIXED_BINARY -> null;
            case TEXT -> c.dataType().equals("char") || c.dataType().equals("varchar") ? null
                    : "a TEXT type, which ferry does not paginate by";
            case BINARY -> c.dataType().equals("varbinary") || c.dataType().equals("varchar") || c.dataType().equals("char")
                    ? null : "a BLOB type, which ferry does not paginate by";
            case FLOAT, DOUBLE -> "an approximate number, whose values ferry cannot compare exactly";
            case ENUM_OR_SET -> "an ENUM or SET, which sorts by member number but compares by name";
            case BIT -> "a BIT type, which ferry does not paginate by";
            case JSON -> "a JSON type, which ferry does not paginate by";
            case GEOMETRY -> "a spatial type, which has no order";
            case UNSUPPORTED -> "a type ferry cannot copy";
        };
    }
}

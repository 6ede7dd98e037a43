package io.ferry.copy.shard;

import io.ferry.core.ConfigException;
import io.ferry.core.TableId;
import io.ferry.core.config.ShardingConfig;
import io.ferry.core.filter.ChangeOutcome;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.filter.RowChange;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.filter.RowSelection;
import io.ferry.core.filter.TableFilter;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant of a multi-tenant database (ghostferry-sharding's filters): the tables with the sharding key column and
 * their rows with the tenant's value; joined tables through the join tables' rows of the tenant; the primary-key
 * tables' one row. A binlog change is kept when its old or new image is the tenant's; one that changes a row's
 * sharding key into or out of the tenant stops the run, naming the table, the row's key and both values.
 *
 * <p>Joined tables hold rows tenants share and only ever insert: their binlog changes are not applied, they are
 * copied again under the cutover lock and verified then. Primary-key tables are copied under the cutover lock only.
 */
public final class TenantFilter implements RowFilter, TableFilter {
    private static final Logger LOG = LoggerFactory.getLogger(TenantFilter.class);
    private static final Pattern JOINED_ALIAS = Pattern.compile("(?i)(`joined`|\\bjoined)\\.");

    private final ShardingConfig config;
    /** Each source table's indexes, by name, as column lists in index order. */
    private final Map<String, Map<String, List<String>>> indexes;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /**
     * Each table's kind for the schema instance it was worked out on: the binlog asks for every row change, with the
     * same schema instance until a schema change replaces it.
     */
    private final Map<TableId, Classified> classified = new ConcurrentHashMap<>();

    private record Classified(TableSchema schema, TenantTable kind) {
    }

    /** The filter of {@code config}'s tenant; {@code indexes} as {@link #load} reads them, by table then index name. */
    TenantFilter(ShardingConfig config, Map<String, Map<String, List<String>>> indexes) {
        this.config = config;
        this.indexes = indexes;
    }

    /** The filter of {@code config}'s tenant, with the source database's indexes read for the reads' hints. */
    public static TenantFilter load(ShardingConfig config, Connection source) throws SQLException {
        Map<String, Map<String, List<String>>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = source.prepareStatement("""
                SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
                WHERE TABLE_SCHEMA = ? AND COLUMN_NAME IS NOT NULL
                ORDER BY TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX""")) {
            ps.setString(1, config.sourceDb());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), i -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        return new TenantFilter(config, indexes);
    }

    /** How {@code table} takes part in the move. */
    TenantTable classify(TableSchema table) {
        Classified known = classified.get(table.id());
        if (known != null && known.schema() == table) {
            return known.kind();
        }
        TenantTable kind = classifyAnew(table);
        classified.put(table.id(), new Classified(table, kind));
        return kind;
    }

    private TenantTable classifyAnew(TableSchema table) {
        String name = table.id().table();
        if (!table.id().database().equals(config.sourceDb())) {
            return new TenantTable.LeftOut("not in SourceDB " + config.sourceDb());
        }
        if (!config.selectsTableName(name)) {
            return new TenantTable.LeftOut(config.includedTables().isEmpty() ? "matches IgnoredTables"
                    : "matches no IncludedTables pattern");
        }
        if (config.primaryKeyTables().contains(name)) {
            return new TenantTable.PrimaryKey(singleKeyColumn(table, "PrimaryKeyTables"));
        }
        if (config.joinedTables().containsKey(name)) {
            return new TenantTable.Joined(singleKeyColumn(table, "JoinedTables"), config.joinedTables().get(name));
        }
        if (config.joinedThroughTables().containsKey(name)) {
            return new TenantTable.JoinedThrough(config.joinedThroughTables().get(name));
        }
        ColumnSchema key = table.column(config.shardingKey()).orElse(null);
        if (key == null) {
            return new TenantTable.LeftOut("has no column " + config.shardingKey()
                    + " and is neither a joined nor a primary-key table");
        }
        if (!config.integerValue() && key.isInteger()) {
            throw new ConfigException("ShardingValue = \"" + config.shardingValue() + "\" is a string, but "
                    + table.id() + "." + key.name() + " is an integer column; give ShardingValue as a number");
        }
        return new TenantTable.Sharded(key.name());
    }

    private String singleKeyColumn(TableSchema table, String option) {
        if (table.primaryKey().size() != 1) {
            throw new ConfigException(option + ": " + table.id() + " has " + (table.primaryKey().isEmpty()
                    ? "no primary key" : "a primary key of " + table.primaryKey().size() + " columns")
                    + "; a table listed there needs a one-column primary key (the tenant id, or the column the join"
                    + " tables refer to)");
        }
        return table.primaryKey().getFirst();
    }

    @Override
    public boolean includes(TableSchema table) {
        return !(classify(table) instanceof TenantTable.LeftOut);
    }

    @Override
    public String describe(TableSchema table) {
        return classify(table).describe();
    }

    @Override
    public RowSelection select(TableSchema table, TableId readFrom) {
        String db = Sql.quote(readFrom.database());
        return switch (classify(table)) {
            case TenantTable.Sharded s -> {
                boolean integer = table.column(s.column()).map(ColumnSchema::isInteger).orElse(false);
                RowSelection rows = RowSelection.where(isTenant(Sql.quote(s.column()), integer));
                yield readFrom.equals(table.id()) ? rows.withIndexHint(hint(table, s.column())) : rows;
            }
            case TenantTable.Joined j -> {
                List<String> parts = new ArrayList<>();
                for (ShardingConfig.JoinedTable t : j.through()) {
                    parts.add("SELECT " + Sql.quote(t.joinColumn()) + " FROM " + db + "." + Sql.quote(t.tableName())
                            + " WHERE " + isTenant(Sql.quote(config.shardingKey()), config.integerValue()));
                }
                yield RowSelection.where(Sql.quote(j.keyColumn()) + " IN (" + String.join(" UNION ", parts) + ")");
            }
            case TenantTable.JoinedThrough j -> {
                String join = db + "." + Sql.quote(j.through().joinTableName());
                String condition = JOINED_ALIAS.matcher(j.through().joinCondition())
                        .replaceAll(Matcher.quoteReplacement(readFrom.sql() + "."));
                yield RowSelection.where("EXISTS (SELECT 1 FROM " + join + " WHERE "
                        + isTenant(join + "." + Sql.quote(config.shardingKey()), config.integerValue())
                        + " AND (" + condition + "))");
            }
            case TenantTable.PrimaryKey p -> RowSelection.where(isTenant(Sql.quote(p.column()), config.integerValue()));
            // None of the tenant's rows: a table created during the run that the move leaves out.
            case TenantTable.LeftOut l -> RowSelection.where("FALSE");
        };
    }

    /**
     * {@code column = value}; a string tenant id is also compared byte for byte, so that the rows SQL selects are
     * exactly those {@link #onChange} recognises (a case-insensitive collation would match other spellings).
     */
    private String isTenant(String column, boolean integerColumn) {
        if (config.integerValue() && integerColumn) {
            return column + " = " + config.shardingValue();
        }
        String literal = Sql.string(config.shardingValue());
        return column + " = " + literal + " AND CAST(" + column + " AS BINARY) = CAST(" + literal + " AS BINARY)";
    }

    /** The read's index hint: an index led by the sharding key (and the key after it, where one is), as configured. */
    private String hint(TableSchema table, String shardingColumn) {
        String name = table.id().table();
        ShardingConfig.TableIndexHint own = config.indexHintPerTable().get(name);
        ShardingConfig.IndexHint kind = own != null ? own.hint() : config.indexHint();
        if (kind == ShardingConfig.IndexHint.NONE) {
            return "";
        }
        String index = own != null && own.indexName() != null && !own.indexName().isEmpty() ? own.indexName()
                : shardingIndex(table, shardingColumn);
        if (index == null) {
            if (warned.add(name)) {
                LOG.warn("{}: no index is led by {}; reading the tenant's rows may scan the table (add an index on"
                        + " ({}, {}))", table.id(), shardingColumn, shardingColumn,
                        String.join(", ", table.primaryKey()));
            }
            return "";
        }
        return (kind == ShardingConfig.IndexHint.FORCE ? "FORCE" : "USE") + " INDEX (" + Sql.quote(index) + ")";
    }

    private String shardingIndex(TableSchema table, String shardingColumn) {
        String ledBy = null;
        for (var e : indexes.getOrDefault(table.id().table(), Map.of()).entrySet()) {
            List<String> columns = e.getValue();
            if (!columns.getFirst().equalsIgnoreCase(shardingColumn)) {
                continue;
            }
            if (columns.size() > 1 && !table.primaryKey().isEmpty()
                    && columns.get(1).equalsIgnoreCase(table.primaryKey().getFirst())) {
                return e.getKey();
            }
            if (ledBy == null) {
                ledBy = e.getKey();
            }
        }
        return ledBy;
    }

    @Override
    public ChangeOutcome onChange(RowChange change) {
        if (!(classify(change.table()) instanceof TenantTable.Sharded s)) {
            return ChangeOutcome.SKIP; // the other tables' changes are not replicated (see timing)
        }
        String before = change.isInsert() ? null : change.before(s.column());
        String after = change.isDelete() ? null : change.after(s.column());
        boolean was = config.shardingValue().equals(before);
        boolean is = config.shardingValue().equals(after);
        if (change.isUpdate() && was != is) {
            return ChangeOutcome.fail("the sharding key " + s.column() + " of the row " + key(change)
                    + " changed from " + before + " to " + after + "; a row cannot move between tenants during a"
                    + " tenant move, and a resumed run would meet the same change: delete the tenant's rows from the"
                    + " target and start the move again once rows no longer change tenants");
        }
        return was || is ? ChangeOutcome.APPLY : ChangeOutcome.SKIP;
    }

    /** The row's primary key, e.g. {@code (id=7)}. */
    private static String key(RowChange change) {
        List<String> parts = new ArrayList<>();
        for (String column : change.table().identityKey()) {
            parts.add(column + "=" + change.before(column));
        }
        return "(" + String.join(", ", parts) + ")";
    }

    @Override
    public CopyTiming timing(TableSchema table) {
        return switch (classify(table)) {
            case TenantTable.Joined j -> CopyTiming.RECOPIED_AT_CUTOVER;
            case TenantTable.JoinedThrough j -> CopyTiming.RECOPIED_AT_CUTOVER;
            case TenantTable.PrimaryKey p -> CopyTiming.AT_CUTOVER;
            default -> CopyTiming.STREAMED;
        };
    }

    @Override
    public String identity() {
        return "tenant " + config.selection();
    }

    @Override
    public String toString() {
        return identity();
    }
}

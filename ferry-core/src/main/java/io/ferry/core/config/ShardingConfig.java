package io.ferry.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which rows a {@code ferry shard} run moves: one tenant's, those whose {@code shardingKey} column holds
 * {@code shardingValue}, from database {@code sourceDb} to {@code targetDb}. These are ghostferry-sharding's own keys,
 * read by {@link ShardConfigLoader}; everything else about the run is its {@link CopydbConfig}.
 *
 * @param shardingKey         the column that holds the tenant id ({@code ShardingKey})
 * @param shardingValue       the tenant id as text ({@code ShardingValue}): an integer's decimal digits, or the string
 * @param integerValue        whether {@code ShardingValue} was a JSON integer, so it is compared as a number and not
 *                            as a string
 * @param sourceDb            the database the tenant is moved from ({@code SourceDB})
 * @param targetDb            the database it is moved to ({@code TargetDB}; {@code sourceDb} when not given)
 * @param joinedTables        tables without the sharding key whose rows the tenant reaches through join tables
 *                            ({@code JoinedTables}): table name to the join tables and columns that point at its rows
 * @param joinedThroughTables tables whose tenant rows are found by joining another table ({@code JoinedThroughTables})
 * @param primaryKeyTables    tables whose primary key is the tenant id, holding one row per tenant, copied at cutover
 *                            ({@code PrimaryKeyTables})
 * @param ignoredTables       tables left out of the move, by regular expression on the name ({@code IgnoredTables})
 * @param includedTables      when not empty, the only tables moved, by regular expression ({@code IncludedTables});
 *                            at most one of the two lists is non-empty
 * @param indexHint           how the row copy hints the server to use the sharding-key index
 *                            ({@code ShardedCopyFilterConfig.IndexHint})
 * @param indexHintPerTable   per table of {@code sourceDb}, another hint and index
 *                            ({@code ShardedCopyFilterConfig.IndexHintingPerTable})
 */
public record ShardingConfig(String shardingKey, String shardingValue, boolean integerValue, String sourceDb,
                             String targetDb, Map<String, List<JoinedTable>> joinedTables,
                             Map<String, JoinedThroughTable> joinedThroughTables, List<String> primaryKeyTables,
                             List<Pattern> ignoredTables, List<Pattern> includedTables, IndexHint indexHint,
                             Map<String, TableIndexHint> indexHintPerTable) {

    public ShardingConfig {
        Objects.requireNonNull(shardingKey, "shardingKey");
        Objects.requireNonNull(shardingValue, "shardingValue");
        Objects.requireNonNull(sourceDb, "sourceDb");
        targetDb = targetDb == null ? sourceDb : targetDb;
        joinedTables = joinedTables.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> List.copyOf(e.getValue())));
        joinedThroughTables = Map.copyOf(joinedThroughTables);
        primaryKeyTables = List.copyOf(primaryKeyTables);
        ignoredTables = List.copyOf(ignoredTables);
        includedTables = List.copyOf(includedTables);
        if (!ignoredTables.isEmpty() && !includedTables.isEmpty()) {
            throw new IllegalArgumentException("ignoredTables and includedTables cannot both be set");
        }
        indexHint = indexHint == null ? IndexHint.USE : indexHint;
        indexHintPerTable = Map.copyOf(indexHintPerTable);
    }

    /**
     * One join table of a joined table: {@code tableName} holds the sharding key, and its {@code joinColumn} holds
     * the primary key of the joined table's rows the tenant uses.
     */
    public record JoinedTable(String tableName, String joinColumn) {
        public JoinedTable {
            Objects.requireNonNull(tableName, "tableName");
            Objects.requireNonNull(joinColumn, "joinColumn");
        }
    }

    /**
     * How a joined-through table's tenant rows are found: those matching {@code joinCondition} (SQL, e.g.
     * {@code `a`.`x_id` = `b`.`x_id`}) with a row of {@code joinTableName} that holds the sharding key.
     */
    public record JoinedThroughTable(String joinTableName, String joinCondition) {
        public JoinedThroughTable {
            Objects.requireNonNull(joinTableName, "joinTableName");
            Objects.requireNonNull(joinCondition, "joinCondition");
        }
    }

    /**
     * The index hint in the row copy's query on a sharded table: {@code USE INDEX} (a suggestion the optimizer may
     * overrule with a table scan), {@code FORCE INDEX} (it may not), or none.
     */
    public enum IndexHint {
        NONE, USE, FORCE;

        /** The name in the config: {@code none}, {@code use}, {@code force}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The hint named {@code name}, in any case. */
        public static Optional<IndexHint> fromConfigName(String name) {
            for (IndexHint h : values()) {
                if (h.configName().equalsIgnoreCase(name)) {
                    return Optional.of(h);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One table's hint.
     *
     * @param hint      the hint
     * @param indexName the index it names, or {@code null} for the index the run finds led by the sharding key
     */
    public record TableIndexHint(IndexHint hint, String indexName) {
        public TableIndexHint {
            Objects.requireNonNull(hint, "hint");
        }
    }

    /**
     * Whether the table filter takes table {@code name}: one of {@code includedTables} matches it when that list is
     * not empty, else none of {@code ignoredTables} does. A pattern matches when it is found anywhere in the name
     * (Go's {@code MatchString}, which ghostferry-sharding uses); anchor it with {@code ^...$} to match whole names.
     */
    public boolean selectsTableName(String name) {
        if (!includedTables.isEmpty()) {
            return includedTables.stream().anyMatch(p -> p.matcher(name).find());
        }
        return ignoredTables.stream().noneMatch(p -> p.matcher(name).find());
    }

    /** The index hint the row copy uses on table {@code name}: its own, else {@code indexHint} with no index named. */
    public TableIndexHint indexHintOf(String name) {
        return indexHintPerTable.getOrDefault(name, new TableIndexHint(indexHint, null));
    }

    /**
     * E.g. {@code shop_id = 5 in shop -> shop_copy; joined: assets via assets_shops.asset_id; primary-key tables:
     * shops}, for the run's log.
     */
    public String describe() {
        var parts = new ArrayList<String>(List.of(selection()));
        if (indexHint != IndexHint.USE || !indexHintPerTable.isEmpty()) {
            String perTable = new TreeMap<>(indexHintPerTable).entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().hint().configName()
                            + (e.getValue().indexName() == null ? "" : " " + e.getValue().indexName()))
                    .collect(Collectors.joining(", "));
            parts.add("index hint " + indexHint.configName() + (perTable.isEmpty() ? "" : " (" + perTable + ")"));
        }
        return String.join("; ", parts);
    }

    /**
     * What rows the move selects, without how they are read ({@link #describe} less the index hints): a resumed
     * tenant move must select the same rows, and may read them through other hints.
     */
    public String selection() {
        var parts = new ArrayList<String>();
        String value = integerValue ? shardingValue : "'" + shardingValue.replace("'", "''") + "'";
        parts.add(shardingKey + " = " + value + " in " + sourceDb + (targetDb.equals(sourceDb) ? "" : " -> " + targetDb));
        if (!joinedTables.isEmpty()) {
            parts.add("joined: " + new TreeMap<>(joinedTables).entrySet().stream()
                    .map(e -> e.getKey() + " via " + e.getValue().stream()
                            .map(j -> j.tableName() + "." + j.joinColumn()).collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("; ")));
        }
        if (!joinedThroughTables.isEmpty()) {
            parts.add("joined through: " + new TreeMap<>(joinedThroughTables).entrySet().stream()
                    .map(e -> e.getKey() + " via " + e.getValue().joinTableName())
                    .collect(Collectors.joining(", ")));
        }
        if (!primaryKeyTables.isEmpty()) {
            parts.add("primary-key tables: " + String.join(", ", primaryKeyTables));
        }
        if (!ignoredTables.isEmpty()) {
            parts.add("tables ignored: " + patterns(ignoredTables));
        }
        if (!includedTables.isEmpty()) {
            parts.add("only tables matching: " + patterns(includedTables));
        }
        return String.join("; ", parts);
    }

    private static String patterns(List<Pattern> patterns) {
        return patterns.stream().map(Pattern::pattern).collect(Collectors.joining(", "));
    }
}

package io.ferry.core.config;

import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which column a table is paginated by when its primary key will not do, or which tables to copy whole: the fork's
 * {@code CascadingPaginationColumnConfig} ("cascading": the more specific setting wins). Names are source names,
 * before any rewrite; database and table names match exactly, column names case-insensitively (as the server does).
 *
 * @param perTable        source database -> table -> column to paginate that table by
 * @param fallbackColumn  column used by any table whose primary key cannot be used and that has this column; empty
 *                        for none
 * @param fullTableCopies source database -> tables to copy whole rather than paginated, whatever keys they have;
 *                        the way to copy a table without a usable key
 */
public record CascadingPaginationColumnConfig(Map<String, Map<String, String>> perTable, String fallbackColumn,
                                              Map<String, List<String>> fullTableCopies) {
    /** Nothing configured: every table is paginated by its primary key. */
    public static final CascadingPaginationColumnConfig NONE = new CascadingPaginationColumnConfig(Map.of(), "", Map.of());

    public CascadingPaginationColumnConfig {
        perTable = perTable.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        fallbackColumn = Objects.requireNonNullElse(fallbackColumn, "");
        fullTableCopies = fullTableCopies.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** The column {@code PerTable} names for source table {@code t}, if any. */
    public Optional<String> columnFor(TableId t) {
        return Optional.ofNullable(perTable.getOrDefault(t.database(), Map.of()).get(t.table()));
    }

    /** {@code FallbackColumn}, if set. */
    public Optional<String> fallback() {
        return fallbackColumn.isEmpty() ? Optional.empty() : Optional.of(fallbackColumn);
    }

    /** Whether {@code FullTableCopies} lists source table {@code t}. */
    public boolean isFullTableCopy(TableId t) {
        return fullTableCopies.getOrDefault(t.database(), List.of()).contains(t.table());
    }

    /** Empty when nothing is configured; else e.g. {@code per table: a.t->c; fallback column: uid}. */
    String describe() {
        var parts = new ArrayList<String>();
        if (!perTable.isEmpty()) {
            parts.add("per table: " + perTable.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .flatMap(db -> db.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(t -> db.getKey() + "." + t.getKey() + "->" + t.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        fallback().ifPresent(c -> parts.add("fallback column: " + c));
        if (!fullTableCopies.isEmpty()) {
            parts.add("full-table copies: " + fullTableCopies.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .flatMap(db -> db.getValue().stream().map(t -> db.getKey() + "." + t))
                    .collect(Collectors.joining(", ")));
        }
        return String.join("; ", parts);
    }
}

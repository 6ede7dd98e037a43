package io.ferry.copy.internal.schema;

import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Foreign keys whose ON DELETE / ON UPDATE action changes child rows (CASCADE, SET NULL, SET DEFAULT). The source
 * does not log those child changes in its binlog, so ferry lets the target's own keys make them, and must treat a
 * change to a parent as a change to all its (transitive) children when it serializes against the row copy.
 *
 * @param children each selected parent table with every selected table its actions reach, transitively
 */
public record CascadingForeignKeys(Map<TableId, Set<TableId>> children) {
    private static final Logger LOG = LoggerFactory.getLogger(CascadingForeignKeys.class);
    public static final CascadingForeignKeys NONE = new CascadingForeignKeys(Map.of());

    public CascadingForeignKeys {
        children = Map.copyOf(children);
    }

    public Set<TableId> parents() {
        return children.keySet();
    }

    /**
     * The tables whose copy must complete before {@code table}'s starts: every table whose cascading keys reach it.
     * The target's keys can only repeat a cascade for a parent row that is on the target, so parents go first.
     */
    public Set<TableId> parentsOf(TableId table) {
        Set<TableId> out = new LinkedHashSet<>();
        children.forEach((parent, reached) -> {
            if (reached.contains(table) && !parent.equals(table)) {
                out.add(parent);
            }
        });
        return out;
    }

    /**
     * The tables each table's copy waits for: its {@link #parentsOf parents}, except where two tables cascade into
     * each other (a cycle of cascading keys, as Sakila's {@code store} and {@code staff}). There the one later in
     * {@code order} waits for the earlier one only, so no cycle of waits can form; each dropped wait is logged.
     */
    public Map<TableId, Set<TableId>> copyWaits(List<TableId> order) {
        Map<TableId, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
        Map<TableId, Set<TableId>> waits = new LinkedHashMap<>();
        for (TableId table : order) {
            Set<TableId> parents = parentsOf(table);
            for (TableId parent : List.copyOf(parents)) {
                boolean mutual = children.getOrDefault(table, Set.of()).contains(parent);
                if (mutual && rank.getOrDefault(parent, Integer.MAX_VALUE) > rank.get(table)) {
                    parents.remove(parent);
                    LOG.warn("{} and {} cascade into each other through their foreign keys; {} is copied first, so"
                            + " if a key of {} changes before its copy completes, the cascade to {} rows copied already"
                            + " is not repeated on the target (the binlog does not carry it); if that can happen,"
                            + " compare the tables afterwards with the Iterative verifier or ferry verify",
                            table, parent, table, parent, table);
                }
            }
            waits.put(table, parents);
        }
        return waits;
    }

    /** {@code tables} plus every table their cascading keys reach. */
    public Set<TableId> withChildren(Collection<TableId> tables) {
        Set<TableId> out = new LinkedHashSet<>(tables);
        for (TableId t : tables) {
            out.addAll(children.getOrDefault(t, Set.of()));
        }
        return out;
    }

    public static CascadingForeignKeys load(Connection source, Set<TableId> selected) throws SQLException {
        Map<TableId, Set<TableId>> direct = new HashMap<>();
        Set<String> databases = new LinkedHashSet<>();
        selected.forEach(t -> databases.add(t.database()));
        for (String db : databases) {
            try (PreparedStatement ps = source.prepareStatement("""
                    SELECT TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME
                    FROM information_schema.REFERENTIAL_CONSTRAINTS
                    WHERE CONSTRAINT_SCHEMA = ?
                      AND (DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT')
                           OR UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))""")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableId child = new TableId(db, rs.getString(1));
                        TableId parent = new TableId(rs.getString(2), rs.getString(3));
                        if (selected.contains(child) && selected.contains(parent)) {
                            direct.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(child);
                        }
                    }
                }
            }
        }
        Map<TableId, Set<TableId>> closure = new HashMap<>();
        for (TableId parent : direct.keySet()) {
            Set<TableId> reached = new LinkedHashSet<>();
            var todo = new ArrayDeque<>(direct.get(parent));
            while (!todo.isEmpty()) {
                TableId next = todo.poll();
                if (reached.add(next)) {
                    todo.addAll(direct.getOrDefault(next, Set.of()));
                }
            }
            closure.put(parent, reached);
        }
        return new CascadingForeignKeys(closure);
    }
}

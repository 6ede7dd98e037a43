package io.ferry.copy.internal;

import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Foreign keys whose ON DELETE / ON UPDATE action changes child rows (CASCADE, SET NULL, SET DEFAULT). The source
 * does not log those child changes in its binlog, so ferry lets the target's own keys make them, and must treat a
 * change to a parent as a change to all its (transitive) children when it serializes against the row copy.
 *
 * @param children each selected parent table with every selected table its actions reach, transitively
 */
public record CascadingForeignKeys(Map<TableId, Set<TableId>> children) {
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

package io.ferry.copy.internal.schema;

import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which target tables are created (and copied): the tables named first by the operator, then the rest
 * in dependency order, referenced tables before referencing ones. A cycle of foreign keys (Sakila's {@code store} and
 * {@code staff}) is broken at the first table of the cycle in input order, and the edge is logged: ferry's target
 * sessions run with foreign key checks off, so a key may name a table created after it.
 */
final class CreationOrder {
    private static final Logger LOG = LoggerFactory.getLogger(CreationOrder.class);

    private CreationOrder() {
    }

    /** Each selected table with the selected tables its foreign keys reference (self-references left out). */
    static Map<TableId, Set<TableId>> references(Connection source, Collection<TableId> tables) throws SQLException {
        Map<TableId, Set<TableId>> refs = new LinkedHashMap<>();
        tables.forEach(t -> refs.put(t, new LinkedHashSet<>()));
        Set<String> databases = new LinkedHashSet<>();
        tables.forEach(t -> databases.add(t.database()));
        for (String db : databases) {
            try (PreparedStatement ps = source.prepareStatement("""
                    SELECT TABLE_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME
                    FROM information_schema.KEY_COLUMN_USAGE
                    WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL""")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableId from = new TableId(db, rs.getString(1));
                        TableId to = new TableId(rs.getString(2), rs.getString(3));
                        if (refs.containsKey(from) && refs.containsKey(to) && !from.equals(to)) {
                            refs.get(from).add(to);
                        }
                    }
                }
            }
        }
        return refs;
    }

    /**
     * Orders {@code references.keySet()}: {@code first} in the given order, then the others so that each comes
     * after every table it references. Ties keep the input order; so do the tables where cycles are broken.
     */
    static List<TableId> order(Map<TableId, Set<TableId>> references, List<TableId> first) {
        List<TableId> out = new ArrayList<>();
        Set<TableId> placed = new LinkedHashSet<>();
        for (TableId t : first) {
            if (references.containsKey(t) && placed.add(t)) {
                out.add(t);
            }
        }
        while (placed.size() < references.size()) {
            boolean progress = false;
            for (var entry : references.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue())) {
                    placed.add(entry.getKey());
                    out.add(entry.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                TableId breaker = firstInCycle(references, placed);
                List<String> pending = references.get(breaker).stream().filter(r -> !placed.contains(r))
                        .map(TableId::toString).toList();
                LOG.warn("the foreign keys of {} and {} form a cycle; creating {} first (its keys to them are created"
                        + " with foreign key checks off); name another order in TablesToBeCreatedFirst if you prefer",
                        breaker, String.join(", ", pending), breaker);
                placed.add(breaker);
                out.add(breaker);
            }
        }
        return out;
    }

    /** The first unplaced table, in input order, that lies on a cycle (the others only wait for one). */
    private static TableId firstInCycle(Map<TableId, Set<TableId>> references, Set<TableId> placed) {
        for (TableId t : references.keySet()) {
            if (!placed.contains(t) && reaches(references, placed, t, t)) {
                return t;
            }
        }
        throw new IllegalStateException("no cycle among the unplaced tables");
    }

    private static boolean reaches(Map<TableId, Set<TableId>> references, Set<TableId> placed, TableId from,
                                   TableId goal) {
        Set<TableId> seen = new HashSet<>();
        var todo = new ArrayDeque<>(references.get(from));
        while (!todo.isEmpty()) {
            TableId next = todo.poll();
            if (next.equals(goal)) {
                return true;
            }
            if (!placed.contains(next) && seen.add(next)) {
                todo.addAll(references.get(next));
            }
        }
        return false;
    }
}

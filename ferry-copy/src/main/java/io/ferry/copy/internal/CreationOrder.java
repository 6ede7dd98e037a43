package io.ferry.copy.internal;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which target tables are created so that every foreign key points at a table that already exists:
 * the tables named first by the operator, then the rest in dependency order (referenced tables before referencing
 * ones). A cycle of foreign keys cannot be ordered and is reported with the tables in it.
 */
final class CreationOrder {
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
     * after every table it references. Ties keep the input order.
     */
    static List<TableId> order(Map<TableId, Set<TableId>> references, List<TableId> first) {
        List<TableId> out = new ArrayList<>();
        Set<TableId> placed = new LinkedHashSet<>();
        for (TableId t : first) {
            if (references.containsKey(t) && placed.add(t)) {
                out.add(t);
            }
        }
        boolean progress = true;
        while (placed.size() < references.size() && progress) {
            progress = false;
            for (var entry : references.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue())) {
                    placed.add(entry.getKey());
                    out.add(entry.getKey());
                    progress = true;
                }
            }
        }
        if (placed.size() < references.size()) {
            List<String> stuck = new ArrayList<>();
            references.forEach((t, refs) -> {
                if (!placed.contains(t)) {
                    stuck.add(t + " -> " + refs.stream().filter(r -> !placed.contains(r)).map(TableId::toString).toList());
                }
            });
            throw new PreconditionFailed("the foreign keys of these tables form a cycle, so no creation order exists: "
                    + String.join("; ", stuck) + ". Name the order yourself in TablesToBeCreatedFirst (foreign key "
                    + "checks are off on ferry's target sessions, so any order works once given)");
        }
        return out;
    }
}

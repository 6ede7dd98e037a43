package io.ferry.copy;

import io.ferry.core.TableId;
import io.ferry.core.config.Partition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run will do, worked out by preflight before anything is written: the tables in creation order (foreign-key
 * order), each with its key and size estimate, and what of the source's schema the target gets written differently
 * (across engines: collations, types, defaults, options; see the README's "Compatibility"). {@code ferry copydb
 * --dry-run} prints it.
 *
 * @param tables         the tables this run copies, in target creation order (of a partitioned run: its part's)
 * @param sourceServer   the source server's version string
 * @param targetServer   the target server's version string
 * @param schemaMappings one line per mapped object, e.g. {@code shop.users.email: collation utf8mb4_0900_ai_ci ->
 *                       utf8mb4_uca1400_nopad_ai_ci (...)}; a line starting with {@code warning: } is one where
 *                       ordering, comparison or enforcement may differ where it matters
 * @param partition      the part of the move this run copies, {@link Partition#WHOLE} for all of it
 * @param parts          every part of the move when it is partitioned (the same on every worker), else empty
 * @param leftOut        the selected tables a table filter leaves out, each with its reason
 */
public record CopyPlan(List<PlannedTable> tables, String sourceServer, String targetServer,
                       List<String> schemaMappings, Partition partition, List<PlannedPart> parts,
                       Map<TableId, String> leftOut) {
    public CopyPlan {
        tables = List.copyOf(tables);
        schemaMappings = List.copyOf(schemaMappings);
        parts = List.copyOf(parts);
        leftOut = Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
    }

    /** A table of lines for people. */
    public String describe() {
        var sb = new StringBuilder();
        sb.append("source: ").append(sourceServer).append('\n');
        sb.append("target: ").append(targetServer).append('\n');
        sb.append(String.format("%-3s %-40s %-40s %-20s %s%n", "#", "source table", "target table", "key", "est. rows"));
        int i = 1;
        long total = 0;
        for (PlannedTable t : tables) {
            sb.append(String.format("%-3d %-40s %-40s %-20s %d%n", i++, t.source(), t.target(),
                    t.copiedWhole() ? "(whole table)" : String.join(",", t.keyColumns()), t.estimatedRows()));
            total += t.estimatedRows();
        }
        sb.append(tables.size()).append(" tables, about ").append(total).append(" rows\n");
        if (tables.stream().anyMatch(t -> t.selectedRows() >= 0)) {
            long selected = 0;
            sb.append("rows selected:\n");
            for (PlannedTable t : tables) {
                sb.append(String.format("  %-40s %10d of about %d: %s%n", t.source(), t.selectedRows(),
                        t.estimatedRows(), t.selection()));
                selected += Math.max(0, t.selectedRows());
            }
            sb.append("  ").append(selected).append(" rows selected in all\n");
        }
        if (!leftOut.isEmpty()) {
            sb.append("left out (").append(leftOut.size()).append("):\n");
            leftOut.forEach((t, why) -> sb.append("  ").append(t).append(": ").append(why).append('\n'));
        }
        if (!partition.isWhole()) {
            sb.append("partition ").append(partition).append(": this run copies part ").append(partition.index())
                    .append(" of the ").append(partition.count()).append(" parts (balanced by estimated bytes):\n");
            for (PlannedPart p : parts) {
                sb.append(String.format("  %s part %d: %d tables, about %d bytes: %s%n",
                        p.index() == partition.index() ? "*" : " ", p.index(), p.tables().size(), p.estimatedBytes(),
                        String.join(", ", p.tables().stream().map(Object::toString).toList())));
            }
        }
        if (!schemaMappings.isEmpty()) {
            sb.append("written differently for the target's engine (").append(schemaMappings.size()).append("):\n");
            schemaMappings.forEach(m -> sb.append("  ").append(m).append('\n'));
        }
        return sb.toString();
    }
}

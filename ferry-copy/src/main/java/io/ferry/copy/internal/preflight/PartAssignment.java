package io.ferry.copy.internal.preflight;

import io.ferry.core.TableId;
import io.ferry.core.config.Partition;
import java.util.Map;

/**
 * Which tables of a move belong to this run: every selected table of a whole run; of a partitioned run, those the
 * move's stored split gives its part. A table the split does not know (created on the source during the run)
 * belongs to part 0, so exactly one worker follows it.
 *
 * @param me    this run's part
 * @param parts the part of each selected table, as the workers agreed on it; empty for a whole run
 */
public record PartAssignment(Partition me, Map<TableId, Integer> parts) {
    public static final PartAssignment WHOLE = new PartAssignment(Partition.WHOLE, Map.of());

    public PartAssignment {
        parts = Map.copyOf(parts);
    }

    /** Whether this run copies (and applies the binlog changes of) source table {@code table}. */
    public boolean owns(TableId table) {
        return me.isWhole() || parts.getOrDefault(table, 0) == me.index();
    }
}

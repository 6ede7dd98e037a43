package io.ferry.copy.internal.preflight;

import io.ferry.core.TableId;
import io.ferry.core.config.Partition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Splits the selected tables of a move into balanced parts, one per worker: by estimated size, largest first, each
 * table to the part with the fewest bytes so far (the lowest index on a tie). Every worker computes the same split
 * from the same table list and sizes, so none needs to ask another.
 */
public final class TablePartitioner {
    private TablePartitioner() {
    }

    /** One part: its tables, largest first, and their estimated bytes. */
    public record Part(int index, List<TableId> tables, long bytes) {
        public Part {
            tables = List.copyOf(tables);
        }
    }

    /** {@code count} parts of the tables {@code bytes} sizes (negative sizes count as 0). */
    public static List<Part> split(Map<TableId, Long> bytes, int count) {
        if (count < 1 || count > Partition.MAX_COUNT) {
            throw new IllegalArgumentException("count " + count + " is outside 1.." + Partition.MAX_COUNT);
        }
        List<Map.Entry<TableId, Long>> largestFirst = new ArrayList<>(bytes.entrySet());
        largestFirst.sort(Comparator.<Map.Entry<TableId, Long>>comparingLong(e -> -Math.max(0, e.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<List<TableId>> tables = new ArrayList<>();
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            tables.add(new ArrayList<>());
        }
        for (var e : largestFirst) {
            int smallest = 0;
            for (int i = 1; i < count; i++) {
                if (sizes[i] < sizes[smallest]) {
                    smallest = i;
                }
            }
            tables.get(smallest).add(e.getKey());
            sizes[smallest] += Math.max(0, e.getValue());
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new Part(i, tables.get(i), sizes[i]));
        }
        return parts;
    }
}

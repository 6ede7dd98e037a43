package io.ferry.core.config;

import io.ferry.core.TableId;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Ghostferry's {@code DataIterationBatchSizePerTableOverride}: batch sizes per table, named in {@code TableOverride}
 * or derived from a table's average row length through {@code ControlPoints} (row bytes to batch rows): a row size
 * at a control point takes its batch size, one between two points the linear interpolation of theirs, one at or
 * below {@code MinRowSize} (at or above {@code MaxRowSize}) that point's size. A table it sizes keeps its batch
 * size for the run; {@code POST /api/config} changes the others'.
 *
 * @param controlPoints row size to batch size; holds {@code minRowSize} and {@code maxRowSize}
 * @param tableOverride source database to table to batch size
 */
public record BatchSizeOverride(int minRowSize, int maxRowSize, NavigableMap<Integer, Integer> controlPoints,
                                Map<String, Map<String, Integer>> tableOverride) {
    public BatchSizeOverride {
        controlPoints = new TreeMap<>(controlPoints);
        tableOverride = Map.copyOf(tableOverride);
        if (!controlPoints.containsKey(minRowSize) || !controlPoints.containsKey(maxRowSize)) {
            throw new IllegalArgumentException("ControlPoints must hold a batch size for MinRowSize and MaxRowSize");
        }
    }

    /** The batch size of {@code table} whose rows average {@code avgRowLength} bytes. */
    public int batchSize(TableId table, long avgRowLength) {
        Integer named = tableOverride.getOrDefault(table.database(), Map.of()).get(table.table());
        return Objects.requireNonNullElseGet(named, () -> forRowSize(avgRowLength));
    }

    /** The interpolated batch size for rows of {@code rowSize} bytes; at least 1. */
    int forRowSize(long rowSize) {
        if (rowSize <= minRowSize) {
            return controlPoints.get(minRowSize);
        }
        if (rowSize >= maxRowSize) {
            return controlPoints.get(maxRowSize);
        }
        Map.Entry<Integer, Integer> below = controlPoints.floorEntry((int) rowSize);
        Map.Entry<Integer, Integer> above = controlPoints.ceilingEntry((int) rowSize);
        if (below.getKey() == rowSize) {
            return below.getValue();
        }
        long x = rowSize;
        long x0 = below.getKey();
        long x1 = above.getKey();
        // Each term rounded down on its own, as Ghostferry computes it, so both pick the same sizes.
        long interpolated = below.getValue() * (x1 - x) / (x1 - x0) + above.getValue() * (x - x0) / (x1 - x0);
        return (int) Math.max(1, interpolated);
    }
}

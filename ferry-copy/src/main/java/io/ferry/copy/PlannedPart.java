package io.ferry.copy;

import io.ferry.core.TableId;
import java.util.List;

/**
 * One part of a move split across workers ({@code Partition}): the tables one worker copies.
 *
 * @param index          the part's number, from 0
 * @param tables         its tables, largest first
 * @param estimatedBytes the server's size estimate of those tables ({@code information_schema.TABLES.DATA_LENGTH})
 */
public record PlannedPart(int index, List<TableId> tables, long estimatedBytes) {
    public PlannedPart {
        tables = List.copyOf(tables);
    }
}

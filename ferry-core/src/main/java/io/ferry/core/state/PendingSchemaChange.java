package io.ferry.core.state;

import io.ferry.core.TableId;
import java.util.List;
import java.util.Objects;

/**
 * A replicated schema change that was about to be applied to the target when the state was saved. DDL commits on
 * its own, so it cannot share a transaction with the saved position: the run saves this mark before it executes
 * the statement and the position past it afterwards. A resumed run that finds the mark does not know whether the
 * statement ran, so it runs it again and accepts only the errors saying it is already done.
 *
 * @param position  the statement's binlog position
 * @param targetSql the statement as applied to the target (target table names)
 * @param tables    the copied tables it changes (source names), whose saved schemas it updates
 */
public record PendingSchemaChange(ResumablePosition position, String targetSql, List<TableId> tables) {
    public PendingSchemaChange {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(targetSql, "targetSql");
        tables = List.copyOf(tables);
    }
}

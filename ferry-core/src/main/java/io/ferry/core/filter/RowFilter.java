package io.ferry.core.filter;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;

/**
 * Which rows of each table a run copies, verifies and replicates (Ghostferry's {@code CopyFilter}): a
 * {@link RowSelection} the batch reads and the verifiers add to their key ranges, and a decision on every binlog row
 * change. The two must agree: a change {@link #onChange} applies must concern a row {@link #select} selects (before
 * or after the change), or the verification finds the difference.
 *
 * <p>Called from the run's threads at once; implementations must be thread-safe and quick (the binlog apply waits for
 * {@link #onChange}).
 */
public interface RowFilter {
    /** Every row of every table. */
    RowFilter ALL = new RowFilter() {
        @Override
        public RowSelection select(TableSchema table, TableId readFrom) {
            return RowSelection.ALL;
        }

        @Override
        public ChangeOutcome onChange(RowChange change) {
            return ChangeOutcome.APPLY;
        }

        @Override
        public String identity() {
            return "all rows";
        }
    };

    /**
     * The rows of {@code table} to read where it is named {@code readFrom}: the source table, or its copy on the
     * target (verifiers select the same rows on both sides; a subquery names other tables in
     * {@code readFrom.database()}).
     */
    RowSelection select(TableSchema table, TableId readFrom);

    /** What to do with one row change of a {@link CopyTiming#STREAMED} table. */
    ChangeOutcome onChange(RowChange change);

    /** When {@code table}'s rows are copied; {@link CopyTiming#STREAMED} unless the filter says otherwise. */
    default CopyTiming timing(TableSchema table) {
        return CopyTiming.STREAMED;
    }

    /**
     * What the filter selects, for the log and the resume state: a run resumes only with a filter of the same
     * identity, since the target holds the rows of that selection.
     */
    default String identity() {
        return getClass().getName();
    }
}

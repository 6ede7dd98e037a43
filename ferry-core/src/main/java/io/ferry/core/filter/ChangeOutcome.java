package io.ferry.core.filter;

import java.util.Objects;

/**
 * What a run does with one row change from the binlog ({@link RowFilter#onChange}). A change that moves a row into
 * or out of the selected rows must be answered explicitly: {@link #INSERT_AFTER} or {@link #DELETE_BEFORE}, or
 * {@link Fail}; answering {@link #APPLY} for it would leave the target without the row or with a stale one.
 */
public sealed interface ChangeOutcome {
    /** Apply the change as it is (an update conditional on the full old row). */
    ChangeOutcome APPLY = new Apply();
    /** The change does not concern the selected rows. */
    ChangeOutcome SKIP = new Skip();
    /** An update moved the row into the selected rows: insert its new image. */
    ChangeOutcome INSERT_AFTER = new InsertAfter();
    /** An update moved the row out of the selected rows: delete its old image. */
    ChangeOutcome DELETE_BEFORE = new DeleteBefore();

    /** Stops the run with {@code reason}; nothing of the change's transaction is applied. */
    static ChangeOutcome fail(String reason) {
        return new Fail(reason);
    }

    record Apply() implements ChangeOutcome {
    }

    record Skip() implements ChangeOutcome {
    }

    record InsertAfter() implements ChangeOutcome {
    }

    record DeleteBefore() implements ChangeOutcome {
    }

    /** @param reason what happened and how to go on; the run's error names the table and position besides */
    record Fail(String reason) implements ChangeOutcome {
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }
}

package io.ferry.core.verify;

import io.ferry.core.TableId;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The copy's part of inline verification: the copy adds {@link #fingerprintExpression} to its read of a batch (so the
 * source fingerprints rows exactly as read, under the copy lock) and calls {@link #check} inside the target
 * transaction that wrote the batch, before it commits. {@link #NONE} when the run has no inline verifier.
 */
public interface CopyCheck {
    CopyCheck NONE = new CopyCheck() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String fingerprintExpression(TableId table) {
            throw new IllegalStateException("no inline verification");
        }

        @Override
        public void check(Connection target, TableId table, CopiedBatch batch) {
        }
    };

    /** Whether the copy fingerprints and checks its batches. */
    boolean enabled();

    /** The SELECT expression giving a row's fingerprint on the source; read as the last column. */
    String fingerprintExpression(TableId table);

    /**
     * Checks the rows of {@code batch} (of source table {@code table}, as read) against the target inside the write
     * transaction on {@code target}; rows that differ are queued for re-verification, since a row may legitimately
     * be newer on the target (a binlog change applied before the copy's INSERT IGNORE skipped it).
     */
    void check(Connection target, TableId table, CopiedBatch batch) throws SQLException;
}

package io.ferry.core.verify;

import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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
        public void check(Connection target, TableId table, List<Row> rows, List<String> fingerprints) {
        }
    };

    /** Whether the copy fingerprints and checks its batches. */
    boolean enabled();

    /** The SELECT expression giving a row's fingerprint on the source; read as the last column. */
    String fingerprintExpression(TableId table);

    /**
     * Checks {@code rows} (of source table {@code table}, as read) against the target inside the write transaction
     * on {@code target}; rows that differ are queued for re-verification, since a row may legitimately be newer on
     * the target (a binlog change applied before the copy's INSERT IGNORE skipped it).
     *
     * @param fingerprints the source fingerprint of each row, as read with {@link #fingerprintExpression}
     */
    void check(Connection target, TableId table, List<Row> rows, List<String> fingerprints) throws SQLException;
}

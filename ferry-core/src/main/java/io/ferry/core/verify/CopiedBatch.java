package io.ferry.core.verify;

import io.ferry.core.schema.Row;
import java.util.List;

/**
 * A batch the copy wrote, as {@link CopyCheck#check} sees it.
 *
 * @param rows         the rows as read from the source
 * @param fingerprints each row's source fingerprint, read with {@link CopyCheck#fingerprintExpression}; empty when
 *                     the run has no copy check
 * @param after        the key the batch's read started after, {@code null} from the table's start
 * @param last         the batch's last key: the batch holds every source row after {@code after} up to it
 * @param descending   whether the copy walks the keys from the highest down
 */
public record CopiedBatch(List<Row> rows, List<String> fingerprints, List<byte[]> after, List<byte[]> last,
                          boolean descending) {
    public CopiedBatch {
        rows = List.copyOf(rows);
        fingerprints = List.copyOf(fingerprints);
        if (!fingerprints.isEmpty() && fingerprints.size() != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + fingerprints.size() + " fingerprints");
        }
    }
}

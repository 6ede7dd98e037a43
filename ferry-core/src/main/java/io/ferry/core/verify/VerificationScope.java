package io.ferry.core.verify;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.filter.RowFilter;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What a verifier compares: the tables, and connections to both servers (sessions set up as
 * {@link io.ferry.core.db.DataSources} does). The verifier only reads through them.
 *
 * @param rows the rows of each table that are compared, selected the same way on both sides (a target table may hold
 *             other rows, e.g. other tenants' on a shared shard)
 */
public record VerificationScope(DataSource source, DataSource target, ServerFlavor sourceFlavor,
                                ServerFlavor targetFlavor, List<VerifiedTable> tables, RowFilter rows) {
    public VerificationScope {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sourceFlavor, "sourceFlavor");
        Objects.requireNonNull(targetFlavor, "targetFlavor");
        Objects.requireNonNull(rows, "rows");
        tables = List.copyOf(tables);
    }

    /** A scope over every row of {@code tables}. */
    public VerificationScope(DataSource source, DataSource target, ServerFlavor sourceFlavor,
                             ServerFlavor targetFlavor, List<VerifiedTable> tables) {
        this(source, target, sourceFlavor, targetFlavor, tables, RowFilter.ALL);
    }
}

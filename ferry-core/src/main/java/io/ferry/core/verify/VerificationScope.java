package io.ferry.core.verify;

import io.ferry.core.db.ServerFlavor;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What a verifier compares: the tables, and connections to both servers (sessions set up as
 * {@link io.ferry.core.db.DataSources} does). The verifier only reads through them.
 */
public record VerificationScope(DataSource source, DataSource target, ServerFlavor sourceFlavor,
                                ServerFlavor targetFlavor, List<VerifiedTable> tables) {
    public VerificationScope {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sourceFlavor, "sourceFlavor");
        Objects.requireNonNull(targetFlavor, "targetFlavor");
        tables = List.copyOf(tables);
    }
}

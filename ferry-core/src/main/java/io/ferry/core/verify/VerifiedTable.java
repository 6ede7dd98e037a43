package io.ferry.core.verify;

import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.List;
import java.util.Objects;

/**
 * A table to verify.
 *
 * @param source its schema on the source
 * @param target its name on the target (after database and table rewrites)
 * @param key    the unique key rows are matched and paginated by (the copy's key in a run), most significant first;
 *               empty for a table without a usable key (a run copies it whole), which is compared as a multiset of
 *               row fingerprints
 */
public record VerifiedTable(TableSchema source, TableId target, List<ColumnSchema> key) {
    public VerifiedTable {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        key = List.copyOf(key);
    }

    public TableId id() {
        return source.id();
    }

    /** Whether rows cannot be matched by a key, only counted by fingerprint. */
    public boolean keyless() {
        return key.isEmpty();
    }
}

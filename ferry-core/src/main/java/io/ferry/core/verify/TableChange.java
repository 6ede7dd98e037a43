package io.ferry.core.verify;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import java.util.Objects;

/**
 * What a replicated schema change did to one table of the run, as a verifier must follow it: the table now has
 * another shape or name, or is gone. Told by {@link Verifier#schemaChanged} once the change is applied to the target.
 */
public sealed interface TableChange {
    /** The table's source name before the change. */
    TableId was();

    /**
     * The table exists after the change (altered, renamed, truncated, or created by it).
     *
     * @param was    its source name before the change (its name when the change created it)
     * @param schema its source schema after the change (read from the target right after the change applied, so
     *               exactly the shape the source table had at that point of the binlog), under its new source name
     * @param target its target name after the change
     */
    record Altered(TableId was, TableSchema schema, TableId target) implements TableChange {
        public Altered {
            Objects.requireNonNull(was, "was");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(target, "target");
        }

        /** Its source name after the change. */
        public TableId now() {
            return schema.id();
        }
    }

    /** The table was dropped. */
    record Dropped(TableId was) implements TableChange {
        public Dropped {
            Objects.requireNonNull(was, "was");
        }
    }
}

package io.ferry.binlog;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;

/** The schemas of the tables ferry copies, as the binlog streamer decodes their rows. */
@FunctionalInterface
public interface TableSchemas {
    /**
     * The cached schema of {@code table} if ferry copies it, or {@code null}: rows events of tables without a
     * schema are skipped without being decoded. Called on the streaming thread for every rows event; keep it cheap.
     */
    TableSchema schemaOf(TableId table);
}

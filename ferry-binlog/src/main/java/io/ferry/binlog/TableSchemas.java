package io.ferry.binlog;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;

/** The schemas of the tables ferry copies, as the binlog streamer decodes their rows. */
@FunctionalInterface
public interface TableSchemas {
    /**
     * The cached schema of {@code table} if ferry copies it, or {@code null}: rows events of tables without a
     * schema are skipped without being decoded. Called on the streaming thread for every rows event; keep it cheap.
     * It may throw a {@link io.ferry.core.FerryException} to stop the stream when rows of the table cannot be
     * decoded faithfully.
     */
    TableSchema schemaOf(TableId table);

    /**
     * Called on the streaming thread for every statement logged as text, before it is handed to the sink and
     * before any later event is decoded: a cache that follows schema changes updates itself here, so the rows
     * events after a DDL are decoded with the new schema. Called again for statements skipped on a restart.
     */
    default void statementStreamed(StatementExecuted statement) {
    }
}

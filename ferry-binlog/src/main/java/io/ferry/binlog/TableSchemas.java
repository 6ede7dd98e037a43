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
     * Called on the streaming thread for every statement logged as text right after the sink accepted it, before
     * the next event is decoded: a cache that follows schema changes updates itself here (it may wait, for example
     * until the statement was applied to the target), so the rows events after a DDL are decoded with the new schema.
     *
     * @throws InterruptedException when the streamer is stopped while it waits
     */
    default void statementStreamed(StatementExecuted statement) throws InterruptedException {
    }
}

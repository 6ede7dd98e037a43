package io.ferry.core.config;

/**
 * How a run treats schema changes on the source (the fork's {@code ReplicateSchemaChanges} and its companions).
 *
 * @param replicate                   {@code ReplicateSchemaChanges}: apply CREATE/ALTER/RENAME/DROP/TRUNCATE TABLE
 *                                    and CREATE/DROP INDEX of selected tables to the target in binlog order; when
 *                                    false, a schema change to a copied table stops the run
 * @param skipUnparseable             {@code SkipUnparseableSchemaChanges} (ferry's own key): a statement the SQL
 *                                    parser cannot read is logged and skipped instead of stopping the run
 * @param delayDataIterationUntilBinlogWriterShutdown {@code DelayDataIterationUntilBinlogWriterShutdown}: copy no
 *                                    rows; replicate the binlog until the run is stopped (a later run copies)
 * @param failOnFirstTableCopyError   {@code FailOnFirstTableCopyError}: stop every table's copy at the first table
 *                                    that fails; when false, the other tables are still copied and the first error
 *                                    is reported once all were attempted
 */
public record SchemaChangeConfig(boolean replicate, boolean skipUnparseable,
                                 boolean delayDataIterationUntilBinlogWriterShutdown, boolean failOnFirstTableCopyError) {
    /** Ghostferry's defaults: schema changes are not replicated. */
    public static final SchemaChangeConfig DEFAULT = new SchemaChangeConfig(Defaults.REPLICATE_SCHEMA_CHANGES,
            Defaults.SKIP_UNPARSEABLE_SCHEMA_CHANGES, Defaults.DELAY_DATA_ITERATION_UNTIL_BINLOG_WRITER_SHUTDOWN,
            Defaults.FAIL_ON_FIRST_TABLE_COPY_ERROR);
}

package io.ferry.core.config;

/**
 * Reads the top-level keys about schema changes and copy failures: {@code ReplicateSchemaChanges},
 * {@code SkipUnparseableSchemaChanges}, {@code DelayDataIterationUntilBinlogWriterShutdown} and
 * {@code FailOnFirstTableCopyError}.
 */
final class SchemaChangeSection {
    private SchemaChangeSection() {
    }

    static SchemaChangeConfig read(JsonSection root) {
        Boolean replicateValue = root.bool("ReplicateSchemaChanges");
        boolean replicate = orDefault(replicateValue, Defaults.REPLICATE_SCHEMA_CHANGES);
        Boolean skip = root.bool("SkipUnparseableSchemaChanges");
        boolean delay = orDefault(root.bool("DelayDataIterationUntilBinlogWriterShutdown"),
                Defaults.DELAY_DATA_ITERATION_UNTIL_BINLOG_WRITER_SHUTDOWN);
        boolean failFirst = orDefault(root.bool("FailOnFirstTableCopyError"), Defaults.FAIL_ON_FIRST_TABLE_COPY_ERROR);
        boolean replicateInvalid = replicateValue == null && root.has("ReplicateSchemaChanges");
        if (skip != null && skip && !replicate && !replicateInvalid) {
            root.problems().add("SkipUnparseableSchemaChanges", "only applies with ReplicateSchemaChanges = true;"
                    + " set ReplicateSchemaChanges or remove SkipUnparseableSchemaChanges");
        }
        return new SchemaChangeConfig(replicate, orDefault(skip, Defaults.SKIP_UNPARSEABLE_SCHEMA_CHANGES), delay, failFirst);
    }

    private static boolean orDefault(Boolean value, boolean fallback) {
        return value != null ? value : fallback;
    }
}

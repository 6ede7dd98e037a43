package io.ferry.core.control;

import io.ferry.core.ConfigException;

/**
 * The settings a run lets an operator change while it runs (Ghostferry's {@code UpdatableConfig}).
 *
 * @param dataIterationBatchSize rows per copy batch, read before each batch
 */
public record UpdatableConfig(int dataIterationBatchSize) {
    /** The largest batch size a config or an operator may set. */
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public UpdatableConfig {
        if (dataIterationBatchSize < 1 || dataIterationBatchSize > MAX_BATCH_SIZE) {
            throw new ConfigException("DataIterationBatchSize = " + dataIterationBatchSize + ": must be between 1 and "
                    + MAX_BATCH_SIZE + "; pick a batch size in that range");
        }
    }
}

package io.ferry.server.api;

/** {@code GET}/{@code POST /api/config}: Ghostferry's {@code UpdatableConfig}. */
public record UpdatableConfigJson(int dataIterationBatchSize) {
}

package io.ferry.binlog;

import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.Objects;

/**
 * The statement the server logged as text before the rows events it produced: MariaDB's {@code ANNOTATE_ROWS}
 * ({@code binlog_annotate_row_events}, on by default) and MySQL's {@code ROWS_QUERY}
 * ({@code binlog_rows_query_log_events=ON}). Streamed only by a streamer asked for them
 * ({@link BinlogStreamer#withLoggedQueries}); it belongs to the rows events that follow it up to the next one or
 * the end of the transaction.
 */
public record RowsQueryLogged(String query, ResumablePosition position, Instant timestamp) implements BinlogEvent {
    public RowsQueryLogged {
        Objects.requireNonNull(query, "query");
    }
}

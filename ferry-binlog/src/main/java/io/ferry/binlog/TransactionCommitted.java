package io.ferry.binlog;

import io.ferry.core.state.ResumablePosition;
import java.time.Instant;

/** The end of a source transaction (XID, or COMMIT for non-transactional engines): a safe resume point. */
public record TransactionCommitted(ResumablePosition position, Instant timestamp) implements BinlogEvent {
}

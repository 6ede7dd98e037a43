package io.ferry.binlog;

import io.ferry.core.state.ResumablePosition;
import java.time.Instant;

/**
 * A statement logged as text (a QUERY event) other than the BEGIN/COMMIT that frame row events: DDL, or DML
 * logged in statement format, which ferry cannot replay safely.
 *
 * @param database the default database the statement ran in ({@code USE db}), or "" for none
 * @param sql      the statement text
 */
public record StatementExecuted(String database, String sql, ResumablePosition position, Instant timestamp)
        implements BinlogEvent {
}

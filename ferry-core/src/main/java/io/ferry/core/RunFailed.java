package io.ferry.core;

/**
 * A run stopped on an error it cannot recover from: a database error after its retries, an unsupported binlog
 * event, or a stop requested while the run could not continue. The message names where (table, key range, binlog
 * position) and what happened.
 */
public final class RunFailed extends FerryException {
    public RunFailed(String message) {
        super(message);
    }

    public RunFailed(String message, Throwable cause) {
        super(message, cause);
    }
}

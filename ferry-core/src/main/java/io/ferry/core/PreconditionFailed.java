package io.ferry.core;

/**
 * A server, table or privilege does not meet what ferry needs, found before anything was written (or, for
 * conditions that arise later such as a purged binlog, before anything wrong was written). The message states
 * the fact, the requirement and the fix.
 */
public final class PreconditionFailed extends FerryException {
    public PreconditionFailed(String message) {
        super(message);
    }

    public PreconditionFailed(String message, Throwable cause) {
        super(message, cause);
    }
}

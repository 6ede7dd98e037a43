package io.ferry.core;

/** The cutover could not be completed (a callback failed after its retries, or the stop position was not reached). */
public final class CutoverFailed extends FerryException {
    public CutoverFailed(String message) {
        super(message);
    }

    public CutoverFailed(String message, Throwable cause) {
        super(message, cause);
    }
}

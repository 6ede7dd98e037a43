package io.ferry.core;

/** Verification found that the target does not match the source. */
public final class DataMismatch extends FerryException {
    public DataMismatch(String message) {
        super(message);
    }
}

package io.ferry.core;

/**
 * The root of every error ferry reports. Subclasses are named for what the operator has to do about it:
 * fix the configuration, fix the servers, retry, or look at the data.
 */
public abstract sealed class FerryException extends RuntimeException
        permits ConfigException, PreconditionFailed, DataMismatch, CutoverFailed, RunFailed {

    protected FerryException(String message) {
        super(message);
    }

    protected FerryException(String message, Throwable cause) {
        super(message, cause);
    }
}

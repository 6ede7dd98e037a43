package io.ferry.core.control;

/**
 * What the run's verifier is doing, with Ghostferry's meaning.
 *
 * @param supported  the run has a verifier that can be started on request
 * @param available  it can be started now
 * @param started    a verification was started
 * @param done       it finished
 * @param correct    its verdict once done, otherwise {@code null}
 * @param message    what it found, or an error; "" when there is nothing to say
 */
public record VerifierStatus(boolean supported, boolean available, boolean started, boolean done, Boolean correct,
                             String message) {
    /** No verifier in this run. */
    public static final VerifierStatus NONE = new VerifierStatus(false, false, false, false, null, "");
}

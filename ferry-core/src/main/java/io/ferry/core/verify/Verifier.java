package io.ferry.core.verify;

/**
 * Checks that the target holds the source's data. The run calls {@link #verifyBeforeCutover} while the source is
 * still written (to shrink the work left for the cutover) and {@link #verifyDuringCutover} once writes stopped and
 * the binlog is fully applied; the result of the latter decides whether the run succeeds.
 */
public interface Verifier {
    /** Work that can be done while the source is still written; may be a no-op. */
    void verifyBeforeCutover() throws Exception;

    /** The final, authoritative comparison, with source writes stopped and the binlog fully applied. */
    VerificationResult verifyDuringCutover() throws Exception;
}

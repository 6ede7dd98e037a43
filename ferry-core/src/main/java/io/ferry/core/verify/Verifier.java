package io.ferry.core.verify;

import io.ferry.core.TableId;
import io.ferry.core.control.VerifierStatus;
import java.util.List;
import java.util.Set;

/**
 * Checks that the target holds the source's data (Ghostferry's {@code Verifier}). A run calls {@link #prepare} once
 * its tables and connections are known, {@link #verifyBeforeCutover} once the copy is done while the source is still
 * written (to shrink the work left for the cutover), and {@link #verifyDuringCutover} once writes stopped and the
 * binlog is fully applied; the result of the latter decides whether the run succeeds. An operator may also start a
 * verification at any time with {@link #startInBackground} (the control server's {@code /api/verify}) and follow it
 * through {@link #status}. When the run replicates schema changes it tells the verifier of each one with
 * {@link #schemaChanged}, so comparisons follow the tables' current shapes and names.
 */
public interface Verifier {
    /** Binds the verifier to the tables and servers it compares; called once, before anything else. */
    void prepare(VerificationScope scope) throws Exception;

    /** Work that can be done while the source is still written; may be a no-op. */
    void verifyBeforeCutover() throws Exception;

    /** The final, authoritative comparison, with source writes stopped and the binlog fully applied. */
    VerificationResult verifyDuringCutover() throws Exception;

    /**
     * Starts {@link #verifyDuringCutover} on a background thread; its outcome shows in {@link #status}.
     *
     * @throws IllegalStateException when the verifier is not prepared yet or a verification is running
     */
    void startInBackground();

    /** Waits until a verification started with {@link #startInBackground} finished (at once if none runs). */
    void awaitBackground() throws InterruptedException;

    /** Whether a verification can be started, whether one ran, and its verdict (Ghostferry's {@code Result}). */
    VerifierStatus status();

    /** The binlog listener the run must feed; {@link ChangedRows#NONE} when the verifier needs none. */
    /** The verifier's name in logs and the run's closing line ("Inline", "Iterative", ...). */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.endsWith("Verifier") && simple.length() > "Verifier".length()
                ? simple.substring(0, simple.length() - "Verifier".length()) : simple;
    }

    default ChangedRows changedRows() {
        return ChangedRows.NONE;
    }

    /** The copy's inline check; {@link CopyCheck#NONE} unless this is an inline verifier. */
    default CopyCheck copyCheck() {
        return CopyCheck.NONE;
    }

    /**
     * Told on the binlog applier's thread right after a schema change was applied to the target, before any row
     * change after it, with every table of the run the statement named (several for a multi-table rename, in
     * statement order). A verifier compares altered tables under their new shapes and names from then on and stops
     * comparing dropped ones; a table it does not know yet (created during the run) it may start comparing.
     * Must be quick: the binlog apply waits for it.
     */
    default void schemaChanged(List<TableChange> changes) {
    }

    /**
     * Told under the cutover lock, before {@link #verifyDuringCutover}, that {@code tables} were copied again or for
     * the first time (a selective copy's tables copied at cutover, {@link io.ferry.core.filter.CopyTiming}): their rows
     * changed where the binlog the verifier follows does not tell, so the cutover comparison compares them whole.
     */
    default void tablesCopiedAtCutover(Set<TableId> tables) {
    }

    /** The reverify store a resumed run saves and restores; {@link ReverifyState#NONE} when there is none. */
    default ReverifyState reverifyState() {
        return ReverifyState.NONE;
    }
}

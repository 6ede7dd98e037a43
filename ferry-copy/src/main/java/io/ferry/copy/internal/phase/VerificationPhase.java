package io.ferry.copy.internal.phase;

import io.ferry.core.control.RunPhase;
import java.util.Optional;

/**
 * Step 6: the verifier's work while the source is still written (the Iterative verifier's pass over every table,
 * the Inline verifier's reverification). The final comparison runs during the cutover, under the source's lock.
 */
public final class VerificationPhase implements Phase {
    private final RunParts parts;

    public VerificationPhase(RunParts parts) {
        this.parts = parts;
    }

    @Override
    public String name() {
        return "verification";
    }

    @Override
    public RunPhase status() {
        return RunPhase.VERIFY_BEFORE_CUTOVER;
    }

    @Override
    public Optional<String> skipped() {
        return parts.verification().enabled() ? Optional.empty() : Optional.of("no verifier (VerifierType NoVerification)");
    }

    @Override
    public void run() throws InterruptedException {
        parts.verification().beforeCutover();
    }
}

package io.ferry.verify;

import io.ferry.core.config.VerificationConfig;
import io.ferry.core.verify.Verifier;
import java.util.Optional;

/** Builds the verifier a configuration asks for. */
public final class Verifiers {
    private Verifiers() {
    }

    /** The configured verifier, or empty for {@code NoVerification}. */
    public static Optional<Verifier> create(VerificationConfig config) {
        return switch (config.type()) {
            case CHECKSUM_TABLE -> Optional.of(new ChecksumTableVerifier(config.iterative().concurrency()));
            case ITERATIVE -> Optional.of(new IterativeVerifier(config));
            case INLINE -> Optional.of(new InlineVerifier(config));
            case NO_VERIFICATION -> Optional.empty();
        };
    }
}

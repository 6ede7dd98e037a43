package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.PreconditionFailed;
import io.ferry.testing.TestPair;
import org.junit.jupiter.api.function.Executable;

/**
 * The ChecksumTable verifier across engines: ferry refuses it up front (each engine checksums its own row format and
 * types are mapped), so a test of it asserts that refusal there and its own expectations on same-engine pairs.
 */
final class ChecksumAcrossEngines {
    private ChecksumAcrossEngines() {
    }

    /** Whether {@code verifier} is refused on this pair; when it is, asserts that {@code run} fails saying so. */
    static boolean refused(TestPair pair, String verifier, Executable run) {
        if (!verifier.equals("ChecksumTable") || pair.source().info().isMariaDb() == pair.target().info().isMariaDb()) {
            return false;
        }
        var e = assertThrows(PreconditionFailed.class, run);
        assertTrue(e.getMessage().startsWith("\"VerifierType\": \"ChecksumTable\" cannot verify a copy from")
                && e.getMessage().contains("Use \"VerifierType\": \"Iterative\" or \"Inline\""), e.getMessage());
        return true;
    }
}

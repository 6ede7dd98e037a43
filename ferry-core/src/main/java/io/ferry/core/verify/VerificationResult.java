package io.ferry.core.verify;

import java.util.List;

/**
 * The outcome of a verification.
 *
 * @param dataCorrect     true when no difference was found
 * @param message         what differs, table by table and key by key; empty when correct
 * @param incorrectTables {@code db.table} names that differ
 */
public record VerificationResult(boolean dataCorrect, String message, List<String> incorrectTables) {
    public VerificationResult {
        incorrectTables = List.copyOf(incorrectTables);
    }

    public static VerificationResult correct() {
        return new VerificationResult(true, "", List.of());
    }
}

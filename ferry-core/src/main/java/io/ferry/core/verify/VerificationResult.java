package io.ferry.core.verify;

import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a verification.
 *
 * @param dataCorrect     true when no difference was found
 * @param message         what differs, table by table and key by key; empty when correct
 * @param incorrectTables {@code db.table} names that differ
 * @param mismatches      every difference found, in table order
 */
public record VerificationResult(boolean dataCorrect, String message, List<String> incorrectTables,
                                 List<Mismatch> mismatches) {
    public VerificationResult {
        incorrectTables = List.copyOf(incorrectTables);
        mismatches = List.copyOf(mismatches);
    }

    public VerificationResult(boolean dataCorrect, String message, List<String> incorrectTables) {
        this(dataCorrect, message, incorrectTables, List.of());
    }

    public static VerificationResult correct() {
        return new VerificationResult(true, "", List.of(), List.of());
    }

    /**
     * The result for {@code mismatches}, correct when there are none. The message lists each table once with its
     * differences, as Ghostferry words it: {@code <prefix>: db.t [PKs: 42 (type: rows checksum difference, source:
     * <md5>, target: <md5>) ] }.
     *
     * @param prefix e.g. {@code cutover verification failed for}
     */
    public static VerificationResult of(String prefix, List<Mismatch> mismatches) {
        if (mismatches.isEmpty()) {
            return correct();
        }
        Map<TableId, List<Mismatch>> byTable = new LinkedHashMap<>();
        for (Mismatch m : mismatches) {
            byTable.computeIfAbsent(m.table(), t -> new ArrayList<>()).add(m);
        }
        var sb = new StringBuilder(prefix).append(": ");
        for (var e : byTable.entrySet()) {
            sb.append(e.getKey()).append(" [");
            boolean keyed = e.getValue().stream().anyMatch(m -> !m.key().isEmpty());
            if (keyed) {
                sb.append("PKs: ");
            }
            for (Mismatch m : e.getValue()) {
                sb.append(m.describe()).append(' ');
            }
            sb.append("] ");
        }
        return new VerificationResult(false, sb.toString(), byTable.keySet().stream().map(TableId::toString).toList(),
                mismatches);
    }
}

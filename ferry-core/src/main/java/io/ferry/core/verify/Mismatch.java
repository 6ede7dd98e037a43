package io.ferry.core.verify;

import io.ferry.core.TableId;
import java.util.List;
import java.util.Objects;

/**
 * One difference found by a verifier.
 *
 * @param table             the source table
 * @param key               the row's key as people read it ({@code 42}, {@code (a, 7)}, {@code 0x00ff}); "" for a
 *                          whole-table difference and for rows of a table without a key
 * @param kind              what differs
 * @param sourceFingerprint the source's fingerprint (row MD5, column MD5 or table checksum; for the
 *                          {@code ROWS_*} kinds the row MD5 and how many rows have it, {@code <md5> x2}); "" when
 *                          absent
 * @param targetFingerprint the target's; "" when absent
 * @param columns           the columns whose values differ, when known
 */
public record Mismatch(TableId table, String key, Kind kind, String sourceFingerprint, String targetFingerprint,
                       List<String> columns) {
    public Mismatch {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
    }

    /** The kinds of difference, named as Ghostferry names them. */
    public enum Kind {
        MISSING_ON_SOURCE("row missing on source"),
        MISSING_ON_TARGET("row missing on target"),
        CHECKSUM_DIFFERENCE("rows checksum difference"),
        COLUMN_DIFFERENCE("column value difference"),
        TABLE_CHECKSUM_DIFFERENCE("table checksum difference"),
        TABLE_MISSING_ON_TARGET("table missing on target"),
        /** A table without a key has fewer rows with this fingerprint on the target than on the source. */
        ROWS_MISSING_ON_TARGET("rows missing on target"),
        /** A table without a key has more rows with this fingerprint on the target than on the source. */
        ROWS_MISSING_ON_SOURCE("rows missing on source");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** {@code 42 (type: rows checksum difference, source: <md5>, target: <md5>, columns: a, b)}. */
    public String describe() {
        var sb = new StringBuilder();
        if (!key.isEmpty()) {
            sb.append(key).append(' ');
        }
        sb.append("(type: ").append(kind.text());
        if (!sourceFingerprint.isEmpty() || !targetFingerprint.isEmpty()) {
            sb.append(", source: ").append(sourceFingerprint.isEmpty() ? "-" : sourceFingerprint)
                    .append(", target: ").append(targetFingerprint.isEmpty() ? "-" : targetFingerprint);
        }
        if (!columns.isEmpty()) {
            sb.append(columns.size() == 1 ? ", column: " : ", columns: ").append(String.join(", ", columns));
        }
        return sb.append(')').toString();
    }
}

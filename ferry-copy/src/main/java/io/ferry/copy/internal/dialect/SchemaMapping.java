package io.ferry.copy.internal.dialect;

/**
 * One thing of the source schema written differently for the target, e.g. the collation of
 * {@code shop.users.email} from {@code utf8mb4_0900_ai_ci} to {@code utf8mb4_uca1400_nopad_ai_ci}.
 *
 * @param object   {@code db}, {@code db.table} or {@code db.table.column}
 * @param what     what was mapped: {@code collation}, {@code character set}, {@code type}, {@code default},
 *                 {@code attribute}, {@code option}, {@code constraint}
 * @param from     as the source has it
 * @param to       as the target gets it ({@code (none)} when dropped)
 * @param note     what differs or why, empty when nothing does
 * @param warning  ordering, comparison or enforcement may differ where it matters (a key column, a constraint)
 */
public record SchemaMapping(String object, String what, String from, String to, String note, boolean warning) {
    @Override
    public String toString() {
        return object + ": " + what + " " + from + " -> " + to + (note.isEmpty() ? "" : " (" + note + ")");
    }
}

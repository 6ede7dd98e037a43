package io.ferry.core.state;

/**
 * The saved progress of one key range of a table copy. A table copied as one range has one; a table split into
 * ranges copied in parallel has one per range, in key order.
 *
 * @param after      the range starts after this key; {@code null} for the start of the table
 * @param upTo       the range ends at this key, inclusive; {@code null} when unknown (the table's current last key
 *                   is read again on resume)
 * @param lastCopied the last key of the range committed to the target; {@code null} when no batch was
 * @param done       the whole range is on the target
 */
public record RangeState(PaginationKey after, PaginationKey upTo, PaginationKey lastCopied, boolean done) {

    /** Where the copy of this range continues: after the last copied key, else after the range's start. */
    public PaginationKey resumeAfter() {
        return lastCopied != null ? lastCopied : after;
    }
}

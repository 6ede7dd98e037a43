package io.ferry.core.keyset;

import java.util.List;

/**
 * The keys strictly after {@code after} and up to and including {@code upTo}, walked in ascending key order or, when
 * {@code descending}, from high to low (then "after" means below and "up to" means down to). A {@code null} end is
 * open. The bound is inclusive so that a copy ends on the last key that existed when it started.
 */
public record KeyRange(List<byte[]> after, List<byte[]> upTo, boolean descending) {

    /** Every key, ascending. */
    public static final KeyRange ALL = new KeyRange(null, null, false);

    /** The keys after {@code after} (from the first when {@code null}), ascending, without a bound. */
    public static KeyRange after(List<byte[]> after) {
        return new KeyRange(after, null, false);
    }

    /** This range, ending at {@code bound} inclusive. */
    public KeyRange upTo(List<byte[]> bound) {
        return new KeyRange(after, bound, descending);
    }
}

package io.ferry.copy.internal.rowcopy;

import io.ferry.core.TableId;

/** Ends a table's copy early because a schema change of the table is applied; never leaves the copy package. */
final class CopyCancelled extends RuntimeException {
    CopyCancelled(TableId table) {
        super("the copy of " + table + " was cancelled for a schema change", null, false, false);
    }
}

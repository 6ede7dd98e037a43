/**
 * The row copy: keyset-paginated and whole-table copiers, their locking and snapshots, batches, checkpoints and
 * scheduling.
 */
package io.ferry.copy.internal.rowcopy;

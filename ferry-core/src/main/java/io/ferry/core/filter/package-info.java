/**
 * Selective copies: which tables of the selected databases take part in a run ({@link TableFilter}) and which of
 * their rows ({@link RowFilter}), Ghostferry's {@code TableFilter} and {@code CopyFilter}. A run reads, verifies and
 * replicates only the selected rows; {@link CopySubset} carries both filters into a {@code Ferry}.
 */
package io.ferry.core.filter;

/**
 * Step 1's checks: servers, binlog settings, tables, keys, sizes and same-server refusal, before anything is
 * written.
 */
package io.ferry.copy.internal.preflight;

/**
 * Binlog streaming and apply during a run: the streamer/applier threads, barriers for whole-table copies, apply
 * hooks.
 */
package io.ferry.copy.internal.replication;

/** What runs alongside a run: status snapshots, metrics, progress and error callbacks, throttlers and pauses. */
package io.ferry.copy.internal.operations;

/** The cutover's verification, its lock and unlock callbacks, and where the workers of a partitioned move meet. */
package io.ferry.copy.internal.cutover;

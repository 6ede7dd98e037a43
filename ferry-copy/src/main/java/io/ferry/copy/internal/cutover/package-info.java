/** The cutover's verification and its lock and unlock callbacks. */
package io.ferry.copy.internal.cutover;

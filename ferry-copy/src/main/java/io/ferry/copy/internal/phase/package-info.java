/** The phases of a run, each a class named after its log line, and the assembly of the parts they share. */
package io.ferry.copy.internal.phase;

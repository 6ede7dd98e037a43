/** The run's resumable state: tracking, saving (file, target tables, callback, stdout) and the checks on resume. */
package io.ferry.copy.internal.state;

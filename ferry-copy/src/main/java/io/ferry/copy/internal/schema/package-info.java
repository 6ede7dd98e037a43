/** Target schema creation and order, foreign-key cascades, the schema cache and replicated schema changes. */
package io.ferry.copy.internal.schema;

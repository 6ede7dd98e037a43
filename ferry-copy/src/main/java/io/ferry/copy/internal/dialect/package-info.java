/** Cross-engine translation of definitions: DDL, collations, types, and what each engine can hold. */
package io.ferry.copy.internal.dialect;

/**
 * Moving one tenant of a multi-tenant database ({@code ferry shard}, config-compatible with ghostferry-sharding):
 * {@link TenantFilter} selects the tenant's tables and rows for a {@link io.ferry.copy.Ferry}.
 */
package io.ferry.copy.shard;

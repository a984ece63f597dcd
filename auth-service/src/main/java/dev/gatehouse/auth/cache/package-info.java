/**
 * The cache tiers: Caffeine near cache (L1), versioned Redis entries (L2), snapshot reads from PostgreSQL.
 */
package dev.gatehouse.auth.cache;

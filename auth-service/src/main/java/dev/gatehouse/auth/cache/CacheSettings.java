package dev.gatehouse.auth.cache;

import java.time.Duration;

/**
 * Settings shared by every tiered cache.
 *
 * @param maxEntries the L1 bound per kind
 * @param l1SafetyTtl the L1 time-to-live, a safety net behind invalidations
 */
public record CacheSettings(long maxEntries, Duration l1SafetyTtl) {
}

package dev.gatehouse.auth.cache;

import java.time.Duration;

/**
 * Settings of the Redis cache tier.
 *
 * @param ttl how long an entry stays in Redis
 * @param timeout how long one call may take (no retries)
 * @param retryAfter how long Redis is skipped after a failed call
 */
public record L2Settings(Duration ttl, Duration timeout, Duration retryAfter) {
}

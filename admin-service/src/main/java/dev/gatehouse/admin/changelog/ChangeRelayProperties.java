package dev.gatehouse.admin.changelog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How changes and heartbeats reach the replicas.
 *
 * @param heartbeatInterval how often the latest committed seq and the Redis epoch are published; keep it
 * well under the replicas' {@code gatehouse.auth.heartbeat-timeout}, or they fall back to polling
 * @param redisTimeout how long one Redis call of the publisher and the relay (tombstone, publish, epoch)
 * may take; there are no retries, since the change log covers what a failed call missed
 */
@ConfigurationProperties("gatehouse.admin")
record ChangeRelayProperties(@DefaultValue("1s") Duration heartbeatInterval, @DefaultValue("250ms") Duration redisTimeout) {

	ChangeRelayProperties {
		requirePositive("heartbeat-interval", heartbeatInterval);
		requirePositive("redis-timeout", redisTimeout);
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("gatehouse.admin.%s must be positive, not %s".formatted(name, value));
		}
	}

}

package dev.gatehouse.admin.config;

import java.time.Duration;

import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.config.DelayStrategy;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.ReadMode;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The namespace every Redis key, channel and stream of this cluster lives in, and how the Redis client reads
 * (from primaries on Sentinel and Cluster, see docs/redis-topologies.md).
 * <p>
 * The auth-service has the same few lines: shared-model stays free of Spring, and a shared Spring module
 * for one bean would cost more than it saves. The key scheme itself is shared ({@link RedisKeys}).
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	/** How often Redisson reads a Redis Cluster's topology (its default is 5 s). */
	private static final int CLUSTER_SCAN_MILLIS = 1000;

	/** Refuses a malformed namespace at start-up, naming it. */
	@Bean
	RedisKeys redisKeys(NamespaceProperties properties) {
		return new RedisKeys(properties.namespace());
	}

	/**
	 * Two settings of correctness, in every topology (the auth-service has the same):
	 * <ul>
	 * <li>reads go to primaries, not to replicas (Redisson's default on Sentinel and Cluster): replication is
	 * asynchronous, and the admin must read what it has just written (the epoch, the tombstone horizon, the
	 * namespace it claimed);</li>
	 * <li>a lost connection is retried at least every second, instead of Redisson's back-off of up to 10 s:
	 * the leader's epoch check must see a Redis that answers again (or a new primary) about as soon as the
	 * replicas do, to write the tombstones it missed before they read the entries those would replace; on
	 * Cluster the topology is read every second too (Redisson's default is 5 s).</li>
	 * </ul>
	 */
	@Bean
	RedissonAutoConfigurationCustomizer redisServers() {
		DelayStrategy reconnection = new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1));
		return config -> {
			if (config.isClusterConfig()) {
				config.useClusterServers()
					.setReadMode(ReadMode.MASTER)
					.setReconnectionDelay(reconnection)
					.setScanInterval(CLUSTER_SCAN_MILLIS);
			}
			else if (config.isSentinelConfig()) {
				config.useSentinelServers().setReadMode(ReadMode.MASTER).setReconnectionDelay(reconnection);
			}
			else if (config.isSingleConfig()) {
				config.useSingleServer().setReconnectionDelay(reconnection);
			}
		};
	}

	/**
	 * The cluster's Redis namespace, shared by the admin and its replicas.
	 *
	 * @param namespace the prefix of every Redis key, channel and stream ({@code GATEHOUSE_NAMESPACE}): letters,
	 * digits, {@code . _ -}, at most 64 characters
	 */
	@ConfigurationProperties("gatehouse")
	record NamespaceProperties(@DefaultValue(RedisKeys.DEFAULT_NAMESPACE) String namespace) {
	}

}

package dev.gatehouse.auth.config;

import java.time.Duration;

import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.config.BaseMasterSlaveServersConfig;
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
 * The admin-service has the same few lines: shared-model stays free of Spring, and a shared Spring module
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
	 * Sizes Redisson for what a replica asks of Redis, instead of its defaults for a busy application (32
	 * Netty threads, 16 callback threads, 24 idle connections kept open per node): requests never wait on
	 * Redis once entries are warm, so Redis traffic is the loader threads' cold loads, the async nonce writes,
	 * pub/sub and a flush a second. Each unused thread and connection costs start-up time and memory.
	 * <p>
	 * On Sentinel and Cluster the pools are per primary: a burst of cold loads may all land on one shard, so
	 * each primary gets the single server's pool. Every command goes to a primary (see
	 * {@link #redisServers}), so replicas need only the connection Redisson keeps to watch them, and the one
	 * change channel needs one subscription connection.
	 */
	@Bean
	RedissonAutoConfigurationCustomizer replicaRedisSizing(AuthProperties properties) {
		int pool = properties.loaderThreads() + 4;
		return config -> {
			config.setNettyThreads(2).setThreads(4);
			if (config.isSingleConfig()) {
				config.useSingleServer().setConnectionMinimumIdleSize(2).setConnectionPoolSize(pool);
			}
			else if (config.isClusterConfig()) {
				sizePrimaryPools(config.useClusterServers(), pool);
			}
			else if (config.isSentinelConfig()) {
				sizePrimaryPools(config.useSentinelServers(), pool);
			}
		};
	}

	/**
	 * Two settings of correctness rather than size, in every topology (the admin has the same):
	 * <ul>
	 * <li>reads go to primaries, not to replicas (Redisson's default on Sentinel and Cluster): replication is
	 * asynchronous, so a replica may still hold the value a tombstone has just replaced on its primary, and
	 * an auth replica that read it after the invalidation would cache the stale value in L1;</li>
	 * <li>a lost connection is retried at least every second, instead of Redisson's back-off of up to 10 s,
	 * so the admin's epoch check and this replica see a Redis that answers again (or a new primary) within
	 * about a second, and no replica reads it much earlier than the admin; on Cluster the topology is read
	 * every second too (Redisson's default is 5 s), so a promoted primary is used as soon.</li>
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

	private static void sizePrimaryPools(BaseMasterSlaveServersConfig<?> servers, int pool) {
		servers.setMasterConnectionMinimumIdleSize(2)
			.setMasterConnectionPoolSize(pool)
			.setSlaveConnectionMinimumIdleSize(1)
			.setSlaveConnectionPoolSize(2)
			.setSubscriptionConnectionMinimumIdleSize(1)
			.setSubscriptionConnectionPoolSize(2);
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

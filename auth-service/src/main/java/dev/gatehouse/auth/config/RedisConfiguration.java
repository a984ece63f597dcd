package dev.gatehouse.auth.config;

import dev.gatehouse.model.invalidation.RedisClientSettings;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.config.BaseMasterSlaveServersConfig;
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
 * for one bean would cost more than it saves. The key scheme and the client settings are shared
 * ({@link RedisKeys}, {@link RedisClientSettings}).
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

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

	/** The client settings the invalidation protocol depends on: reads from primaries, quick reconnection. */
	@Bean
	RedissonAutoConfigurationCustomizer redisServers() {
		return RedisClientSettings::apply;
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

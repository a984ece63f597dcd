package dev.gatehouse.admin.config;

import dev.gatehouse.model.invalidation.RedisClientSettings;
import dev.gatehouse.model.invalidation.RedisKeys;
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

	/** The client settings the invalidation protocol depends on: reads from primaries, quick reconnection. */
	@Bean
	RedissonAutoConfigurationCustomizer redisServers() {
		return RedisClientSettings::apply;
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

package dev.gatehouse.auth.config;

import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The namespace every Redis key, channel and stream of this cluster lives in.
 * <p>
 * The admin-service has the same few lines: shared-model stays free of Spring, and a shared Spring module
 * for one bean would cost more than it saves. The key scheme itself is shared ({@link RedisKeys}).
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
	 * Netty threads, 16 callback threads, 24 idle connections kept open): requests never wait on Redis once
	 * entries are warm, so Redis traffic is the loader threads' cold loads, the async nonce writes, pub/sub
	 * and a flush a second. Each unused thread and connection costs start-up time and memory.
	 */
	@Bean
	RedissonAutoConfigurationCustomizer replicaRedisSizing(AuthProperties properties) {
		return config -> {
			config.setNettyThreads(2).setThreads(4);
			if (config.isSingleConfig()) {
				config.useSingleServer()
					.setConnectionMinimumIdleSize(2)
					.setConnectionPoolSize(properties.loaderThreads() + 4);
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

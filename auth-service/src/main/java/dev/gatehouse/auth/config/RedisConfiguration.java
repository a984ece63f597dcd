package dev.gatehouse.auth.config;

import dev.gatehouse.model.invalidation.RedisKeys;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The namespace every Redis key, channel and stream of this cluster lives in.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	@Bean
	RedisKeys redisKeys(@Value("${gatehouse.namespace:gatehouse}") String namespace) {
		return new RedisKeys(namespace);
	}

}

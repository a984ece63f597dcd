package dev.gatehouse.auth.cache;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared parts of the cache tiers.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	L2Store l2Store(RedissonClient redis, RedisKeys keys, AuthProperties properties, MeterRegistry meters) {
		return new L2Store(redis, keys, properties.l2Ttl(), meters);
	}

	/** Loads block on Redis and JDBC, so they get their own threads, not the common pool. */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService cacheLoader(AuthProperties properties) {
		return Executors.newFixedThreadPool(properties.loaderThreads(), Thread.ofPlatform().name("cache-loader-", 0).daemon().factory());
	}

	@Bean
	TieredCacheFactory tieredCacheFactory(L2Store l2, ExecutorService cacheLoader, AuthProperties properties,
			MeterRegistry meters) {
		return new TieredCacheFactory(l2,
				new CacheSettings(properties.loadTimeout(), properties.maxEntries(), properties.l1SafetyTtl()),
				cacheLoader, meters);
	}

	@Bean
	CacheDirectory cacheDirectory(List<TieredCache<?, ?>> caches) {
		return new CacheDirectory(caches);
	}

}

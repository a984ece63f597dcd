package dev.gatehouse.auth.cache;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared parts of the cache tiers.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	/** Cold loads that may wait for a loader thread. */
	private static final int LOAD_QUEUE = 10_000;

	@Bean
	@ConditionalOnMissingBean
	Ticker ticker() {
		return Ticker.systemTicker();
	}

	@Bean
	CoherenceLease coherenceLease(AuthProperties properties, Ticker ticker) {
		return new CoherenceLease(properties.coherenceLease(), ticker);
	}

	@Bean
	L2Store l2Store(RedissonClient redis, RedisKeys keys, AuthProperties properties, Ticker ticker, MeterRegistry meters) {
		return new L2Store(redis, keys, new L2Settings(properties.l2Ttl(), properties.l2Timeout(), properties.l2RetryAfter()),
				ticker, meters);
	}

	/**
	 * Loads block on Redis and JDBC, so they get their own threads, not the common pool. The queue is
	 * bounded: when PostgreSQL is slow and every thread waits, further cold keys fail fast (503) instead of
	 * piling up.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService cacheLoader(AuthProperties properties) {
		return new ThreadPoolExecutor(properties.loaderThreads(), properties.loaderThreads(), 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(LOAD_QUEUE), Thread.ofPlatform().name("cache-loader-", 0).daemon().factory(),
				new ThreadPoolExecutor.AbortPolicy());
	}

	@Bean
	TieredCacheFactory tieredCacheFactory(L2Store l2, CoherenceLease lease, ExecutorService cacheLoader,
			AuthProperties properties, MeterRegistry meters) {
		return new TieredCacheFactory(l2,
				new CacheSettings(properties.maxEntries(), properties.l1SafetyTtl()), lease,
				cacheLoader, meters);
	}

	@Bean
	CacheDirectory cacheDirectory(List<TieredCache<?, ?>> caches) {
		return new CacheDirectory(caches);
	}

}

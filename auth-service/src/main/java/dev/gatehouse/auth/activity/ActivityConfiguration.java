package dev.gatehouse.auth.activity;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Flushes the {@link ActivityRecorder} every {@code gatehouse.auth.activity-flush-interval} to the
 * cluster's activity stream in Redis.
 */
@Configuration(proxyBeanMethods = false)
class ActivityConfiguration {

	/** Keep the stream bounded even if no admin consumes it. */
	private static final int STREAM_MAX_LENGTH = 10_000;

	/** One call per batch with {@code gatehouse.auth.activity-timeout} and no retries: a failed batch is dropped. */
	@Bean
	ActivityStream activityStream(RedissonClient redis, RedisKeys keys, AuthProperties properties) {
		RStream<String, String> stream = redis.getStream(PlainOptions.name(keys.activityStream())
			.codec(StringCodec.INSTANCE)
			.timeout(properties.activityTimeout())
			.retryAttempts(0));
		return event -> stream.add(StreamAddArgs.entries(event).trimNonStrict().maxLen(STREAM_MAX_LENGTH).noLimit());
	}

	@Bean
	SchedulingConfigurer activityFlushing(ActivityRecorder recorder, AuthProperties properties) {
		return tasks -> tasks.addFixedDelayTask(recorder::flush, properties.activityFlushInterval());
	}

}

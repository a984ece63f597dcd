package dev.gatehouse.auth.activity;

import dev.gatehouse.auth.config.AuthProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Flushes the {@link ActivityRecorder} every {@code gatehouse.auth.activity-flush-interval}.
 */
@Configuration(proxyBeanMethods = false)
class ActivityConfiguration {

	@Bean
	SchedulingConfigurer activityFlushing(ActivityRecorder recorder, AuthProperties properties) {
		return tasks -> tasks.addFixedDelayTask(recorder::flush, properties.activityFlushInterval());
	}

}

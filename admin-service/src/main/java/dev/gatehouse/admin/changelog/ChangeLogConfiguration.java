package dev.gatehouse.admin.changelog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Publishes the {@link ChangeRelay}'s heartbeat every {@code gatehouse.admin.heartbeat-interval}.
 */
@Configuration(proxyBeanMethods = false)
class ChangeLogConfiguration {

	@Bean
	SchedulingConfigurer heartbeats(ChangeRelay relay, ChangeRelayProperties properties) {
		return tasks -> tasks.addFixedDelayTask(relay::heartbeat, properties.heartbeatInterval());
	}

}

package dev.gatehouse.admin.lifecycle;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

/**
 * The container runtime (Docker unless {@code gatehouse.admin.lifecycle.runtime=none}) and the control loop,
 * every {@code gatehouse.admin.lifecycle.period}.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

	@Bean
	@ConditionalOnMissingBean(AppRuntime.class)
	@ConditionalOnProperty(name = "gatehouse.admin.lifecycle.runtime", havingValue = "docker", matchIfMissing = true)
	DockerAppRuntime dockerAppRuntime() {
		return new DockerAppRuntime();
	}

	/**
	 * The first run waits a period as well, so the activity the replicas reported while this admin was down
	 * (the stream's backlog) is recorded before apps are stopped as idle.
	 */
	@Bean
	SchedulingConfigurer lifecycleControlLoop(LifecycleService lifecycle, LifecycleProperties properties) {
		return tasks -> tasks.addFixedDelayTask(new FixedDelayTask(lifecycle::reconcile, properties.period(), properties.period()));
	}

}

package dev.gatehouse.admin.lifecycle;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The container runtime: Docker unless {@code gatehouse.admin.lifecycle.runtime=none}.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

	@Bean
	@ConditionalOnMissingBean(AppRuntime.class)
	@ConditionalOnProperty(name = "gatehouse.admin.lifecycle.runtime", havingValue = "docker", matchIfMissing = true)
	DockerAppRuntime dockerAppRuntime() {
		return new DockerAppRuntime();
	}

}

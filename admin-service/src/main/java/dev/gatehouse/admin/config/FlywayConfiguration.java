package dev.gatehouse.admin.config;

import java.util.Map;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the migrations the settings they need: the role the auth replicas read through.
 */
@Configuration(proxyBeanMethods = false)
class FlywayConfiguration {

	@Bean
	FlywayConfigurationCustomizer readerRolePlaceholder(AdminProperties properties) {
		return configuration -> configuration.placeholders(Map.of("reader_role", properties.readerRole()));
	}

}

package dev.gatehouse.auth;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The auth-service: a stateless forwardAuth replica.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AuthApplication {

	/**
	 * The application with its own configuration file, {@code gatehouse-auth.yaml}: the admin and the auth service
	 * can then share a class path (as in the system tests) without reading each other's settings.
	 * @return a builder to run
	 */
	public static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(AuthApplication.class).properties("spring.config.name=gatehouse-auth");
	}

	public static void main(String[] args) {
		application().run(args);
	}

}

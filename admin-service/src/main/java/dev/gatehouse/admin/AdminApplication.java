package dev.gatehouse.admin;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The admin-service: the only writer of Gatehouse's state.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AdminApplication {

	/**
	 * The application with its own configuration file, {@code gatehouse-admin.yaml}: the admin and the auth service
	 * can then share a class path (as in the system tests) without reading each other's settings.
	 * @return a builder to run
	 */
	public static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(AdminApplication.class).properties("spring.config.name=gatehouse-admin");
	}

	public static void main(String[] args) {
		application().run(args);
	}

}

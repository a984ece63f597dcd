package dev.gatehouse.auth.forwardauth;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementPropertiesTests {

	@Test
	void theSecretIsReadFromGatehouseManagementSecret() {
		assertThat(bind(Map.of("gatehouse.management.secret", "s3cret")).secret()).isEqualTo("s3cret");
	}

	@Test
	void withoutASecretEveryCallIsRefused() {
		assertThat(bind(Map.of()).secret()).isEmpty();
	}

	@Test
	void theSecretNeverShows() {
		assertThat(new ManagementProperties("s3cret")).asString().doesNotContain("s3cret");
	}

	private static ManagementProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("gatehouse.management",
				ManagementProperties.class);
	}

}

package dev.gatehouse.admin.changelog;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChangeRelayPropertiesTests {

	@Test
	void defaultsAreOneSecondAndAQuarterOfASecond() {
		assertThat(bind(Map.of())).isEqualTo(new ChangeRelayProperties(Duration.ofSeconds(1), Duration.ofMillis(250)));
	}

	@Test
	void theHeartbeatIntervalKeepsItsName() {
		assertThat(bind(Map.of("gatehouse.admin.heartbeat-interval", "200ms")).heartbeatInterval())
			.isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aZeroRedisTimeoutIsRefusedAtStartUp() {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("gatehouse.admin.redis-timeout", "0s")))
			.withRootCauseInstanceOf(IllegalArgumentException.class)
			.withStackTraceContaining("gatehouse.admin.redis-timeout must be positive");
	}

	private static ChangeRelayProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("gatehouse.admin",
				ChangeRelayProperties.class);
	}

}

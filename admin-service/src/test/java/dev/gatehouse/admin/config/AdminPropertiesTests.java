package dev.gatehouse.admin.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AdminPropertiesTests {

	private static final String TOKEN = "a-long-enough-admin-token";

	@Test
	void defaultsAreValid() {
		AdminProperties properties = properties(TOKEN, "gatehouse.localhost", "gatehouse_reader", 5, 1000, Duration.ofDays(7));
		assertThat(properties.toString()).doesNotContain(TOKEN);
	}

	@Test
	void shortTokenIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties("short", "gatehouse.localhost", "gatehouse_reader", 5, 1000, Duration.ofDays(7)))
			.withMessageContaining("GATEHOUSE_ADMIN_TOKEN");
	}

	@Test
	void readerRoleIsAPlainRoleNameSoTheMigrationCannotBeInjected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(TOKEN, "gatehouse.localhost", "x\"; drop table app; --", 5, 1000, Duration.ofDays(7)))
			.withMessageContaining("reader-role");
	}

	@Test
	void portalZoneIsAnAsciiDnsNameThatLeavesRoomForTheShortId() {
		for (String zone : new String[] { "Gatehouse.Example", "zoë.example", "a..b", "-a.example", "x".repeat(247) }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> properties(TOKEN, zone, "gatehouse_reader", 5, 1000, Duration.ofDays(7)))
				.withMessageContaining("portal-zone");
		}
	}

	@Test
	void globalPairingCeilingIsAtLeastOneClientsShare() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(TOKEN, "gatehouse.localhost", "gatehouse_reader", 50, 10, Duration.ofDays(7)))
			.withMessageContaining("pairing-attempts-total");
	}

	@Test
	void tokensAlwaysExpire() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(TOKEN, "gatehouse.localhost", "gatehouse_reader", 5, 1000, Duration.ZERO))
			.withMessageContaining("app-token-validity");
	}

	private static AdminProperties properties(String token, String zone, String readerRole, int perClient, int total,
			Duration appTokenValidity) {
		return new AdminProperties(token, zone, Duration.ofMinutes(5), Duration.ofMinutes(10), perClient, total,
				Duration.ofHours(1), appTokenValidity, Duration.ofDays(30), Duration.ofHours(1), readerRole);
	}

}

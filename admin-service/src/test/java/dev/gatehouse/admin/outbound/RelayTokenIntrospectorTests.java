package dev.gatehouse.admin.outbound;

import java.time.Duration;

import dev.gatehouse.admin.config.AdminProperties;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RelayTokenIntrospectorTests {

	private static final String ADMIN_TOKEN = "the-admin-token-0123456789";

	private static final String RELAY_TOKEN = "the-relay-token-0123456789";

	@Test
	void theRelayTokenGrantsTheRelayRoleAndNothingElse() {
		RelayTokenIntrospector introspector = introspector(RELAY_TOKEN);
		assertThat(introspector.introspect(RELAY_TOKEN).getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("ROLE_" + RelayTokenIntrospector.ROLE);
		for (String token : new String[] { ADMIN_TOKEN, RELAY_TOKEN + "x", RELAY_TOKEN.substring(1), "" }) {
			assertThatExceptionOfType(BadOpaqueTokenException.class).as(token).isThrownBy(() -> introspector.introspect(token));
		}
	}

	@Test
	void withoutATokenNothingIsLetIn() {
		RelayTokenIntrospector introspector = introspector(null);
		assertThat(introspector.enabled()).isFalse();
		for (String token : new String[] { ADMIN_TOKEN, RELAY_TOKEN, "" }) {
			assertThatExceptionOfType(BadOpaqueTokenException.class).as(token).isThrownBy(() -> introspector.introspect(token))
				.withMessageContaining("disabled");
		}
	}

	@Test
	void theAdminTokenCannotBeTheRelayToken() {
		assertThatIllegalArgumentException().isThrownBy(() -> introspector(ADMIN_TOKEN)).withMessageContaining("must differ");
	}

	private static RelayTokenIntrospector introspector(String relayToken) {
		return new RelayTokenIntrospector(new OutboundProperties(relayToken, "https://{app}.{domain}", Duration.ofSeconds(3),
				Duration.ofSeconds(30), DataSize.ofMegabytes(10)),
				new AdminProperties(ADMIN_TOKEN, "gatehouse.localhost", Duration.ofMinutes(5), Duration.ofMinutes(10), 5, 1000,
						Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofHours(1), "gatehouse_reader"));
	}

}

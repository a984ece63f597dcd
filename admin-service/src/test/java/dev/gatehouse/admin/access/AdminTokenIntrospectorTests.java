package dev.gatehouse.admin.access;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.terminal.InMemoryTerminals;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenSigner;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Who a bearer token on the admin API is: the installation's admin token, or a paired terminal's admin
 * token while the terminal exists and the token has not expired; nothing else.
 */
class AdminTokenIntrospectorTests {

	static final String ADMIN_TOKEN = "the-admin-token-0123456789";

	private final Clock clock = Clock.systemUTC();

	private final AdminProperties properties = properties(ADMIN_TOKEN);

	private final InMemoryTerminals terminals = new InMemoryTerminals(this.clock, this.properties);

	private final AdminTokenIntrospector introspector = new AdminTokenIntrospector(this.properties, this.terminals.service());

	@Test
	void theAdminTokenIsTheAdmin() {
		OAuth2AuthenticatedPrincipal admin = this.introspector.introspect(ADMIN_TOKEN);
		assertThat(admin.getName()).isEqualTo("admin");
		assertThat(admin.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_ADMIN");
	}

	@Test
	void aPairedTerminalsAdminTokenIsThatTerminal() {
		OAuth2AuthenticatedPrincipal terminal = this.introspector.introspect(this.terminals.pair("t-1").adminToken());
		assertThat(terminal.getName()).isEqualTo("terminal:t-1");
		assertThat(terminal.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_ADMIN");
	}

	@Test
	void nearMissesOfTheAdminTokenAreNobody() {
		for (String token : new String[] { ADMIN_TOKEN + "x", ADMIN_TOKEN.substring(1), ADMIN_TOKEN.toUpperCase(Locale.ROOT),
				" " + ADMIN_TOKEN, "" }) {
			assertThatExceptionOfType(BadOpaqueTokenException.class).as(token).isThrownBy(() -> this.introspector.introspect(token));
		}
	}

	@Test
	void aTerminalsAppAccessTokenIsNoAdminCredential() {
		// every app receives it in the authorization cookie
		String appToken = this.terminals.pair("t-1").appToken();
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.introspector.introspect(appToken));
	}

	@Test
	void aDeletedTerminalsAdminTokenIsNobody() {
		String adminToken = this.terminals.pair("t-1").adminToken();
		this.terminals.delete("t-1");
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.introspector.introspect(adminToken));
	}

	@Test
	void anExpiredAdminTokenIsNobody() {
		this.terminals.pair("t-1");
		Instant now = this.clock.instant();
		String expired = this.terminals.issue("t-1", TokenAudience.ADMIN, now.minus(Duration.ofHours(2)), now.minusSeconds(1));
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.introspector.introspect(expired));
	}

	@Test
	void anAdminTokenSignedWithAnotherKeyIsNobody() {
		this.terminals.pair("t-1");
		Instant now = this.clock.instant();
		String forged = new TokenSigner((ECPrivateKey) TokenSigner.generateKeyPair().getPrivate()).issue("t-1",
				TokenAudience.ADMIN, now, now.plus(Duration.ofHours(1)));
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.introspector.introspect(forged));
	}

	static AdminProperties properties(String adminToken) {
		return new AdminProperties(adminToken, "gatehouse.localhost", Duration.ofMinutes(5), Duration.ofMinutes(10), 5, 1000,
				Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofHours(1), "gatehouse_reader");
	}

}

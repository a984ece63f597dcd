package dev.gatehouse.auth.forwardauth;

import java.time.Instant;

import dev.gatehouse.model.terminal.SigningKey;
import dev.gatehouse.model.terminal.TerminalTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTests {

	private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

	private final SigningKey key = new SigningKey(new byte[32]);

	private final TokenVerifier verifier = new TokenVerifier(this.key);

	@Test
	void rememberedTokenStillExpires() {
		String token = new TerminalTokens(this.key).issue("t-1", NOW, NOW.plusSeconds(60));
		assertThat(this.verifier.terminalId(token, NOW)).contains("t-1");
		assertThat(this.verifier.terminalId(token, NOW.plusSeconds(59))).contains("t-1");
		assertThat(this.verifier.terminalId(token, NOW.plusSeconds(60))).isEmpty();
	}

	@Test
	void verifierOfAnotherKeyRefusesTokensThisOneAccepted() {
		String token = new TerminalTokens(this.key).issue("t-1", NOW, null);
		assertThat(this.verifier.terminalId(token, NOW)).contains("t-1");
		byte[] rotated = new byte[32];
		rotated[0] = 1;
		assertThat(new TokenVerifier(new SigningKey(rotated)).terminalId(token, NOW)).isEmpty();
	}

	@Test
	void invalidTokensAreRefusedEveryTime() {
		assertThat(this.verifier.terminalId("garbage", NOW)).isEmpty();
		assertThat(this.verifier.terminalId("garbage", NOW)).isEmpty();
	}

}

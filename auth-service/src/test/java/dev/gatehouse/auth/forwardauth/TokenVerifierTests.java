package dev.gatehouse.auth.forwardauth;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;

import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTests {

	private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

	private final KeyPair keys = TokenSigner.generateKeyPair();

	private final TokenSigner signer = new TokenSigner((ECPrivateKey) this.keys.getPrivate());

	private final TokenVerifier verifier = new TokenVerifier(new TokenKey(this.keys.getPublic().getEncoded()));

	@Test
	void rememberedTokenStillExpires() {
		String token = this.signer.issue("t-1", TokenAudience.APPS, NOW, NOW.plusSeconds(60));
		assertThat(this.verifier.terminalId(token, NOW)).contains("t-1");
		assertThat(this.verifier.terminalId(token, NOW.plusSeconds(59))).contains("t-1");
		assertThat(this.verifier.terminalId(token, NOW.plusSeconds(60))).isEmpty();
	}

	@Test
	void verifierOfAnotherKeyRefusesTokensThisOneAccepted() {
		String token = this.signer.issue("t-1", TokenAudience.APPS, NOW, NOW.plusSeconds(60));
		assertThat(this.verifier.terminalId(token, NOW)).contains("t-1");
		TokenKey rotated = new TokenKey(TokenSigner.generateKeyPair().getPublic().getEncoded());
		assertThat(new TokenVerifier(rotated).terminalId(token, NOW)).isEmpty();
	}

	@Test
	void adminTokensOpenNoApp() {
		String adminToken = this.signer.issue("t-1", TokenAudience.ADMIN, NOW, NOW.plusSeconds(60));
		assertThat(this.verifier.terminalId(adminToken, NOW)).isEmpty();
	}

	@Test
	void invalidTokensAreRefusedEveryTime() {
		assertThat(this.verifier.terminalId("garbage", NOW)).isEmpty();
		assertThat(this.verifier.terminalId("garbage", NOW)).isEmpty();
	}

}

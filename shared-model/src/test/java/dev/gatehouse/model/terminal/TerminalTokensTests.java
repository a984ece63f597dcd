package dev.gatehouse.model.terminal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTokensTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private final SigningKey key = new SigningKey(bytes(1));

	private final TerminalTokens tokens = new TerminalTokens(this.key);

	@Test
	void issuedTokenVerifiesToItsTerminal() {
		String token = this.tokens.issue("t-1", NOW, null);
		assertThat(this.tokens.verify(token, NOW.plus(Duration.ofDays(3650)))).contains("t-1");
	}

	@Test
	void expiredTokenIsRefused() {
		String token = this.tokens.issue("t-1", NOW, NOW.plusSeconds(60));
		assertThat(this.tokens.verify(token, NOW.plusSeconds(59))).contains("t-1");
		assertThat(this.tokens.verify(token, NOW.plusSeconds(60))).isEmpty();
	}

	@Test
	void tokenSignedWithAnotherSecretIsRefused() {
		String token = new TerminalTokens(new SigningKey(bytes(2))).issue("t-1", NOW, null);
		assertThat(this.tokens.verify(token, NOW)).isEmpty();
	}

	@Test
	void unsignedAlgNoneTokenIsRefused() {
		String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
		String payload = base64Url("{\"sub\":\"t-1\"}");
		assertThat(this.tokens.verify(header + "." + payload + ".", NOW)).isEmpty();
		assertThat(this.tokens.verify(header + "." + payload, NOW)).isEmpty();
	}

	@Test
	void otherHmacAlgorithmWithTheSameSecretIsRefused() throws Exception {
		byte[] longSecret = new byte[64];
		System.arraycopy(bytes(1), 0, longSecret, 0, 32);
		TerminalTokens sameSecret = new TerminalTokens(new SigningKey(longSecret));
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), new JWTClaimsSet.Builder().subject("t-1").build());
		jwt.sign(new MACSigner(longSecret));
		assertThat(sameSecret.verify(jwt.serialize(), NOW)).isEmpty();
	}

	@Test
	void garbageIsRefused() {
		assertThat(this.tokens.verify("not-a-jwt", NOW)).isEmpty();
		assertThat(this.tokens.verify("a.b.c", NOW)).isEmpty();
		assertThat(this.tokens.verify("", NOW)).isEmpty();
	}

	@Test
	void tokenWithoutSubjectIsRefused() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().build());
		jwt.sign(new MACSigner(bytes(1)));
		assertThat(this.tokens.verify(jwt.serialize(), NOW)).isEmpty();
	}

	@Test
	void signingKeyNeverPrintsItsSecret() {
		assertThat(this.key.toString()).doesNotContain(Base64.getEncoder().encodeToString(bytes(1)));
	}

	private static byte[] bytes(int seed) {
		byte[] secret = new byte[32];
		for (int i = 0; i < secret.length; i++) {
			secret[i] = (byte) (seed * 31 + i);
		}
		return secret;
	}

	private static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}

package dev.gatehouse.model.terminal;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TerminalTokensTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final Instant LATER = NOW.plus(Duration.ofDays(7));

	private final KeyPair keys = TokenSigner.generateKeyPair();

	private final TokenKey key = new TokenKey(this.keys.getPublic().getEncoded());

	private final TokenSigner signer = new TokenSigner((ECPrivateKey) this.keys.getPrivate());

	private final TerminalTokens apps = new TerminalTokens(this.key, TokenAudience.APPS);

	private final TerminalTokens admin = new TerminalTokens(this.key, TokenAudience.ADMIN);

	@Test
	void issuedTokenVerifiesToItsTerminalUntilItExpires() {
		String token = this.signer.issue("t-1", TokenAudience.APPS, NOW, LATER);
		assertThat(this.apps.verify(token, NOW)).contains("t-1");
		assertThat(this.apps.verify(token, LATER.minusMillis(1))).contains("t-1");
		assertThat(this.apps.verify(token, LATER)).isEmpty();
	}

	@Test
	void appTokenIsNoAdminTokenAndTheReverse() {
		String appToken = this.signer.issue("t-1", TokenAudience.APPS, NOW, LATER);
		String adminToken = this.signer.issue("t-1", TokenAudience.ADMIN, NOW, LATER);
		assertThat(this.admin.verify(appToken, NOW)).isEmpty();
		assertThat(this.apps.verify(adminToken, NOW)).isEmpty();
		assertThat(this.admin.verify(adminToken, NOW)).contains("t-1");
	}

	@Test
	void tokenSignedWithAnotherKeyIsRefused() {
		String token = new TokenSigner((ECPrivateKey) TokenSigner.generateKeyPair().getPrivate()).issue("t-1",
				TokenAudience.APPS, NOW, LATER);
		assertThat(this.apps.verify(token, NOW)).isEmpty();
	}

	@Test
	void unsignedAlgNoneTokenIsRefused() {
		String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
		String payload = base64Url("{\"sub\":\"t-1\",\"aud\":\"gatehouse:apps\",\"exp\":4102444800}");
		assertThat(this.apps.verify(header + "." + payload + ".", NOW)).isEmpty();
		assertThat(this.apps.verify(header + "." + payload, NOW)).isEmpty();
	}

	@Test
	void hmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
		// the classic confusion attack: HS256 with the (public) verification key as the MAC secret
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("t-1", TokenAudience.APPS, LATER));
		jwt.sign(new MACSigner(this.key.publicKey()));
		assertThat(this.apps.verify(jwt.serialize(), NOW)).isEmpty();
	}

	@Test
	void tokenWhoseHeaderNamesAnotherAlgorithmIsRefused() {
		String[] parts = this.signer.issue("t-1", TokenAudience.APPS, NOW, LATER).split("\\.");
		for (String algorithm : new String[] { "ES384", "ES256K", "EdDSA", "PS256", "HS256" }) {
			String forged = base64Url("{\"alg\":\"%s\",\"typ\":\"JWT\"}".formatted(algorithm)) + "." + parts[1] + "." + parts[2];
			assertThat(this.apps.verify(forged, NOW)).as(algorithm).isEmpty();
		}
	}

	@Test
	void tokenWithoutExpiryAudienceOrSubjectIsRefused() throws Exception {
		ECDSASigner ecdsa = new ECDSASigner((ECPrivateKey) this.keys.getPrivate());
		JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().subject("t-1").audience(TokenAudience.APPS.claim()).build();
		JWTClaimsSet noAudience = new JWTClaimsSet.Builder().subject("t-1").expirationTime(Date.from(LATER)).build();
		JWTClaimsSet noSubject = new JWTClaimsSet.Builder().audience(TokenAudience.APPS.claim())
			.expirationTime(Date.from(LATER))
			.build();
		for (JWTClaimsSet claims : new JWTClaimsSet[] { noExpiry, noAudience, noSubject }) {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
			jwt.sign(ecdsa);
			assertThat(this.apps.verify(jwt.serialize(), NOW)).as(claims.toString()).isEmpty();
		}
	}

	@Test
	void tamperedPayloadIsRefused() {
		String token = this.signer.issue("t-1", TokenAudience.APPS, NOW, LATER);
		String[] parts = token.split("\\.");
		String forged = parts[0] + "." + base64Url(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("t-1", "t-2")) + "." + parts[2];
		assertThat(this.apps.verify(forged, NOW)).isEmpty();
	}

	@Test
	void garbageIsRefused() {
		assertThat(this.apps.verify("not-a-jwt", NOW)).isEmpty();
		assertThat(this.apps.verify("a.b.c", NOW)).isEmpty();
		assertThat(this.apps.verify("", NOW)).isEmpty();
	}

	@Test
	void tokensAlwaysExpire() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.signer.issue("t-1", TokenAudience.APPS, NOW, NOW));
	}

	@Test
	void tokenKeyIsOnlyAnEcP256PublicKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TokenKey(new byte[32]));
		assertThatIllegalArgumentException().isThrownBy(() -> new TokenKey(this.keys.getPrivate().getEncoded()));
	}

	private static JWTClaimsSet claims(String subject, TokenAudience audience, Instant expiresAt) {
		return new JWTClaimsSet.Builder().subject(subject).audience(audience.claim()).expirationTime(Date.from(expiresAt)).build();
	}

	private static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}

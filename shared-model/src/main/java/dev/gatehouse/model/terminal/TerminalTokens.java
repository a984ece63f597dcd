package dev.gatehouse.model.terminal;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies terminal tokens for one use, with the public key only.
 * <p>
 * Verification pins everything that could be bent: the header must name ES256 (anything else,
 * {@code none} and every HMAC included, is refused before the signature is looked at), the signature
 * must verify with the P-256 key, {@code aud} must contain this verifier's audience (an app-access
 * token never passes as an admin token, nor the reverse), {@code sub} must be present and {@code exp}
 * must be set: a token without an expiry is refused.
 */
public final class TerminalTokens {

	private final ECDSAVerifier verifier;

	private final TokenAudience audience;

	/**
	 * Creates a verifier.
	 * @param key the public key tokens are signed for
	 * @param audience the only use this verifier accepts
	 */
	public TerminalTokens(TokenKey key, TokenAudience audience) {
		try {
			this.verifier = new ECDSAVerifier(key.ecPublicKey());
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("unusable token key", ex);
		}
		this.audience = audience;
	}

	/**
	 * Verifies a token.
	 * @param token the compact JWT, as sent by the client
	 * @param now the current instant
	 * @return the terminal id, or empty when the token is refused (see the class description) or expired
	 */
	public Optional<String> verify(String token, Instant now) {
		return verifySignature(token).filter(verified -> verified.validAt(now)).map(Verified::terminalId);
	}

	/**
	 * Verifies everything but the expiry: the result can be remembered and checked against the clock
	 * with {@link Verified#validAt(Instant)} on every use.
	 * @param token the compact JWT, as sent by the client
	 * @return the verified claims, or empty when the token is refused
	 */
	public Optional<Verified> verifySignature(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(this.verifier)) {
				return Optional.empty();
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			String subject = claims.getSubject();
			Date expiresAt = claims.getExpirationTime();
			List<String> audiences = claims.getAudience();
			if (subject == null || subject.isBlank() || expiresAt == null || !audiences.contains(this.audience.claim())) {
				return Optional.empty();
			}
			return Optional.of(new Verified(subject, expiresAt.toInstant()));
		}
		catch (ParseException | JOSEException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The claims of a token whose signature, algorithm and audience verified.
	 *
	 * @param terminalId the terminal the token proves
	 * @param expiresAt when it stops being valid
	 */
	public record Verified(String terminalId, Instant expiresAt) {

		/**
		 * Whether the token is still valid.
		 * @param now the current instant
		 * @return false from its expiry on
		 */
		public boolean validAt(Instant now) {
			return now.isBefore(this.expiresAt);
		}

	}

}

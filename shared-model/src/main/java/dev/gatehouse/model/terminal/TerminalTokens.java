package dev.gatehouse.model.terminal;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues and verifies terminal tokens: HS256 JWTs whose {@code sub} is the terminal id.
 * <p>
 * Verification pins the algorithm: a token whose header names anything but HS256 (including
 * {@code none}) is refused before its signature is looked at. A token without {@code exp} never
 * expires; one with {@code exp} is refused from that instant on.
 */
public final class TerminalTokens {

	private final MACSigner signer;

	private final MACVerifier verifier;

	/**
	 * Creates an issuer and verifier for one signing key.
	 * @param key the shared HS256 secret
	 */
	public TerminalTokens(SigningKey key) {
		try {
			this.signer = new MACSigner(key.secret());
			this.verifier = new MACVerifier(key.secret());
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("unusable HS256 secret", ex);
		}
	}

	/**
	 * Issues a token.
	 * @param terminalId the terminal the token proves
	 * @param issuedAt when it is issued
	 * @param expiresAt when it stops being valid, or null for never
	 * @return the compact JWT
	 */
	public String issue(String terminalId, Instant issuedAt, Instant expiresAt) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(terminalId).issueTime(Date.from(issuedAt));
		if (expiresAt != null) {
			claims.expirationTime(Date.from(expiresAt));
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
				claims.build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("could not sign a terminal token", ex);
		}
		return jwt.serialize();
	}

	/**
	 * Verifies a token.
	 * @param token the compact JWT, as sent by the client
	 * @param now the current instant
	 * @return the terminal id, or empty when the token is malformed, not HS256, wrongly signed,
	 * expired or has no subject
	 */
	public Optional<String> verify(String token, Instant now) {
		return verifySignature(token).filter(verified -> verified.validAt(now)).map(Verified::terminalId);
	}

	/**
	 * Verifies a token's algorithm, signature and subject, but not its expiry: the result can be cached
	 * and checked against the clock with {@link Verified#validAt(Instant)} on every use.
	 * @param token the compact JWT, as sent by the client
	 * @return the verified claims, or empty when the token is malformed, not HS256, wrongly signed or
	 * has no subject
	 */
	public Optional<Verified> verifySignature(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(this.verifier)) {
				return Optional.empty();
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			String subject = claims.getSubject();
			if (subject == null || subject.isBlank()) {
				return Optional.empty();
			}
			Date expiresAt = claims.getExpirationTime();
			return Optional.of(new Verified(subject, (expiresAt != null) ? expiresAt.toInstant() : null));
		}
		catch (ParseException | JOSEException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The claims of a token whose signature verified.
	 *
	 * @param terminalId the terminal the token proves
	 * @param expiresAt when it stops being valid, or null for never
	 */
	public record Verified(String terminalId, Instant expiresAt) {

		/**
		 * Whether the token is still valid.
		 * @param now the current instant
		 * @return false from its expiry on
		 */
		public boolean validAt(Instant now) {
			return this.expiresAt == null || now.isBefore(this.expiresAt);
		}

	}

}

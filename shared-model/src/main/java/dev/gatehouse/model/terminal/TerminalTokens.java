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
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(this.verifier)) {
				return Optional.empty();
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			Date expiresAt = claims.getExpirationTime();
			if (expiresAt != null && !now.isBefore(expiresAt.toInstant())) {
				return Optional.empty();
			}
			String subject = claims.getSubject();
			return (subject == null || subject.isBlank()) ? Optional.empty() : Optional.of(subject);
		}
		catch (ParseException | JOSEException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}

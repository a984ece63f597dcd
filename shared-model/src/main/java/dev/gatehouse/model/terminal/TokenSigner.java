package dev.gatehouse.model.terminal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints terminal tokens: ES256 JWTs with {@code sub} (the terminal id), {@code aud} (what the token is
 * for), {@code iat}, {@code exp} and a random {@code jti}. Only the admin-service holds the private key
 * this needs; the auth replicas verify with {@link TerminalTokens} and the public key alone.
 */
public final class TokenSigner {

	private final ECDSASigner signer;

	/**
	 * Creates a signer.
	 * @param privateKey the P-256 private key
	 */
	public TokenSigner(ECPrivateKey privateKey) {
		try {
			this.signer = new ECDSASigner(privateKey);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("a token signing key must be an EC P-256 private key", ex);
		}
	}

	/**
	 * Generates a new P-256 key pair for token signing.
	 * @return the key pair
	 */
	public static KeyPair generateKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("this JVM cannot generate EC P-256 keys", ex);
		}
	}

	/**
	 * Issues a token.
	 * @param terminalId the terminal the token proves
	 * @param audience what the token may be used for
	 * @param issuedAt when it is issued
	 * @param expiresAt when it stops being valid (every token expires)
	 * @return the compact JWT
	 */
	public String issue(String terminalId, TokenAudience audience, Instant issuedAt, Instant expiresAt) {
		Objects.requireNonNull(expiresAt, "every terminal token expires");
		if (!expiresAt.isAfter(issuedAt)) {
			throw new IllegalArgumentException("a token must expire after it is issued, not at " + expiresAt);
		}
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(terminalId)
			.audience(audience.claim())
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(expiresAt))
			.jwtID(UUID.randomUUID().toString())
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("could not sign a terminal token", ex);
		}
		return jwt.serialize();
	}

}

package dev.gatehouse.model.terminal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import com.nimbusds.jose.jwk.Curve;

/**
 * The public half of the key that signs terminal tokens: an EC P-256 key (tokens are ES256 JWTs), as
 * X.509 {@code SubjectPublicKeyInfo} DER. This is all the auth replicas and Redis ever hold: it verifies
 * tokens and cannot mint them. The private half stays in the admin's database table.
 *
 * @param publicKey the DER-encoded public key
 */
public record TokenKey(byte[] publicKey) {

	/** The only name the key is stored and cached under. */
	public static final String TERMINAL_TOKENS = "terminal-tokens";

	public TokenKey {
		publicKey = publicKey.clone();
		ecPublicKey(publicKey);
	}

	@Override
	public byte[] publicKey() {
		return this.publicKey.clone();
	}

	/**
	 * The key as a JCA key.
	 * @return the P-256 public key
	 */
	public ECPublicKey ecPublicKey() {
		return ecPublicKey(this.publicKey);
	}

	private static ECPublicKey ecPublicKey(byte[] der) {
		try {
			if (KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)) instanceof ECPublicKey key
					&& Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
				return key;
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("a token key must be an X.509-encoded EC P-256 public key", ex);
		}
		throw new IllegalArgumentException("a token key must be an X.509-encoded EC P-256 public key");
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof TokenKey key && Arrays.equals(this.publicKey, key.publicKey);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.publicKey);
	}

	@Override
	public String toString() {
		return "TokenKey[P-256, " + this.publicKey.length + " bytes]";
	}

}

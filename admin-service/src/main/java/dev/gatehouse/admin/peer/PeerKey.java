package dev.gatehouse.admin.peer;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

import dev.gatehouse.model.identity.IdentityIds;

/**
 * A peer's public key as the admin accepts it: an X.509 PEM of an Ed25519 key (Gatehouse identities) or
 * an RSA key of at least 2048 bits (the original platform's identities, which sign with RSA-PSS).
 *
 * @param pem the key in canonical PEM form
 * @param fingerprint its identity id ({@link IdentityIds}): a peer's id must be a prefix of it
 */
record PeerKey(String pem, String fingerprint) {

	private static final int MIN_RSA_BITS = 2048;

	private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";

	private static final String END = "-----END PUBLIC KEY-----";

	/**
	 * Reads a key.
	 * @param pem an X.509 {@code PUBLIC KEY} PEM
	 * @return the key, or empty when it is malformed, of another type, or an RSA key under 2048 bits
	 */
	static Optional<PeerKey> parse(String pem) {
		String text = pem.strip();
		if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
			return Optional.empty();
		}
		byte[] der;
		try {
			der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return (supported(der, "Ed25519") || supported(der, "RSA")) ? Optional.of(new PeerKey(pem(der), IdentityIds.of(der)))
				: Optional.empty();
	}

	private static boolean supported(byte[] der, String algorithm) {
		try {
			PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
			return !(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() >= MIN_RSA_BITS;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static String pem(byte[] der) {
		return BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n" + END + "\n";
	}

}

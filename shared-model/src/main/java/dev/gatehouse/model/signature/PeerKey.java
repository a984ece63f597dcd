package dev.gatehouse.model.signature;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A peer's public key, parsed once, with the one algorithm its signatures are verified with. Built when a
 * peer is registered or loaded into a cache, never per request.
 *
 * @param publicKey the key
 * @param algorithm its algorithm, which the key {@linkplain SignatureAlgorithm#fits fits}
 */
public record PeerKey(PublicKey publicKey, SignatureAlgorithm algorithm) {

	private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";

	private static final String END = "-----END PUBLIC KEY-----";

	/** Longer than any PEM of an accepted key (an 8192-bit RSA key is about 1,500 characters). */
	private static final int MAX_PEM_LENGTH = 4096;

	public PeerKey {
		Objects.requireNonNull(publicKey, "publicKey");
		Objects.requireNonNull(algorithm, "algorithm");
		if (!algorithm.fits(publicKey)) {
			throw new IllegalArgumentException("a %s key cannot verify %s signatures (RSA needs %d to %d bits)"
				.formatted(publicKey.getAlgorithm(), algorithm.id(), SignatureAlgorithm.MIN_RSA_BITS,
						SignatureAlgorithm.MAX_RSA_BITS));
		}
	}

	/**
	 * A key from its PEM, with the algorithm inferred from the key: {@code ed25519} for an Ed25519 key,
	 * {@code rsa-pss-sha512} for an RSA key, {@code ecdsa-p256-sha256} for a P-256 key.
	 * @param pem an X.509 {@code SubjectPublicKeyInfo} in PEM ({@code -----BEGIN PUBLIC KEY-----})
	 * @return the key
	 * @throws IllegalArgumentException when the PEM holds no such key
	 */
	public static PeerKey fromPem(String pem) {
		PublicKey key = parse(pem);
		SignatureAlgorithm algorithm = switch (key) {
			case EdECPublicKey edKey -> SignatureAlgorithm.ED25519;
			case RSAPublicKey rsaKey -> SignatureAlgorithm.RSA_PSS_SHA512;
			case ECPublicKey ecKey -> SignatureAlgorithm.ECDSA_P256_SHA256;
			default -> throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
		};
		return new PeerKey(key, algorithm);
	}

	/**
	 * A key from its PEM, for a given algorithm.
	 * @param pem an X.509 {@code SubjectPublicKeyInfo} in PEM
	 * @param algorithm the algorithm the peer signs with
	 * @return the key
	 * @throws IllegalArgumentException when the PEM holds no key, or one the algorithm does not fit
	 */
	public static PeerKey fromPem(String pem, SignatureAlgorithm algorithm) {
		return new PeerKey(parse(pem), algorithm);
	}

	/**
	 * The key in PEM, as {@link #fromPem} reads it.
	 * @return the {@code SubjectPublicKeyInfo} PEM
	 */
	public String pem() {
		return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(this.publicKey.getEncoded())
				+ "\n" + END + "\n";
	}

	@Override
	public String toString() {
		return "PeerKey[" + this.algorithm.id() + "]";
	}

	private static PublicKey parse(String pem) {
		Objects.requireNonNull(pem, "pem");
		if (pem.length() > MAX_PEM_LENGTH) {
			throw new IllegalArgumentException("a public key PEM is at most %d characters".formatted(MAX_PEM_LENGTH));
		}
		String trimmed = pem.strip();
		if (!trimmed.startsWith(BEGIN) || !trimmed.endsWith(END)) {
			throw new IllegalArgumentException("not a PEM public key (" + BEGIN + ")");
		}
		byte[] der;
		try {
			der = Base64.getMimeDecoder().decode(trimmed.substring(BEGIN.length(), trimmed.length() - END.length()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("a PEM public key must be base64", ex);
		}
		X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
		for (String type : new String[] { "Ed25519", "RSA", "EC" }) {
			try {
				return KeyFactory.getInstance(type).generatePublic(spec);
			}
			catch (GeneralSecurityException ex) {
				// not this type: try the next
			}
		}
		throw new IllegalArgumentException("not an Ed25519, RSA or EC SubjectPublicKeyInfo");
	}

}

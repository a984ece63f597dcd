package dev.gatehouse.model.signature;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * The RFC 9421 signature algorithms (§3.3) Gatehouse verifies, each bound to the kind of key it needs. A
 * peer key is registered with one of them, and a signature is verified with the key's algorithm only: the
 * {@code alg} parameter, when a message carries one, must name the same algorithm (it never chooses it).
 * HMAC ({@code hmac-sha256}) and {@code ecdsa-p384-sha384} are not supported.
 */
public enum SignatureAlgorithm {

	/** EdDSA over edwards25519 (§3.3.6): Gatehouse's own identities. */
	ED25519("ed25519", "Ed25519"),

	/** RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt (§3.3.1): the original platform's keys. */
	RSA_PSS_SHA512("rsa-pss-sha512", "RSASSA-PSS"),

	/** ECDSA over P-256 with SHA-256, the signature as the 64-byte {@code r || s} (§3.3.4), not DER. */
	ECDSA_P256_SHA256("ecdsa-p256-sha256", "SHA256withECDSAinP1363Format"),

	/** RSASSA-PKCS1-v1_5 with SHA-256 (§3.3.2). */
	RSA_V1_5_SHA256("rsa-v1_5-sha256", "SHA256withRSA");

	/** The smallest RSA modulus accepted, in bits. */
	public static final int MIN_RSA_BITS = 2048;

	/** The largest RSA modulus accepted, in bits: verification cost grows with it, and peers choose it. */
	public static final int MAX_RSA_BITS = 8192;

	private static final PSSParameterSpec PSS_SHA512 = new PSSParameterSpec("SHA-512", "MGF1",
			MGF1ParameterSpec.SHA512, 64, PSSParameterSpec.TRAILER_FIELD_BC);

	private static final ECParameterSpec P256 = p256();

	private static final SignatureAlgorithm[] ALL = values();

	private final String id;

	private final String jcaName;

	SignatureAlgorithm(String id, String jcaName) {
		this.id = id;
		this.jcaName = jcaName;
	}

	/**
	 * The algorithm's name in the HTTP Signature Algorithms registry, as the {@code alg} parameter carries it.
	 * @return e.g. {@code rsa-pss-sha512}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The algorithm registered under a name.
	 * @param id a name from the HTTP Signature Algorithms registry
	 * @return the algorithm, empty when Gatehouse does not support it
	 */
	public static Optional<SignatureAlgorithm> byId(String id) {
		for (SignatureAlgorithm algorithm : ALL) {
			if (algorithm.id.equals(id)) {
				return Optional.of(algorithm);
			}
		}
		return Optional.empty();
	}

	/**
	 * Whether a key (public or private) is of the kind this algorithm needs: an Ed25519 key, an RSA key of
	 * {@value #MIN_RSA_BITS} to {@value #MAX_RSA_BITS} bits, or a P-256 key.
	 * @param key the key
	 * @return whether it fits
	 */
	public boolean fits(Key key) {
		return switch (this) {
			case ED25519 -> key instanceof EdECKey edKey
					&& NamedParameterSpec.ED25519.getName().equalsIgnoreCase(edKey.getParams().getName());
			case RSA_PSS_SHA512, RSA_V1_5_SHA256 -> key instanceof RSAKey rsaKey
					&& rsaKey.getModulus().bitLength() >= MIN_RSA_BITS && rsaKey.getModulus().bitLength() <= MAX_RSA_BITS;
			case ECDSA_P256_SHA256 -> key instanceof ECKey ecKey && isP256(ecKey.getParams());
		};
	}

	/**
	 * Verifies a signature over a signature base.
	 * @param key the key, one this algorithm {@link #fits}
	 * @param base the signature base
	 * @param signature the signature
	 * @return whether the signature is valid; {@code false} too when it is malformed
	 */
	boolean verify(PublicKey key, byte[] base, byte[] signature) {
		if (signature.length != signatureLength(key)) {
			return false;
		}
		try {
			Signature verifier = newSignature();
			verifier.initVerify(key);
			verifier.update(base);
			return verifier.verify(signature);
		}
		catch (InvalidKeyException | SignatureException ex) {
			return false;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK lacks " + this.jcaName, ex);
		}
	}

	byte[] sign(PrivateKey key, byte[] base) {
		try {
			Signature signer = newSignature();
			signer.initSign(key);
			signer.update(base);
			return signer.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot sign with " + this.id, ex);
		}
	}

	/** The length of every valid signature by this key: a cheap refusal before any arithmetic. */
	int signatureLength(PublicKey key) {
		return switch (this) {
			case ED25519, ECDSA_P256_SHA256 -> 64;
			case RSA_PSS_SHA512, RSA_V1_5_SHA256 -> (((RSAKey) key).getModulus().bitLength() + 7) / 8;
		};
	}

	private Signature newSignature() throws GeneralSecurityException {
		Signature signature = Signature.getInstance(this.jcaName);
		if (this == RSA_PSS_SHA512) {
			signature.setParameter(PSS_SHA512);
		}
		return signature;
	}

	private static boolean isP256(ECParameterSpec params) {
		return params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
				&& params.getOrder().equals(P256.getOrder()) && params.getCofactor() == P256.getCofactor();
	}

	private static ECParameterSpec p256() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK lacks the P-256 curve", ex);
		}
	}

}

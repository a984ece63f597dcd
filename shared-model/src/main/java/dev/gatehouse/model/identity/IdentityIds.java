package dev.gatehouse.model.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How identity ids are derived from public keys, for Gatehouse's own identities and for peers alike: the
 * lower-case, unpadded base32 (RFC 4648) of the SHA-256 of the key's X.509 {@code SubjectPublicKeyInfo}
 * DER encoding. An id is therefore bound to its key: whoever claims an id must hold a key hashing to it.
 */
public final class IdentityIds {

	private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

	private IdentityIds() {
	}

	/**
	 * The identity id of a public key.
	 * @param subjectPublicKeyInfo the key's X.509 DER encoding
	 * @return 52 base32 characters
	 */
	public static String of(byte[] subjectPublicKeyInfo) {
		try {
			return base32(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

	private static String base32(byte[] bytes) {
		StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
		int buffer = 0;
		int bits = 0;
		for (byte b : bytes) {
			buffer = (buffer << 8) | (b & 0xff);
			bits += 8;
			while (bits >= 5) {
				out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
				bits -= 5;
			}
		}
		if (bits > 0) {
			out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
		}
		return out.toString();
	}

}

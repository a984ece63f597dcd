package dev.gatehouse.admin.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Locale;

/**
 * Key material of a new identity: an Ed25519 key pair, and the identity id derived from the public key.
 *
 * @param id lower-case base32 (RFC 4648, unpadded) of the SHA-256 of the public key's DER encoding
 * @param publicKeyPem the public key as PEM ({@code PUBLIC KEY}, X.509)
 * @param privateKeyPem the private key as PEM ({@code PRIVATE KEY}, PKCS#8)
 */
record IdentityKeys(String id, String publicKeyPem, String privateKeyPem) {

	private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

	static IdentityKeys generate() {
		try {
			KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			return new IdentityKeys(idOf(pair.getPublic()), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
					pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("this JVM cannot generate Ed25519 keys", ex);
		}
	}

	static String idOf(PublicKey key) throws GeneralSecurityException {
		return base32(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
	}

	private static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
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
		return out.toString().toLowerCase(Locale.ROOT);
	}

	/** Never shows the private key. */
	@Override
	public String toString() {
		return "IdentityKeys[id=" + this.id + "]";
	}

}

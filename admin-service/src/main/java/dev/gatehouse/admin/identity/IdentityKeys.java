package dev.gatehouse.admin.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

import dev.gatehouse.model.identity.IdentityIds;

/**
 * Key material of a new identity: an Ed25519 key pair, and the identity id derived from the public key.
 *
 * @param id the identity id of the public key ({@link IdentityIds})
 * @param publicKeyPem the public key as PEM ({@code PUBLIC KEY}, X.509)
 * @param privateKeyPem the private key as PEM ({@code PRIVATE KEY}, PKCS#8)
 */
record IdentityKeys(String id, String publicKeyPem, String privateKeyPem) {

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

	static String idOf(PublicKey key) {
		return IdentityIds.of(key.getEncoded());
	}

	private static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

	/** Never shows the private key. */
	@Override
	public String toString() {
		return "IdentityKeys[id=" + this.id + "]";
	}

}

package dev.gatehouse.model.terminal;

import java.util.Arrays;

/**
 * The HS256 secret that signs terminal tokens, generated once by the admin.
 *
 * @param secret at least 32 bytes of key material
 */
public record SigningKey(byte[] secret) {

	/** The only name the signing key is stored and cached under. */
	public static final String TERMINAL_TOKENS = "terminal-tokens";

	public SigningKey {
		if (secret == null || secret.length < 32) {
			throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
		}
		secret = secret.clone();
	}

	@Override
	public byte[] secret() {
		return this.secret.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SigningKey key && Arrays.equals(this.secret, key.secret);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.secret);
	}

	/** Never shows the secret. */
	@Override
	public String toString() {
		return "SigningKey[secret=<hidden>]";
	}

}

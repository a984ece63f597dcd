package dev.gatehouse.auth.forwardauth;

import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.model.terminal.TerminalTokens;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TerminalTokens.Verified;

/**
 * Verifies app-access terminal tokens with the token key's public half, remembering tokens whose
 * signature already verified: parsing and checking an ES256 JWT costs tens of microseconds and kilobytes
 * of garbage, a lookup costs neither. Only valid signatures are remembered, expiry is checked on every use, and a new token key
 * builds a new verifier (the L1 entry of the key is replaced), so nothing verified with an old key
 * survives it. Revocation is unaffected: the terminal itself is looked up on every request.
 */
final class TokenVerifier {

	/**
	 * Bounds the memory of remembered tokens: about 450 bytes each, most of it the token itself (the key,
	 * compared whole: nothing shorter may stand for a verified signature). Tokens of devices in use at once,
	 * which even a large installation counts in thousands; past that, a token costs one ES256 verification
	 * (about 0.3 ms) when it comes back.
	 */
	private static final long MAX_REMEMBERED = 10_000;

	private final TerminalTokens tokens;

	private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).build();

	TokenVerifier(TokenKey key) {
		this.tokens = new TerminalTokens(key, TokenAudience.APPS);
	}

	/**
	 * The terminal a token proves.
	 * @param token the compact JWT from the cookie
	 * @param now the current instant
	 * @return the terminal id, or empty for an invalid or expired token
	 */
	Optional<String> terminalId(String token, Instant now) {
		Verified claims = this.verified.getIfPresent(token);
		if (claims == null) {
			claims = this.tokens.verifySignature(token).orElse(null);
			if (claims == null) {
				return Optional.empty();
			}
			this.verified.put(token, claims);
		}
		return claims.validAt(now) ? Optional.of(claims.terminalId()) : Optional.empty();
	}

}

package dev.gatehouse.admin.terminal;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.terminal.TerminalTokens;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenKey;
import dev.gatehouse.model.terminal.TokenSigner;

/**
 * A real {@link TerminalService} whose paired terminals are kept in memory and whose token key is generated
 * here, for tests of who a bearer token is without PostgreSQL: only the two storage lookups it makes to
 * answer {@link TerminalService#adminTerminal} (does the terminal still exist, which key signs tokens) are
 * replaced; the token verification and its audience are the real ones.
 */
public final class InMemoryTerminals {

	private static final Duration VALIDITY = Duration.ofHours(1);

	private final Set<String> paired = ConcurrentHashMap.newKeySet();

	private final Clock clock;

	private final TokenSigner signer;

	private final TerminalService service;

	/**
	 * Creates an installation without terminals.
	 * @param clock the clock tokens are issued and verified with
	 * @param properties the admin's settings
	 */
	public InMemoryTerminals(Clock clock, AdminProperties properties) {
		KeyPair keys = TokenSigner.generateKeyPair();
		this.clock = clock;
		this.signer = new TokenSigner((ECPrivateKey) keys.getPrivate());
		TokenKey key = new TokenKey(keys.getPublic().getEncoded());
		this.service = new TerminalService(new PairedTerminals(this.paired), new GeneratedTokenKey(this.signer, key),
				null, clock, properties);
	}

	/**
	 * The terminal service, as the admin's introspector uses it.
	 * @return the service
	 */
	public TerminalService service() {
		return this.service;
	}

	/**
	 * Pairs a terminal.
	 * @param id its id
	 * @return its tokens, valid for an hour
	 */
	public Tokens pair(String id) {
		this.paired.add(id);
		Instant now = this.clock.instant();
		return new Tokens(this.signer.issue(id, TokenAudience.APPS, now, now.plus(VALIDITY)),
				this.signer.issue(id, TokenAudience.ADMIN, now, now.plus(VALIDITY)));
	}

	/**
	 * Deletes (revokes) a terminal; its tokens stay well-formed and signed.
	 * @param id its id
	 */
	public void delete(String id) {
		this.paired.remove(id);
	}

	/**
	 * Issues a token with the installation's key, valid or not.
	 * @param id the terminal
	 * @param audience what it is for
	 * @param issuedAt when issued
	 * @param expiresAt when it expires
	 * @return the token
	 */
	public String issue(String id, TokenAudience audience, Instant issuedAt, Instant expiresAt) {
		return this.signer.issue(id, audience, issuedAt, expiresAt);
	}

	/**
	 * A paired terminal's tokens.
	 *
	 * @param appToken the app-access token (the {@code authorization} cookie every app receives)
	 * @param adminToken the admin token (admin API only)
	 */
	public record Tokens(String appToken, String adminToken) {
	}

	/** The {@code terminal} table's existence check, over a set. */
	private static final class PairedTerminals extends TerminalRepository {

		private final Set<String> ids;

		PairedTerminals(Set<String> ids) {
			super(null);
			this.ids = ids;
		}

		@Override
		boolean exists(String id) {
			return this.ids.contains(id);
		}

	}

	/** The stored token key, generated in memory instead of loaded on start-up. */
	private static final class GeneratedTokenKey extends TokenKeyStore {

		private final TokenSigner signer;

		private final TokenKey key;

		GeneratedTokenKey(TokenSigner signer, TokenKey key) {
			super(null, null, null);
			this.signer = signer;
			this.key = key;
		}

		@Override
		TokenSigner signer() {
			return this.signer;
		}

		@Override
		TerminalTokens verifier(TokenAudience audience) {
			return new TerminalTokens(this.key, audience);
		}

	}

}

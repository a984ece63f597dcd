package dev.gatehouse.admin.terminal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.model.app.TemplateVariable;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.terminal.TokenAudience;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pairing codes, pairing, token renewal and terminal revocation.
 * <p>
 * A paired terminal holds two tokens: an app-access token, which the browser sends to every app as the
 * {@code authorization} cookie and which therefore must not administer anything, and an admin token,
 * which only the admin API accepts and which is never set as a cookie for the app zone. Both expire and
 * are renewed together.
 */
@Service
public class TerminalService {

	/** The bound header templates are sized against ({@code auth.client_name}). */
	private static final int MAX_NAME_LENGTH = TemplateVariable.AUTH_CLIENT_NAME.maxLength();

	private final SecureRandom random = new SecureRandom();

	private final TerminalRepository terminals;

	private final TokenKeyStore tokenKeys;

	private final ChangeLog changeLog;

	private final Clock clock;

	private final Duration codeValidity;

	private final Duration appTokenValidity;

	private final Duration adminTokenValidity;

	TerminalService(TerminalRepository terminals, TokenKeyStore tokenKeys, ChangeLog changeLog, Clock clock,
			AdminProperties properties) {
		this.terminals = terminals;
		this.tokenKeys = tokenKeys;
		this.changeLog = changeLog;
		this.clock = clock;
		this.codeValidity = properties.pairingCodeValidity();
		this.appTokenValidity = properties.appTokenValidity();
		this.adminTokenValidity = properties.adminTokenValidity();
	}

	/**
	 * The terminal an admin token proves, if it is valid and the terminal still exists. App-access tokens
	 * prove nothing here.
	 * @param token the compact JWT
	 * @return the terminal id, or empty
	 */
	@Transactional(readOnly = true)
	public Optional<String> adminTerminal(String token) {
		return this.tokenKeys.verifier(TokenAudience.ADMIN).verify(token, this.clock.instant()).filter(this.terminals::exists);
	}

	@Transactional
	PairingCodeView newPairingCode() {
		String code = "%06d".formatted(this.random.nextInt(1_000_000));
		Instant validUntil = this.clock.instant().plus(this.codeValidity);
		this.terminals.replacePairingCode(code, validUntil);
		return new PairingCodeView(code, validUntil);
	}

	/**
	 * Redeems the live pairing code: creates a terminal and issues its token.
	 * @return the new terminal and its token, or empty when the code is wrong, used or expired
	 */
	@Transactional
	Optional<Issued> pair(String code, String name) {
		List<String> errors = new ArrayList<>(nameViolations(name));
		if (code == null || code.isBlank()) {
			errors.add("code is required");
		}
		if (!errors.isEmpty()) {
			throw Problems.invalid(errors);
		}
		this.changeLog.lock();
		Instant now = this.clock.instant();
		Optional<TerminalRepository.PairingCode> live = this.terminals.lockPairingCode();
		if (live.isEmpty() || !now.isBefore(live.get().validUntil()) || !MessageDigest
			.isEqual(live.get().code().getBytes(StandardCharsets.UTF_8), code.getBytes(StandardCharsets.UTF_8))) {
			return Optional.empty();
		}
		this.terminals.deletePairingCode();
		String id = UUID.randomUUID().toString();
		this.terminals.insert(id, name.strip());
		// a replica may hold a negative entry for this id only in theory, but the change also orders the pairing
		this.changeLog.record(CacheKind.TERMINAL, id);
		return Optional.of(issue(this.terminals.find(id).orElseThrow(), now));
	}

	/**
	 * Issues a fresh pair of tokens for a terminal (renewal); earlier tokens stay valid until they expire.
	 * @param id the terminal
	 * @return the terminal and its new tokens
	 */
	@Transactional(readOnly = true)
	Issued renew(String id) {
		TerminalView terminal = this.terminals.find(id)
			.orElseThrow(() -> Problems.notFound("terminal '%s' does not exist".formatted(id)));
		return issue(terminal, this.clock.instant());
	}

	private Issued issue(TerminalView terminal, Instant now) {
		Instant appExpiry = now.plus(this.appTokenValidity);
		Instant adminExpiry = now.plus(this.adminTokenValidity);
		return new Issued(terminal, this.tokenKeys.signer().issue(terminal.id(), TokenAudience.APPS, now, appExpiry),
				appExpiry, this.tokenKeys.signer().issue(terminal.id(), TokenAudience.ADMIN, now, adminExpiry), adminExpiry);
	}

	@Transactional(readOnly = true)
	List<TerminalView> list() {
		return this.terminals.findAll();
	}

	/**
	 * Revokes a terminal: deletes it, and every replica refuses it from then on without a load.
	 */
	@Transactional
	void delete(String id) {
		this.changeLog.lock();
		if (!this.terminals.delete(id)) {
			throw Problems.notFound("terminal '%s' does not exist".formatted(id));
		}
		this.changeLog.recordRemoval(CacheKind.TERMINAL, id);
	}

	private static List<String> nameViolations(String name) {
		if (name == null || name.isBlank()) {
			return List.of("name is required");
		}
		if (name.strip().length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
			return List.of("name must be at most %d characters without control characters".formatted(MAX_NAME_LENGTH));
		}
		return List.of();
	}

	/**
	 * A live pairing code.
	 *
	 * @param code six digits
	 * @param validUntil when it expires
	 */
	record PairingCodeView(String code, Instant validUntil) {
	}

	/**
	 * A terminal's tokens, from pairing or renewal.
	 *
	 * @param terminal the terminal
	 * @param token its app-access token, to be sent as the {@code authorization} cookie of the app zone
	 * @param tokenExpiresAt when the app-access token expires
	 * @param adminToken its admin token, for {@code Authorization: Bearer} on the admin API only; keep it
	 * out of cookies that app subdomains receive
	 * @param adminTokenExpiresAt when the admin token expires
	 */
	record Issued(TerminalView terminal, String token, Instant tokenExpiresAt, String adminToken,
			Instant adminTokenExpiresAt) {

		/** Never shows the tokens. */
		@Override
		public String toString() {
			return "Issued[terminal=" + this.terminal.id() + "]";
		}

	}

}

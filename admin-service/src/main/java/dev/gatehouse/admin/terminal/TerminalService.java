package dev.gatehouse.admin.terminal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.admin.changelog.ChangeLog;
import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.config.Problems;
import dev.gatehouse.model.invalidation.CacheKind;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pairing codes, pairing, and terminal revocation.
 */
@Service
public class TerminalService {

	private static final int MAX_NAME_LENGTH = 100;

	private final SecureRandom random = new SecureRandom();

	private final TerminalRepository terminals;

	private final SigningKeyStore signingKey;

	private final ChangeLog changeLog;

	private final Clock clock;

	private final Duration codeValidity;

	private final Duration tokenValidity;

	TerminalService(TerminalRepository terminals, SigningKeyStore signingKey, ChangeLog changeLog, Clock clock,
			AdminProperties properties) {
		this.terminals = terminals;
		this.signingKey = signingKey;
		this.changeLog = changeLog;
		this.clock = clock;
		this.codeValidity = properties.pairingCodeValidity();
		this.tokenValidity = properties.terminalTokenValidity();
	}

	/**
	 * Whether a bearer token is a valid terminal token of a terminal that still exists.
	 * @param token the compact JWT
	 * @return true when it proves a paired terminal
	 */
	@Transactional(readOnly = true)
	public boolean isPairedTerminal(String token) {
		return this.signingKey.tokens().verify(token, this.clock.instant()).map(this.terminals::exists).orElse(false);
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
	Optional<Paired> pair(String code, String name) {
		List<String> errors = nameViolations(name);
		if (code == null || code.isBlank()) {
			errors = new java.util.ArrayList<>(errors);
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
		Instant expiresAt = this.tokenValidity.isZero() ? null : now.plus(this.tokenValidity);
		return Optional.of(new Paired(this.terminals.find(id).orElseThrow(),
				this.signingKey.tokens().issue(id, now, expiresAt)));
	}

	@Transactional(readOnly = true)
	List<TerminalView> list() {
		return this.terminals.findAll();
	}

	/**
	 * Revokes a terminal: deletes it and invalidates it on every replica.
	 */
	@Transactional
	void delete(String id) {
		this.changeLog.lock();
		if (!this.terminals.delete(id)) {
			throw Problems.notFound("terminal '%s' does not exist".formatted(id));
		}
		this.changeLog.record(CacheKind.TERMINAL, id);
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
	 * The outcome of a successful pairing.
	 *
	 * @param terminal the new terminal
	 * @param token its token, to be sent as the {@code authorization} cookie
	 */
	record Paired(TerminalView terminal, String token) {
	}

}

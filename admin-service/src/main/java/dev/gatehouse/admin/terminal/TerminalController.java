package dev.gatehouse.admin.terminal;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.gatehouse.admin.config.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pairing ({@code /api/pairing-codes}, {@code /api/terminals/pair}) and terminals ({@code /api/terminals}).
 */
@RestController
class TerminalController {

	private final TerminalService terminals;

	private final PairingAttempts attempts;

	TerminalController(TerminalService terminals, PairingAttempts attempts) {
		this.terminals = terminals;
		this.attempts = attempts;
	}

	@PostMapping("/api/pairing-codes")
	@ResponseStatus(HttpStatus.CREATED)
	TerminalService.PairingCodeView newPairingCode() {
		return this.terminals.newPairingCode();
	}

	/** Unauthenticated: the pairing code is the credential. */
	@PostMapping("/api/terminals/pair")
	ResponseEntity<?> pair(@RequestBody PairRequest request, HttpServletRequest http) {
		String client = http.getRemoteAddr();
		if (!this.attempts.allowed(client)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
					"Too many failed pairing attempts; try again later.");
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(this.attempts.retryAfter().toSeconds()))
				.body(problem);
		}
		return this.terminals.pair(request.code(), request.name())
			.<ResponseEntity<?>>map(paired -> ResponseEntity.status(HttpStatus.CREATED).body(paired))
			.orElseGet(() -> {
				this.attempts.failed(client);
				throw Problems.unauthorized("The pairing code is wrong, used or expired.");
			});
	}

	@GetMapping("/api/terminals")
	List<TerminalView> list() {
		return this.terminals.list();
	}

	@DeleteMapping("/api/terminals/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id) {
		this.terminals.delete(id);
	}

	/**
	 * The body of a pairing request.
	 *
	 * @param code the pairing code
	 * @param name the name of the new terminal
	 */
	record PairRequest(String code, String name) {
	}

}

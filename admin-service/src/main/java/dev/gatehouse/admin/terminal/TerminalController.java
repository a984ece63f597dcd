package dev.gatehouse.admin.terminal;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.gatehouse.admin.config.Problems;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

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
 * Pairing ({@code /api/pairing-codes}, {@code /api/terminals/pair}), terminals ({@code /api/terminals}) and
 * token renewal ({@code /api/terminals/{id}/tokens}).
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
		TerminalService.PairingCodeView code = this.terminals.newPairingCode();
		this.attempts.codeIssued();
		return code;
	}

	/**
	 * Unauthenticated: the pairing code is the credential. The client's address is the real one behind
	 * trusted proxies only ({@code server.tomcat.remoteip.internal-proxies}).
	 */
	@PostMapping("/api/terminals/pair")
	@ApiResponse(responseCode = "201", description = "Paired: the terminal and its two tokens",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = TerminalService.Issued.class)))
	ResponseEntity<?> pair(@RequestBody PairRequest request, HttpServletRequest http) {
		String client = http.getRemoteAddr();
		Duration wait = this.attempts.attempt(client);
		if (!wait.isZero()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
					"Too many pairing attempts; try again later.");
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())))
				.body(problem);
		}
		TerminalService.Issued paired = this.terminals.pair(request.code(), request.name())
			.orElseThrow(() -> Problems.unauthorized("The pairing code is wrong, used or expired."));
		this.attempts.succeeded(client);
		return ResponseEntity.status(HttpStatus.CREATED).body(paired);
	}

	/** New tokens for a terminal, before its current ones expire. */
	@PostMapping("/api/terminals/{id}/tokens")
	TerminalService.Issued renew(@PathVariable String id) {
		return this.terminals.renew(id);
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

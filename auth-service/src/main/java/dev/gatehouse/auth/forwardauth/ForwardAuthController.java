package dev.gatehouse.auth.forwardauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.auth.cache.SourceUnavailableException;
import dev.gatehouse.auth.forwardauth.Decision.Allow;
import dev.gatehouse.auth.forwardauth.Decision.Deny;
import dev.gatehouse.auth.forwardauth.Decision.HeaderValue;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints Traefik's forwardAuth middleware calls. Answers are plain statuses with headers, no body.
 */
@RestController
class ForwardAuthController {

	private final ForwardAuthDecider decider;

	private final byte[] managementSecret;

	ForwardAuthController(ForwardAuthDecider decider, ManagementProperties management) {
		this.decider = decider;
		this.managementSecret = management.secret().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Any method: Traefik sends GET, or the client's own method with {@code preserveRequestMethod}; the
	 * decision never depends on it (an OPTIONS or HEAD to a private path is as private as a GET). OPTIONS is
	 * named explicitly: Spring would otherwise answer it itself, 200, without a decision.
	 */
	@RequestMapping(path = "/internal/auth", method = { RequestMethod.GET, RequestMethod.HEAD, RequestMethod.POST,
			RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS })
	void auth(HttpServletRequest request, HttpServletResponse response) {
		if (ForwardedHeaders.repeated(request)) {
			response.setStatus(Decision.Reason.BAD_REQUEST.status());
			return;
		}
		Decision decision = this.decider.decide(request.getHeader("X-Forwarded-Host"),
				request.getHeader("X-Forwarded-Uri"), TerminalCookie.token(request.getHeaders(HttpHeaders.COOKIE)),
				ForwardedHeaders.signed(request));
		switch (decision) {
			case Allow allow -> {
				response.setStatus(HttpServletResponse.SC_OK);
				setHeaders(response, allow.headers());
			}
			case Deny deny -> response.setStatus(deny.reason().status());
		}
	}

	/**
	 * A trivial answer from the same stack (servlet container and MVC), with no decision: a cheap liveness
	 * probe for proxies, and the ceiling {@code /internal/auth} is measured against.
	 */
	@GetMapping("/internal/ping")
	void ping(HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_NO_CONTENT);
	}

	@RequestMapping(path = "/internal/authenticate_terminal", method = { RequestMethod.GET, RequestMethod.HEAD,
			RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS })
	void authenticateTerminal(HttpServletRequest request, HttpServletResponse response) {
		Client client;
		try {
			client = this.decider.client(TerminalCookie.token(request.getHeaders(HttpHeaders.COOKIE)));
		}
		catch (SourceUnavailableException ex) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		if (client instanceof Client.PairedTerminal) {
			response.setStatus(HttpServletResponse.SC_OK);
			setHeaders(response, ForwardAuthDecider.addClientHeaders(new ArrayList<>(3), client));
		}
		else {
			response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		}
	}

	@RequestMapping(path = "/internal/authenticate_management", method = { RequestMethod.GET, RequestMethod.HEAD,
			RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE, RequestMethod.OPTIONS })
	void authenticateManagement(HttpServletRequest request, HttpServletResponse response) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		boolean valid = this.managementSecret.length > 0 && authorization != null
				&& MessageDigest.isEqual(this.managementSecret, authorization.getBytes(StandardCharsets.UTF_8));
		response.setStatus(valid ? HttpServletResponse.SC_OK : HttpServletResponse.SC_UNAUTHORIZED);
	}

	private static void setHeaders(HttpServletResponse response, Iterable<HeaderValue> headers) {
		for (HeaderValue header : headers) {
			response.setHeader(header.name(), header.value());
		}
	}

}

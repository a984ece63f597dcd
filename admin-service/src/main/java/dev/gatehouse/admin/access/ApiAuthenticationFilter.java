package dev.gatehouse.admin.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.terminal.TerminalService;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /api/**} call: {@code Authorization: Bearer <token>} with the admin token or
 * the token of a paired terminal. Only pairing itself is open, since the pairing code is its credential.
 */
@Component
class ApiAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final byte[] adminToken;

	private final TerminalService terminals;

	ApiAuthenticationFilter(AdminProperties properties, TerminalService terminals) {
		this.adminToken = properties.token().getBytes(StandardCharsets.UTF_8);
		this.terminals = terminals;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		boolean api = path.equals("/api") || path.startsWith("/api/");
		boolean pairing = "POST".equals(request.getMethod()) && path.equals("/api/terminals/pair");
		return !api || pairing;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String token = authorization.substring(BEARER.length()).strip();
			if (MessageDigest.isEqual(this.adminToken, token.getBytes(StandardCharsets.UTF_8))
					|| this.terminals.isPairedTerminal(token)) {
				chain.doFilter(request, response);
				return;
			}
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse-admin\"");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
					+ "\"detail\":\"Send Authorization: Bearer with the admin token or a paired terminal's token.\","
					+ "\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
	}

}

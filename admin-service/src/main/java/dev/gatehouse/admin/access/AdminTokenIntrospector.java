package dev.gatehouse.admin.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.terminal.TerminalService;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Who a bearer token on the admin API is: the installation's admin token (compared in constant time), or
 * the admin token of a paired terminal that still exists. A terminal's app-access token, the one every
 * app receives in the {@code authorization} cookie, is no admin credential and is refused.
 */
@Component
class AdminTokenIntrospector implements OpaqueTokenIntrospector {

	private static final List<GrantedAuthority> ADMIN = List.of(new SimpleGrantedAuthority("ROLE_ADMIN"));

	private final byte[] adminToken;

	private final TerminalService terminals;

	AdminTokenIntrospector(AdminProperties properties, TerminalService terminals) {
		this.adminToken = properties.token().getBytes(StandardCharsets.UTF_8);
		this.terminals = terminals;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		if (MessageDigest.isEqual(this.adminToken, token.getBytes(StandardCharsets.UTF_8))) {
			return principal("admin");
		}
		return this.terminals.adminTerminal(token)
			.map(terminal -> principal("terminal:" + terminal))
			.orElseThrow(() -> new BadOpaqueTokenException("not an admin token"));
	}

	private static OAuth2AuthenticatedPrincipal principal(String name) {
		return new OAuth2IntrospectionAuthenticatedPrincipal(name, Map.of("sub", name), ADMIN);
	}

}

package dev.gatehouse.admin.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import dev.gatehouse.admin.config.AdminProperties;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Who a bearer token on the outbound relay is: the relay token (compared in constant time), or nobody. The
 * relay's own security filter chain uses it, and only that chain: the relay token is no admin credential,
 * and the admin token is no relay token. Public for the access package, which owns every filter chain.
 */
@Component
public final class RelayTokenIntrospector implements OpaqueTokenIntrospector {

	/** The role the relay token grants, and the only one the relay's filter chain admits. */
	public static final String ROLE = "OUTBOUND_RELAY";

	private static final List<GrantedAuthority> RELAY = List.of(new SimpleGrantedAuthority("ROLE_" + ROLE));

	private final byte[] token;

	RelayTokenIntrospector(OutboundProperties properties, AdminProperties admin) {
		if (properties.enabled() && properties.token().equals(admin.token())) {
			throw new IllegalArgumentException(
					"gatehouse.admin.outbound.token must differ from gatehouse.admin.token: apps get the relay token");
		}
		this.token = properties.enabled() ? properties.token().getBytes(StandardCharsets.UTF_8) : null;
	}

	/**
	 * Whether a relay token is configured; without one, no call is let in.
	 * @return true when the relay is enabled
	 */
	public boolean enabled() {
		return this.token != null;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		if (this.token == null) {
			throw new BadOpaqueTokenException("the outbound relay is disabled");
		}
		if (!MessageDigest.isEqual(this.token, token.getBytes(StandardCharsets.UTF_8))) {
			throw new BadOpaqueTokenException("not the relay token");
		}
		return new OAuth2IntrospectionAuthenticatedPrincipal("outbound-relay", Map.of("sub", "outbound-relay"), RELAY);
	}

}

package dev.gatehouse.admin.access;

import jakarta.servlet.DispatcherType;

import dev.gatehouse.admin.config.ProblemResponses;
import dev.gatehouse.admin.outbound.RelayTokenIntrospector;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what on the admin-service: everything needs an admin bearer token
 * ({@link AdminTokenIntrospector}) except what is named here as open, and the outbound relay, which has a
 * filter chain and a token of its own. Authorization matches the path Spring routes, never a hand-parsed
 * URI, and Spring Security's strict firewall refuses {@code ;}, encoded separators
 * ({@code %2F %5C %2E %25 %3B}), {@code //} and dot segments with 400 before anything else looks at the
 * request: no spelling of a path can reach a different rule than its route.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain adminApi(HttpSecurity http, AdminTokenIntrospector introspector, JsonMapper json) {
		AuthenticationEntryPoint unauthorized = unauthorized(json);
		http.authorizeHttpRequests(requests -> requests
				// the pairing code is this call's credential (limited per client, see PairingAttempts)
				.requestMatchers(HttpMethod.POST, "/api/terminals/pair").permitAll()
				// who this installation is, for peers: public by design, nothing secret
				.requestMatchers(HttpMethod.GET, "/public/identity").permitAll()
				// the OpenAPI description and its UI are for admins: they map every operation (config/OpenApiConfiguration)
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").authenticated()
				// status only: details need an admin token (management.endpoint.health.show-details)
				.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
				// errors of requests that were already let in (or refused) render without a second check;
				// the error page itself is no endpoint
				.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
				.requestMatchers("/error").denyAll()
				.anyRequest().authenticated())
			.exceptionHandling(exceptions -> exceptions.accessDeniedHandler((request, response, ex) -> ProblemResponses
				.write(json, response, HttpStatus.FORBIDDEN, "This is no endpoint of the admin API.")));
		return bearerOnly(http, introspector, unauthorized).build();
	}

	/**
	 * The outbound relay ({@code /internal/peers/**}): apps inside the installation call it with the relay token
	 * ({@link RelayTokenIntrospector}), which is no admin credential and opens nothing else, and the admin token
	 * does not open it. Ordered before the admin API's chain, which matches every request.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain outboundRelayApi(HttpSecurity http, RelayTokenIntrospector introspector, JsonMapper json) {
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse-outbound\""
					+ ((ex instanceof OAuth2AuthenticationException) ? ", error=\"invalid_token\"" : ""));
			ProblemResponses.write(json, response, HttpStatus.UNAUTHORIZED, introspector.enabled()
					? "Send Authorization: Bearer with the outbound relay token."
					: "The outbound relay is disabled: gatehouse.admin.outbound.token is not set.");
		};
		http.securityMatcher("/internal/peers/**")
			.authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
				.anyRequest()
				.hasRole(RelayTokenIntrospector.ROLE));
		return bearerOnly(http, introspector, unauthorized).build();
	}

	/** A request the firewall refuses gets a 400 problem, not a stack trace. */
	@Bean
	RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
		return (request, response, ex) -> ProblemResponses.write(json, response, HttpStatus.BAD_REQUEST,
				"The request path is not in normalized form (';', encoded separators, '//' or dot segments are refused).");
	}

	/**
	 * What both chains share: bearer tokens only, never cookies (no CSRF surface, no sessions, no login
	 * forms, no saved requests), through the resource server's bearer filter alone (no OAuth metadata
	 * endpoint, nothing derived from the request's forwarded host in any answer).
	 */
	private static HttpSecurity bearerOnly(HttpSecurity http, OpaqueTokenIntrospector introspector,
			AuthenticationEntryPoint unauthorized) {
		BearerTokenAuthenticationFilter bearer = new BearerTokenAuthenticationFilter(
				new ProviderManager(new OpaqueTokenAuthenticationProvider(introspector)));
		bearer.setAuthenticationEntryPoint(unauthorized);
		return http.addFilterAt(bearer, BasicAuthenticationFilter.class)
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable);
	}

	/** RFC 6750's challenge (with {@code error="invalid_token"} when a token was sent) and a problem body. */
	private static AuthenticationEntryPoint unauthorized(JsonMapper json) {
		return (request, response, ex) -> {
			boolean tokenSent = ex instanceof OAuth2AuthenticationException;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"gatehouse-admin\"" + (tokenSent ? ", error=\"invalid_token\"" : ""));
			ProblemResponses.write(json, response, HttpStatus.UNAUTHORIZED,
					"Send Authorization: Bearer with the admin token or a terminal's admin token.");
		};
	}

}

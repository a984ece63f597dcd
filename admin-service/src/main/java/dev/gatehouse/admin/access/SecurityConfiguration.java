package dev.gatehouse.admin.access;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what on the admin-service: everything needs an admin bearer token
 * ({@link AdminTokenIntrospector}) except what is named here as open. Authorization matches the path
 * Spring routes, never a hand-parsed URI, and Spring Security's strict firewall refuses {@code ;},
 * encoded separators ({@code %2F %5C %2E %25 %3B}), {@code //} and dot segments with 400 before anything
 * else looks at the request: no spelling of a path can reach a different rule than its route.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain adminApi(HttpSecurity http, AdminTokenIntrospector introspector, JsonMapper json) {
		AuthenticationEntryPoint unauthorized = unauthorized(json);
		return http
			.authorizeHttpRequests(requests -> requests
				// the pairing code is this call's credential (limited per client, see PairingAttempts)
				.requestMatchers(HttpMethod.POST, "/api/terminals/pair").permitAll()
				// who this installation is, for peers: public by design, nothing secret
				.requestMatchers(HttpMethod.GET, "/public/identity").permitAll()
				// status only: details need an admin token (management.endpoint.health.show-details)
				.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
				// errors of requests that were already let in (or refused) render without a second check
				.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
				.anyRequest().authenticated())
			.oauth2ResourceServer(resourceServer -> resourceServer.opaqueToken(token -> token.introspector(introspector))
				.authenticationEntryPoint(unauthorized))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// bearer tokens only, never cookies: no CSRF surface, no login forms, no saved requests
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.build();
	}

	/** A request the firewall refuses gets a 400 problem, not a stack trace. */
	@Bean
	RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
		return (request, response, ex) -> writeProblem(json, response, HttpStatus.BAD_REQUEST,
				"The request path is not in normalized form (';', encoded separators, '//' or dot segments are refused).");
	}

	private static AuthenticationEntryPoint unauthorized(JsonMapper json) {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		challenge.setRealmName("gatehouse-admin");
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			writeProblem(json, response, HttpStatus.UNAUTHORIZED,
					"Send Authorization: Bearer with the admin token or a terminal's admin token.");
		};
	}

	private static void writeProblem(JsonMapper json, HttpServletResponse response, HttpStatus status, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(status, detail));
	}

}

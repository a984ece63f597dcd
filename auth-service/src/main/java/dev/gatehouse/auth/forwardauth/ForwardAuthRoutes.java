package dev.gatehouse.auth.forwardauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.auth.forwardauth.Decision.Allow;
import dev.gatehouse.auth.forwardauth.Decision.Deny;
import dev.gatehouse.auth.forwardauth.Decision.HeaderValue;
import dev.gatehouse.auth.listener.HttpRoute;
import dev.gatehouse.model.app.HeaderValueEncoding;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The endpoints Traefik's forwardAuth middleware calls, for any method: Traefik sends GET, or the
 * client's own method with {@code preserveRequestMethod}; the decision never depends on it (an OPTIONS
 * or HEAD to a private path is as private as a GET). Answers are plain statuses with headers, no body.
 */
@Configuration(proxyBeanMethods = false)
class ForwardAuthRoutes {

	@Bean
	HttpRoute authRoute(ForwardAuthDecider decider, AuthProperties properties) {
		return new DecisionRoute("/internal/auth", properties.loadTimeout(), (request, lookups) -> {
			ForwardedHeaders forwarded = ForwardedHeaders.read(request.headers());
			if (forwarded.repeated()) {
				return HttpRoute.empty(HttpResponseStatus.BAD_REQUEST);
			}
			Decision decision = decider.decide(forwarded.host(), forwarded.uri(), forwarded.token(), forwarded.signed(),
					lookups);
			return switch (decision) {
				case Allow allow -> withHeaders(HttpRoute.empty(HttpResponseStatus.OK), allow.headers());
				case Deny deny -> HttpRoute.empty(HttpResponseStatus.valueOf(deny.reason().status()));
			};
		});
	}

	@Bean
	HttpRoute authenticateTerminalRoute(ForwardAuthDecider decider, AuthProperties properties) {
		return new DecisionRoute("/internal/authenticate_terminal", properties.loadTimeout(), (request, lookups) -> {
			Client client = decider.client(ForwardedHeaders.read(request.headers()).token(), lookups);
			if (!(client instanceof Client.PairedTerminal)) {
				return HttpRoute.empty(HttpResponseStatus.UNAUTHORIZED);
			}
			return withHeaders(HttpRoute.empty(HttpResponseStatus.OK),
					ForwardAuthDecider.addClientHeaders(new ArrayList<>(3), client));
		});
	}

	@Bean
	HttpRoute authenticateManagementRoute(ManagementProperties management, AuthProperties properties) {
		byte[] secret = management.secret().getBytes(StandardCharsets.UTF_8);
		return new DecisionRoute("/internal/authenticate_management", properties.loadTimeout(), (request, lookups) -> {
			String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
			boolean valid = secret.length > 0 && authorization != null
					&& MessageDigest.isEqual(secret, authorization.getBytes(StandardCharsets.UTF_8));
			return HttpRoute.empty(valid ? HttpResponseStatus.OK : HttpResponseStatus.UNAUTHORIZED);
		});
	}

	/**
	 * A trivial answer from the same listener, with no decision: a cheap liveness probe for proxies, and
	 * the ceiling {@code /internal/auth} is measured against.
	 */
	@Bean
	HttpRoute pingRoute(AuthProperties properties) {
		return new DecisionRoute("/internal/ping", properties.loadTimeout(),
				(request, lookups) -> HttpRoute.empty(HttpResponseStatus.NO_CONTENT));
	}

	/**
	 * Sets the answer's headers. Spaces at either end of a value are trimmed: they are not part of a field
	 * value (RFC 9110 §5.5), every receiver strips them, and Netty refuses to send them (a PEM rendered with
	 * its last line break as a space, a template whose first variable is empty).
	 * <p>
	 * Names and values are ASCII (header names are tokens, values are {@link HeaderValueEncoding encoded}),
	 * and as {@link AsciiString}s the encoder copies their bytes at once instead of one character at a time.
	 */
	private static FullHttpResponse withHeaders(FullHttpResponse response, Iterable<HeaderValue> headers) {
		for (HeaderValue header : headers) {
			response.headers().set(new AsciiString(header.name()), trimSpaces(header.value()));
		}
		return response;
	}

	private static AsciiString trimSpaces(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && value.charAt(start) == ' ') {
			start++;
		}
		while (end > start && value.charAt(end - 1) == ' ') {
			end--;
		}
		return new AsciiString(value, start, end - start);
	}

}

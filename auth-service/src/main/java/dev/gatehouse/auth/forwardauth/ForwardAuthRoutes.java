package dev.gatehouse.auth.forwardauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.auth.forwardauth.Decision.Allow;
import dev.gatehouse.auth.forwardauth.Decision.Deny;
import dev.gatehouse.auth.forwardauth.Decision.HeaderValue;
import dev.gatehouse.auth.listener.HttpRoute;
import dev.gatehouse.model.app.HeaderName;
import dev.gatehouse.model.app.HeaderValueEncoding;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
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

	/** Reasons of the answers' debug log lines ({@link Lookups#reason}), besides the deny reasons. */
	private static final String ALLOWED = "ALLOWED";

	private static final String UNAUTHENTICATED = Decision.Reason.UNAUTHENTICATED.name();

	private static final HttpHeadersFactory TRUSTED_NAMES = DefaultHttpHeadersFactory.headersFactory()
		.withNameValidation(false);

	@Bean
	HttpRoute authRoute(ForwardAuthDecider decider, AuthProperties properties, MeterRegistry meters) {
		return new DecisionRoute("/internal/auth", properties.loadTimeout(), meters, (request, lookups) -> {
			ForwardedHeaders forwarded = ForwardedHeaders.read(request.headers());
			if (forwarded.repeated()) {
				lookups.reason("REPEATED_FORWARDED_HEADER");
				return HttpRoute.empty(HttpResponseStatus.BAD_REQUEST);
			}
			Decision decision = decider.decide(forwarded.host(), forwarded.uri(), forwarded.token(), forwarded.signed(),
					lookups);
			return switch (decision) {
				case Allow allow -> {
					lookups.reason(ALLOWED);
					yield allowed(allow.headers());
				}
				case Deny deny -> {
					lookups.reason(deny.reason().name());
					yield HttpRoute.empty(HttpResponseStatus.valueOf(deny.reason().status()));
				}
			};
		});
	}

	@Bean
	HttpRoute authenticateTerminalRoute(ForwardAuthDecider decider, AuthProperties properties, MeterRegistry meters) {
		String path = "/internal/authenticate_terminal";
		return new DecisionRoute(path, properties.loadTimeout(), meters, (request, lookups) -> {
			Client client = decider.client(ForwardedHeaders.read(request.headers()).token(), lookups);
			if (!(client instanceof Client.PairedTerminal)) {
				lookups.reason(UNAUTHENTICATED);
				return HttpRoute.empty(HttpResponseStatus.UNAUTHORIZED);
			}
			lookups.reason(ALLOWED);
			return allowed(ForwardAuthDecider.addClientHeaders(new ArrayList<>(3), client));
		});
	}

	@Bean
	HttpRoute authenticateManagementRoute(ManagementProperties management, AuthProperties properties,
			MeterRegistry meters) {
		byte[] secret = management.secret().getBytes(StandardCharsets.UTF_8);
		String path = "/internal/authenticate_management";
		return new DecisionRoute(path, properties.loadTimeout(), meters, (request, lookups) -> {
			String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
			boolean valid = secret.length > 0 && authorization != null
					&& MessageDigest.isEqual(secret, authorization.getBytes(StandardCharsets.UTF_8));
			lookups.reason(valid ? ALLOWED : (secret.length == 0) ? "NO_SECRET_CONFIGURED" : UNAUTHENTICATED);
			return HttpRoute.empty(valid ? HttpResponseStatus.OK : HttpResponseStatus.UNAUTHORIZED);
		});
	}

	/**
	 * A trivial answer from the same listener, with no decision: a cheap liveness probe for proxies, and
	 * the ceiling {@code /internal/auth} is measured against.
	 */
	@Bean
	HttpRoute pingRoute(AuthProperties properties, MeterRegistry meters) {
		return new DecisionRoute("/internal/ping", properties.loadTimeout(), meters,
				(request, lookups) -> HttpRoute.empty(HttpResponseStatus.NO_CONTENT));
	}

	/**
	 * A 200 with these headers. Every allowed request pays for this, so: names and values are ASCII (names
	 * are tokens, checked by {@link HeaderName} when the app is compiled or constants; values are trimmed and
	 * {@link HeaderValueEncoding encoded} by {@link ForwardAuthDecider#headerValue}), and as {@link AsciiString}s
	 * the encoder copies their bytes at once instead of one character at a time; names are not validated
	 * again, values are (no CR or LF can reach the proxy).
	 */
	private static FullHttpResponse allowed(List<HeaderValue> headers) {
		HttpHeaders answer = TRUSTED_NAMES.newHeaders();
		for (HeaderValue header : headers) {
			answer.set(ascii(header.name()), ascii(header.value()));
		}
		return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, answer,
				EmptyHttpHeaders.INSTANCE);
	}

	/** An ASCII string's bytes, copied at once (a Latin-1 string's array). */
	private static AsciiString ascii(String value) {
		return new AsciiString(value.getBytes(StandardCharsets.ISO_8859_1), false);
	}

}

package dev.gatehouse.auth.forwardauth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;

import dev.gatehouse.auth.cache.SourceUnavailableException;
import dev.gatehouse.auth.listener.HttpRoute;
import dev.gatehouse.model.app.HeaderName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A route whose answer reads the caches through {@link Lookups}: with warm entries it is answered inline,
 * on the event loop, with no I/O. Otherwise the answer runs again on the event loop each time a step it
 * waited for completes (on a loader thread), and a request still unanswered after
 * {@code gatehouse.auth.load-timeout} gets 503. The event loop never waits, so a slow database delays
 * only the requests that need it.
 * <p>
 * Every answer is timed by status ({@code gatehouse.answers}) and, at debug level, logged as one line:
 * route, status, reason, the allowed client's type (the answer's {@code X-Ptl-Client-Type}), latency in
 * microseconds, and the forwarded host and path without its query. Never a header that may hold a
 * credential (cookies, {@code Authorization}, signatures) nor the query. The fields are key-value pairs,
 * so with structured logging ({@code logging.structured.format.console}) they are JSON members. With debug
 * off the hot path pays one level check and nothing else.
 */
final class DecisionRoute implements HttpRoute {

	private static final Logger logger = LoggerFactory.getLogger(DecisionRoute.class);

	/** Of an allowed answer: who was allowed ({@code terminal}, {@code peer}, {@code anonymous}). */
	private static final AsciiString CLIENT_TYPE = AsciiString.cached(HeaderName.CLIENT_TYPE);

	/** At most this many characters of a forwarded host or path are logged. */
	private static final int MAX_LOGGED_LENGTH = 256;

	private final String path;

	private final long timeoutNanos;

	/**
	 * Buckets of the answer-time histogram: a warm answer takes microseconds, a cold one a round trip to
	 * Redis or PostgreSQL, a timed-out one the load timeout.
	 */
	private static final Duration[] BUCKETS = LongStream.of(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000,
			50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000)
		.mapToObj(micros -> Duration.ofNanos(micros * 1_000))
		.toArray(Duration[]::new);

	private final Answer answer;

	private final MeterRegistry meters;

	/**
	 * One timer per status this route answered with, indexed by the status code (registered on first use):
	 * every answer is counted, so no boxing or map lookup.
	 */
	private final AtomicReferenceArray<Timer> answers = new AtomicReferenceArray<>(600);

	DecisionRoute(String path, Duration timeout, MeterRegistry meters, Answer answer) {
		this.path = path;
		this.timeoutNanos = timeout.toNanos();
		this.meters = meters;
		this.answer = answer;
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public CompletableFuture<FullHttpResponse> answer(HttpRequest request, EventExecutor loop) {
		long started = System.nanoTime();
		Lookups lookups = new Lookups();
		try {
			return CompletableFuture
				.completedFuture(timed(this.answer.answer(request, lookups), request, lookups, started));
		}
		catch (Lookups.Pending pending) {
			CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
			ScheduledFuture<?> deadline = loop.schedule(() -> timedOut(result, lookups), this.timeoutNanos,
					TimeUnit.NANOSECONDS);
			result.whenComplete((response, failure) -> {
				deadline.cancel(false);
				if (response != null) {
					timed(response, request, lookups, started);
				}
			});
			resumeWhenDone(pending, request, lookups, loop, result);
			return result;
		}
		catch (SourceUnavailableException ex) {
			return CompletableFuture.completedFuture(timed(unavailable(ex, lookups), request, lookups, started));
		}
	}

	/** Records how long an answer took, by its status, and logs it at debug level. */
	private FullHttpResponse timed(FullHttpResponse response, HttpRequest request, Lookups lookups, long started) {
		long elapsed = System.nanoTime() - started;
		int status = response.status().code();
		timer(status).record(elapsed, TimeUnit.NANOSECONDS);
		if (logger.isDebugEnabled()) {
			logAnswer(request, response, lookups, status, elapsed);
		}
		return response;
	}

	/**
	 * One debug line per answer, with its fields as key-value pairs. Reads only the forwarded host and path
	 * (cut at the query), never a header that may carry a credential.
	 */
	private void logAnswer(HttpRequest request, FullHttpResponse response, Lookups lookups, int status,
			long elapsedNanos) {
		String clientType = response.headers().get(CLIENT_TYPE);
		String host = loggable(request.headers().get(ForwardedHeaders.HOST), false);
		String path = loggable(request.headers().get(ForwardedHeaders.URI), true);
		long micros = TimeUnit.NANOSECONDS.toMicros(elapsedNanos);
		LoggingEventBuilder line = logger.atDebug()
			.addKeyValue("route", this.path)
			.addKeyValue("status", status)
			.addKeyValue("latency_us", micros);
		if (lookups.reason() != null) {
			line = line.addKeyValue("reason", lookups.reason());
		}
		if (clientType != null) {
			line = line.addKeyValue("client_type", clientType);
		}
		if (host != null) {
			line = line.addKeyValue("forwarded_host", host);
		}
		if (path != null) {
			line = line.addKeyValue("forwarded_path", path);
		}
		// the same fields in the message, for plain-text logs (their pattern shows no key-value pairs)
		line.log("Answered {} {}{} in {} us{}{}", this.path, status,
				(lookups.reason() != null) ? " " + lookups.reason() : "", micros, (host != null) ? " for " + host : "",
				(path != null) ? " " + path : "");
	}

	/**
	 * A forwarded value as it may be logged: printable ASCII only (anything else as {@code ?}, so no line
	 * break or escape sequence reaches a plain-text log), at most {@value #MAX_LOGGED_LENGTH} characters,
	 * and for a path nothing from the query or fragment on (a query may carry a token).
	 */
	static String loggable(String value, boolean path) {
		if (value == null) {
			return null;
		}
		int end = value.length();
		if (path) {
			for (int i = 0; i < value.length(); i++) {
				if (value.charAt(i) == '?' || value.charAt(i) == '#') {
					end = i;
					break;
				}
			}
		}
		end = Math.min(end, MAX_LOGGED_LENGTH);
		StringBuilder loggable = new StringBuilder(end);
		for (int i = 0; i < end; i++) {
			char c = value.charAt(i);
			loggable.append((c > ' ' && c < 0x7f) ? c : '?');
		}
		return loggable.toString();
	}

	private Timer timer(int status) {
		Timer timer = this.answers.get(status);
		if (timer == null) {
			// Micrometer returns the timer already registered, so two threads racing here share one
			timer = register(status);
			this.answers.set(status, timer);
		}
		return timer;
	}

	private Timer register(int status) {
		return Timer.builder("gatehouse.answers")
			.description("Answers of the auth endpoints, by route and status, from the request to the answer")
			.tag("route", this.path)
			.tag("status", Integer.toString(status))
			.serviceLevelObjectives(BUCKETS)
			.register(this.meters);
	}

	private void resumeWhenDone(Lookups.Pending pending, HttpRequest request, Lookups lookups, EventExecutor loop,
			CompletableFuture<FullHttpResponse> result) {
		pending.future().whenCompleteAsync((value, failure) -> {
			if (result.isDone()) {
				return;
			}
			try {
				lookups.completed(pending);
				result.complete(this.answer.answer(request, lookups));
			}
			catch (Lookups.Pending next) {
				resumeWhenDone(next, request, lookups, loop, result);
			}
			catch (SourceUnavailableException ex) {
				result.complete(unavailable(ex, lookups));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		}, loop);
	}

	private static void timedOut(CompletableFuture<FullHttpResponse> result, Lookups lookups) {
		if (!result.isDone()) {
			lookups.reason("TIMED_OUT");
			result.complete(HttpRoute.empty(HttpResponseStatus.SERVICE_UNAVAILABLE));
		}
	}

	private static FullHttpResponse unavailable(SourceUnavailableException ex, Lookups lookups) {
		logger.debug("Answering 503: {}", ex.getMessage());
		lookups.reason("UNAVAILABLE");
		return HttpRoute.empty(HttpResponseStatus.SERVICE_UNAVAILABLE);
	}

	/**
	 * Computes an answer; may stop at a step that is not done and run again.
	 */
	@FunctionalInterface
	interface Answer {

		/**
		 * @param request the request head
		 * @param lookups this request's reads, kept across runs
		 * @return the response
		 * @throws Lookups.Pending when a step has not completed
		 * @throws SourceUnavailableException when a step failed
		 */
		FullHttpResponse answer(HttpRequest request, Lookups lookups);

	}

}

package dev.gatehouse.auth.forwardauth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.gatehouse.auth.cache.SourceUnavailableException;
import dev.gatehouse.auth.listener.HttpRoute;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route whose answer reads the caches through {@link Lookups}: with warm entries it is answered inline,
 * on the event loop, with no I/O. Otherwise the answer runs again on the event loop each time a step it
 * waited for completes (on a loader thread), and a request still unanswered after
 * {@code gatehouse.auth.load-timeout} gets 503. The event loop never waits, so a slow database delays
 * only the requests that need it.
 */
final class DecisionRoute implements HttpRoute {

	private static final Logger logger = LoggerFactory.getLogger(DecisionRoute.class);

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

	/** One timer per status this route answered with. */
	private final Map<Integer, Timer> answers = new ConcurrentHashMap<>();

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
			return CompletableFuture.completedFuture(timed(this.answer.answer(request, lookups), started));
		}
		catch (Lookups.Pending pending) {
			CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
			ScheduledFuture<?> deadline = loop.schedule(() -> unavailable(result, "timed out"), this.timeoutNanos,
					TimeUnit.NANOSECONDS);
			result.whenComplete((response, failure) -> {
				deadline.cancel(false);
				if (response != null) {
					timed(response, started);
				}
			});
			resumeWhenDone(pending, request, lookups, loop, result);
			return result;
		}
		catch (SourceUnavailableException ex) {
			return CompletableFuture.completedFuture(timed(unavailable(ex), started));
		}
	}

	/** Records how long an answer took, by its status. */
	private FullHttpResponse timed(FullHttpResponse response, long started) {
		long elapsed = System.nanoTime() - started;
		this.answers.computeIfAbsent(response.status().code(), this::timer).record(elapsed, TimeUnit.NANOSECONDS);
		return response;
	}

	private Timer timer(int status) {
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
				result.complete(unavailable(ex));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		}, loop);
	}

	private static void unavailable(CompletableFuture<FullHttpResponse> result, String why) {
		if (!result.isDone()) {
			logger.debug("Answering 503: {}", why);
			result.complete(HttpRoute.empty(HttpResponseStatus.SERVICE_UNAVAILABLE));
		}
	}

	private static FullHttpResponse unavailable(SourceUnavailableException ex) {
		logger.debug("Answering 503: {}", ex.getMessage());
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

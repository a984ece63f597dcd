package dev.gatehouse.auth.forwardauth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.auth.listener.HttpRoute;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DecisionRouteTests {

	private static final HttpRequest REQUEST = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
			"/internal/auth");

	private final EventExecutor loop = new DefaultEventExecutor();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicInteger runs = new AtomicInteger();

	private final AtomicInteger starts = new AtomicInteger();

	private final Logger routeLogger = (Logger) LoggerFactory.getLogger(DecisionRoute.class);

	private final Level routeLevel = this.routeLogger.getLevel();

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@AfterEach
	void stopLoop() {
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		this.routeLogger.detachAppender(this.logged);
		this.routeLogger.setLevel(this.routeLevel);
	}

	@Test
	void aWarmAnswerIsCompleteAtOnceAndTimedByStatus() {
		DecisionRoute route = route(Duration.ofSeconds(1), CompletableFuture.completedFuture("ready"));
		CompletableFuture<FullHttpResponse> answer = route.answer(REQUEST, this.loop);
		assertThat(answer).isCompleted();
		assertThat(answer.join().status()).isEqualTo(HttpResponseStatus.OK);
		assertThat(answered("200")).isEqualTo(1);
	}

	@Test
	void aColdAnswerRunsAgainOnTheLoopOnceItsStepCompletesAndTheStepStartsOnce() throws Exception {
		CompletableFuture<String> step = new CompletableFuture<>();
		DecisionRoute route = route(Duration.ofSeconds(10), step);
		CompletableFuture<FullHttpResponse> answer = route.answer(REQUEST, this.loop);
		assertThat(answer).isNotDone();
		assertThat(answered("200")).isZero();
		step.complete("loaded");
		assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo(HttpResponseStatus.OK);
		assertThat(this.runs).as("one run stopped, one answered").hasValue(2);
		assertThat(this.starts).as("the step's result is remembered").hasValue(1);
		awaitAnswered("200", 1);
	}

	@Test
	void aStepStillRunningAtTheLoadTimeoutGets503() throws Exception {
		DecisionRoute route = route(Duration.ofMillis(50), new CompletableFuture<>());
		CompletableFuture<FullHttpResponse> answer = route.answer(REQUEST, this.loop);
		assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
		awaitAnswered("503", 1);
		assertThat(answered("200")).isZero();
	}

	@Test
	void aFailedStepGets503NeverAGuess() throws Exception {
		DecisionRoute route = route(Duration.ofSeconds(1),
				CompletableFuture.failedFuture(new IllegalStateException("database down")));
		assertThat(route.answer(REQUEST, this.loop).get(5, TimeUnit.SECONDS).status())
			.isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
		CompletableFuture<String> failsLater = new CompletableFuture<>();
		CompletableFuture<FullHttpResponse> answer = route(Duration.ofSeconds(10), failsLater).answer(REQUEST,
				this.loop);
		failsLater.completeExceptionally(new IllegalStateException("database down"));
		assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
		awaitAnswered("503", 2);
	}

	@Test
	void withDebugOnEachAnswerIsOneLineOfKeyValuePairsWithoutCredentialsOrQuery() throws Exception {
		HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/internal/auth");
		request.headers()
			.add("X-Forwarded-Host", "demo.example.org")
			.add("X-Forwarded-Uri", "/private/x?token=query-secret")
			.add("Cookie", "authorization=cookie-secret")
			.add("Signature", "sig1=:c2lnbmF0dXJlLXNlY3JldA==:");
		DecisionRoute route = new DecisionRoute("/internal/auth", Duration.ofSeconds(1), this.meters, (req, lookups) -> {
			lookups.reason("ALLOWED");
			FullHttpResponse allowed = HttpRoute.empty(HttpResponseStatus.OK);
			allowed.headers().set("X-Ptl-Client-Type", "terminal").set("X-Ptl-Client-Name", "name-secret");
			return allowed;
		});
		captureAt(Level.DEBUG);
		route.answer(request, this.loop).join();
		List<ILoggingEvent> events = answersLogged();
		assertThat(events).hasSize(1);
		ILoggingEvent event = events.get(0);
		assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
		Map<String, Object> fields = new LinkedHashMap<>();
		for (KeyValuePair pair : event.getKeyValuePairs()) {
			fields.put(pair.key, pair.value);
		}
		assertThat(fields).containsEntry("route", "/internal/auth")
			.containsEntry("status", 200)
			.containsEntry("reason", "ALLOWED")
			.containsEntry("client_type", "terminal")
			.containsEntry("forwarded_host", "demo.example.org")
			.containsEntry("forwarded_path", "/private/x")
			.containsKey("latency_us");
		assertThat(event.getFormattedMessage()).startsWith("Answered /internal/auth 200 ALLOWED in ")
			.endsWith(" us for demo.example.org /private/x");
		assertThat(event.getFormattedMessage() + fields).doesNotContain("secret", "c2lnbmF0dXJl", "token=");
	}

	@Test
	void aTimedOutAnswerIsLoggedAsSuch() {
		DecisionRoute route = route(Duration.ofMillis(50), new CompletableFuture<>());
		captureAt(Level.DEBUG);
		route.answer(REQUEST, this.loop).join();
		// logged as the answer completes, just after a waiting caller may see it
		await().atMost(Duration.ofSeconds(5)).until(() -> !answersLogged().isEmpty());
		assertThat(answersLogged()).singleElement()
			.satisfies(event -> assertThat(event.getFormattedMessage()).startsWith("Answered /internal/auth 503 TIMED_OUT in "));
	}

	@Test
	void withDebugOffNothingIsLogged() {
		captureAt(Level.INFO);
		route(Duration.ofSeconds(1), CompletableFuture.completedFuture("ready")).answer(REQUEST, this.loop).join();
		assertThat(this.logged.list).isEmpty();
	}

	@Test
	void loggedValuesArePrintableBoundedAndPathsLoseTheirQuery() {
		assertThat(DecisionRoute.loggable(null, true)).isNull();
		assertThat(DecisionRoute.loggable("/a?b#c", true)).isEqualTo("/a");
		assertThat(DecisionRoute.loggable("/a#c?b", true)).isEqualTo("/a");
		assertThat(DecisionRoute.loggable("a?b", false)).isEqualTo("a?b");
		assertThat(DecisionRoute.loggable("/x\u001b[31m\r\n\tcafé y", true)).isEqualTo("/x?[31m???caf??y");
		assertThat(DecisionRoute.loggable("/" + "a".repeat(1_000), true)).hasSize(256);
	}

	/** Captures what {@link DecisionRoute} logs, with its logger at this level (restored after the test). */
	private void captureAt(Level level) {
		this.logged.start();
		this.routeLogger.addAppender(this.logged);
		this.routeLogger.setLevel(level);
	}

	/** The answer lines logged so far (on the event loop, under the appender's lock). */
	private List<ILoggingEvent> answersLogged() {
		synchronized (this.logged) {
			return this.logged.list.stream().filter(event -> event.getFormattedMessage().startsWith("Answered ")).toList();
		}
	}

	/** A route whose answer needs one step's result. */
	private DecisionRoute route(Duration timeout, CompletableFuture<String> step) {
		Object owner = new Object();
		return new DecisionRoute("/internal/auth", timeout, this.meters, (request, lookups) -> {
			this.runs.incrementAndGet();
			lookups.await(owner, "key", () -> {
				this.starts.incrementAndGet();
				return step;
			});
			return HttpRoute.empty(HttpResponseStatus.OK);
		});
	}

	/** The timer is recorded when the answer completes, just after a waiting caller may see it. */
	private void awaitAnswered(String status, long count) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(answered(status)).isEqualTo(count));
	}

	private long answered(String status) {
		var timer = this.meters.find("gatehouse.answers").tags("route", "/internal/auth", "status", status).timer();
		return (timer != null) ? timer.count() : 0;
	}

}

package dev.gatehouse.auth.forwardauth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DecisionRouteTests {

	private static final HttpRequest REQUEST = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
			"/internal/auth");

	private final EventExecutor loop = new DefaultEventExecutor();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicInteger runs = new AtomicInteger();

	private final AtomicInteger starts = new AtomicInteger();

	@AfterEach
	void stopLoop() {
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
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

package dev.gatehouse.auth.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

/**
 * The circuit breaker in front of Redis (Resilience4j's): one failed call opens it, so a Redis that times
 * out costs one timeout, not one per request; while open, calls are skipped without I/O; after
 * {@code retryAfter}, exactly one call probes Redis (the others are still skipped) and its outcome closes or
 * reopens the breaker. Time comes from the caches' ticker, so tests drive it.
 */
final class L2Breaker {

	private final CircuitBreaker breaker;

	L2Breaker(Duration retryAfter, Ticker ticker) {
		this.breaker = CircuitBreaker.of("gatehouse-l2", CircuitBreakerConfig.custom()
			.slidingWindow(1, 1, SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(100)
			.waitDurationInOpenState(retryAfter)
			.permittedNumberOfCallsInHalfOpenState(1)
			.clock(new TickerClock(ticker))
			.build());
	}

	/**
	 * Asks to call Redis; a permitted call must end with {@link #succeeded} or {@link #failed}.
	 * @return false when the call must be skipped
	 */
	boolean permit() {
		return this.breaker.tryAcquirePermission();
	}

	/** A permitted call succeeded (durations are not recorded: no slow-call threshold is used). */
	void succeeded() {
		this.breaker.onSuccess(0, TimeUnit.NANOSECONDS);
	}

	void failed(Throwable failure) {
		this.breaker.onError(0, TimeUnit.NANOSECONDS, failure);
	}

	/**
	 * @return true while calls are skipped or only a probe is let through (open or half-open)
	 */
	boolean open() {
		return this.breaker.getState() != CircuitBreaker.State.CLOSED;
	}

	/** The ticker as the clock the breaker reads to know when its wait in the open state is over. */
	private static final class TickerClock extends Clock {

		private final Ticker ticker;

		TickerClock(Ticker ticker) {
			this.ticker = ticker;
		}

		@Override
		public Instant instant() {
			return Instant.EPOCH.plusNanos(this.ticker.read());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}

package dev.gatehouse.auth.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class L2BreakerTests {

	/** Starts below zero: System.nanoTime may, and no value of the ticker is special. */
	private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);

	private final L2Breaker breaker = new L2Breaker(Duration.ofSeconds(1), this.nanos::get);

	@Test
	void closedLetsEveryCallThrough() {
		assertThat(this.breaker.open()).isFalse();
		for (int i = 0; i < 3; i++) {
			assertThat(this.breaker.permit()).isTrue();
			this.breaker.succeeded();
		}
		assertThat(this.breaker.open()).isFalse();
	}

	@Test
	void oneFailureOpensItAndCallsAreSkippedUntilRetryAfter() {
		fail();
		assertThat(this.breaker.open()).isTrue();
		assertThat(this.breaker.permit()).isFalse();
		this.nanos.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(this.breaker.permit()).as("still within retryAfter").isFalse();
	}

	@Test
	void afterRetryAfterExactlyOneCallProbesAndItsSuccessCloses() {
		fail();
		this.nanos.addAndGet(Duration.ofMillis(1001).toNanos());
		assertThat(this.breaker.permit()).as("the probe").isTrue();
		assertThat(this.breaker.permit()).as("others wait for the probe's outcome").isFalse();
		assertThat(this.breaker.open()).isTrue();
		this.breaker.succeeded();
		assertThat(this.breaker.open()).isFalse();
		assertThat(this.breaker.permit()).isTrue();
		assertThat(this.breaker.permit()).isTrue();
	}

	@Test
	void aFailedProbeReopensForAnotherRetryAfter() {
		fail();
		this.nanos.addAndGet(Duration.ofMillis(1001).toNanos());
		assertThat(this.breaker.permit()).isTrue();
		this.breaker.failed(new IllegalStateException("still down"));
		assertThat(this.breaker.permit()).isFalse();
		this.nanos.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(this.breaker.permit()).isFalse();
		this.nanos.addAndGet(Duration.ofMillis(2).toNanos());
		assertThat(this.breaker.permit()).isTrue();
	}

	private void fail() {
		assertThat(this.breaker.permit()).isTrue();
		this.breaker.failed(new IllegalStateException("Redis timed out"));
	}

}

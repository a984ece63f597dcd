package dev.gatehouse.auth.forwardauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import dev.gatehouse.auth.cache.SourceUnavailableException;
import dev.gatehouse.auth.cache.TieredCache;

/**
 * How one request's decision reads what may need I/O (cache entries, the nonce ledger) without ever
 * waiting: a result that is ready is used at once; one that is not stops the decision with
 * {@link Pending}, and the decision runs again, from the start, once it is ready. Results this request
 * waited for are remembered, so each run gets further (even while the coherence lease has lapsed and
 * nothing stays in L1), a decision makes at most one run per step that waited, and a step with an effect
 * (a nonce spent) has it once.
 * <p>
 * It also carries why the answer is what it is, for the answer's debug log line ({@link DecisionRoute}): a
 * constant the answer sets, so the hot path pays one field write and no allocation (with compact object
 * headers, the object is no larger for it).
 */
final class Lookups {

	/** What this request waited for; null until the first one (the warm path allocates nothing). */
	private List<Done> done;

	/** Why the answer is what it is (a constant such as {@code UNKNOWN_APP}), or null. */
	private String reason;

	/**
	 * Notes why the answer is what it is, for the debug log.
	 * @param reason a constant naming the outcome, never a value from the request
	 */
	void reason(String reason) {
		this.reason = reason;
	}

	/** @return why the answer is what it is, or null when the answer did not say */
	String reason() {
		return this.reason;
	}

	/**
	 * Reads a cache entry.
	 * @param <V> the compiled form
	 * @param cache the cache
	 * @param key the key
	 * @return the value, or empty when the key does not exist
	 * @throws Pending when the entry is still loading
	 * @throws SourceUnavailableException when its load failed or could not be queued
	 */
	<V> Optional<V> get(TieredCache<?, V> cache, String key) {
		return await(cache, key, () -> cache.lookup(key));
	}

	/**
	 * The result of an asynchronous step, started on the first run only.
	 * @param <T> the result type
	 * @param owner who answers (a cache, the nonce ledger); with {@code key}, names the step
	 * @param key what is asked
	 * @param start starts the step
	 * @return the result
	 * @throws Pending when the step has not completed yet
	 * @throws SourceUnavailableException when the step failed
	 */
	<T> T await(Object owner, String key, Supplier<CompletableFuture<T>> start) {
		if (this.done != null) {
			for (Done step : this.done) {
				if (step.owner() == owner && step.key().equals(key)) {
					@SuppressWarnings("unchecked")
					T result = (T) step.result();
					return result;
				}
			}
		}
		CompletableFuture<T> future = start.get();
		return switch (future.state()) {
			case SUCCESS -> future.resultNow();
			case RUNNING -> throw new Pending(owner, key, future);
			case FAILED, CANCELLED -> throw failed(key, future);
		};
	}

	/**
	 * Remembers the result of the step the last run stopped at, for the next run.
	 * @param pending the step, completed
	 * @throws SourceUnavailableException when it failed
	 */
	void completed(Pending pending) {
		if (pending.future().state() != Future.State.SUCCESS) {
			throw failed(pending.key(), pending.future());
		}
		if (this.done == null) {
			this.done = new ArrayList<>(2);
		}
		this.done.add(new Done(pending.owner(), pending.key(), pending.future().resultNow()));
	}

	private static SourceUnavailableException failed(String key, CompletableFuture<?> future) {
		Throwable cause = (future.state() == Future.State.FAILED) ? future.exceptionNow() : null;
		return new SourceUnavailableException("could not load '%s'".formatted(key), cause);
	}

	private record Done(Object owner, String key, Object result) {
	}

	/**
	 * A decision stopped at a step that has not completed. Control flow, not an error: no stack trace.
	 */
	static final class Pending extends RuntimeException {

		private final transient Object owner;

		private final String key;

		private final transient CompletableFuture<?> future;

		Pending(Object owner, String key, CompletableFuture<?> future) {
			super(null, null, false, false);
			this.owner = owner;
			this.key = key;
			this.future = future;
		}

		Object owner() {
			return this.owner;
		}

		String key() {
			return this.key;
		}

		/**
		 * The step to wait for.
		 * @return its future; it completes on another thread
		 */
		CompletableFuture<?> future() {
			return this.future;
		}

	}

}

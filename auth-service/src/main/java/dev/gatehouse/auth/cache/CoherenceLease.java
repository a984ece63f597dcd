package dev.gatehouse.auth.cache;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * How long this replica's L1 may be trusted. Each proof that L1 reflects every committed change (a
 * heartbeat that is not ahead of the applied seq, or a completed catch-up) renews the lease for
 * {@code duration}. Once it lapses, L1 is bypassed until the next proof, so a replica that stops hearing
 * about changes (partitioned from Redis and PostgreSQL) is stale for at most {@code duration}, never
 * longer.
 */
public final class CoherenceLease {

	private final Ticker ticker;

	private final long durationNanos;

	/** Ticker time of the last proof; {@link Long#MIN_VALUE} until the first one. */
	private volatile long provenAt = Long.MIN_VALUE;

	public CoherenceLease(Duration duration, Ticker ticker) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("a coherence lease must be positive, not " + duration);
		}
		this.durationNanos = duration.toNanos();
		this.ticker = ticker;
	}

	/**
	 * Records a proof of coherence taken at {@code provenAt} (a {@link #now()} value read before the
	 * evidence was gathered, so a slow catch-up does not stretch the lease).
	 * @param provenAt ticker time
	 */
	public synchronized void renew(long provenAt) {
		if (this.provenAt == Long.MIN_VALUE || provenAt > this.provenAt) {
			this.provenAt = provenAt;
		}
	}

	/**
	 * Whether L1 may answer requests.
	 * @return true while the last proof is younger than the lease
	 */
	public boolean valid() {
		long proven = this.provenAt;
		return proven != Long.MIN_VALUE && this.ticker.read() - proven < this.durationNanos;
	}

	/**
	 * Whether coherence was ever proven (the first catch-up is done).
	 * @return true after the first renewal
	 */
	public boolean everProven() {
		return this.provenAt != Long.MIN_VALUE;
	}

	/**
	 * The current ticker time.
	 * @return nanoseconds on the lease's ticker
	 */
	public long now() {
		return this.ticker.read();
	}

}

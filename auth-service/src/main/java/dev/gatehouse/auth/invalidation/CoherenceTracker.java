package dev.gatehouse.auth.invalidation;

import java.time.Duration;
import java.util.TreeSet;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.auth.cache.CoherenceLease;
import dev.gatehouse.model.invalidation.ChangeMessage.Change;
import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.ChangeMessage.Removal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's caches coherent with the change log, whatever is lost on the way.
 * <p>
 * It tracks {@code applied}, the seq up to which every change is known to be applied. Changes are applied
 * the moment they arrive: an invalidation drops the entry from L1, a removal installs its negative entry
 * (the admin deleted it: nothing to load). One that leaves a hole below it (a lost or late message), a
 * heartbeat ahead of {@code applied}, a (re)subscription, or no heartbeat for {@code heartbeatTimeout}
 * makes the next {@link #tick()} catch up from the change log in PostgreSQL: every change after
 * {@code applied} is tombstoned in L2 and dropped from L1. The change log records no outcome, so a
 * catch-up drops removed entries too (conservative: the next request loads the absence). While heartbeats
 * stay missing (Redis unreachable) it polls the change log every {@code pollInterval}. If a catch-up fails,
 * it clears L1 (L2, which the admin tombstones before publishing, then answers). A heartbeat from a new
 * Redis epoch (Redis lost its data), or a message it cannot read, clears L1 too.
 * <p>
 * Every proof that L1 is current renews the {@link CoherenceLease}; without proofs, L1 is bypassed once
 * the lease lapses. All catch-ups run on the thread that calls {@link #tick()}.
 */
class CoherenceTracker {

	private static final Logger logger = LoggerFactory.getLogger(CoherenceTracker.class);

	/** Changes read from the change log per query during a catch-up. */
	static final int CATCH_UP_LIMIT = 1_000;

	private final ChangeApplier applier;

	private final ChangeLogReader changeLog;

	private final CoherenceLease lease;

	private final Ticker ticker;

	private final long heartbeatTimeoutNanos;

	private final long pollIntervalNanos;

	/** Seq up to which every change is applied; -1 until the first catch-up. Guarded by this. */
	private long applied = -1;

	/** Seqs received above {@code applied + 1}, waiting for the hole below them to fill. Guarded by this. */
	private final TreeSet<Long> pending = new TreeSet<>();

	/** The highest seq any message announced. Guarded by this. */
	private long head = -1;

	/** Guarded by this. */
	private boolean catchUpWanted = true;

	private volatile String epoch;

	private volatile long lastHeartbeat;

	private volatile long lastPoll;

	private final Counter gaps;

	private final Counter catchUps;

	private final Counter failedCatchUps;

	private final Counter epochChanges;

	private final Counter leaseLapses;

	/** Whether the lease was valid at the last tick; read and written by the ticking thread only. */
	private boolean leaseHeld;

	CoherenceTracker(ChangeApplier applier, ChangeLogReader changeLog, CoherenceLease lease, Ticker ticker,
			Duration heartbeatTimeout, Duration pollInterval, MeterRegistry meters) {
		this.applier = applier;
		this.changeLog = changeLog;
		this.lease = lease;
		this.ticker = ticker;
		this.heartbeatTimeoutNanos = heartbeatTimeout.toNanos();
		this.pollIntervalNanos = pollInterval.toNanos();
		this.lastHeartbeat = ticker.read();
		this.lastPoll = ticker.read() - this.pollIntervalNanos;
		this.gaps = Counter.builder("gatehouse.invalidations.gaps").description("Holes detected in the seq of change messages").register(meters);
		this.catchUps = Counter.builder("gatehouse.catchups").tag("outcome", "done").register(meters);
		this.failedCatchUps = Counter.builder("gatehouse.catchups").tag("outcome", "failed").register(meters);
		this.epochChanges = Counter.builder("gatehouse.redis.epoch.changes").register(meters);
		Gauge.builder("gatehouse.seq.applied", this, tracker -> tracker.applied()).register(meters);
		Gauge.builder("gatehouse.seq.lag", this, tracker -> tracker.lag()).description("Announced seq minus applied seq").register(meters);
		this.leaseLapses = Counter.builder("gatehouse.coherence.lease.lapses")
			.description("Times the coherence lease lapsed, so L1 was bypassed (noticed at the next tick)")
			.register(meters);
		Gauge.builder("gatehouse.coherence.lease.valid", lease, held -> held.valid() ? 1 : 0)
			.description("1 while L1 may answer: coherence was proven within the lease")
			.register(meters);
		Gauge.builder("gatehouse.invalidations.polling", this, tracker -> tracker.polling() ? 1 : 0)
			.description("1 while heartbeats are missing and the change log is polled")
			.register(meters);
	}

	/**
	 * Applies one change.
	 * @param change an invalidation or a removal
	 */
	void onChange(Change change) {
		switch (change) {
			case Invalidation invalidation ->
				this.applier.invalidate(invalidation.kind(), invalidation.key(), invalidation.seq());
			case Removal removal -> this.applier.installAbsent(removal.kind(), removal.key(), removal.seq());
		}
		synchronized (this) {
			this.head = Math.max(this.head, change.seq());
			if (this.applied < 0 || change.seq() <= this.applied) {
				return;
			}
			this.pending.add(change.seq());
			while (!this.pending.isEmpty() && this.pending.first() == this.applied + 1) {
				this.applied = this.pending.pollFirst();
			}
			if (!this.pending.isEmpty() && !this.catchUpWanted) {
				this.gaps.increment();
				this.catchUpWanted = true;
			}
		}
	}

	/**
	 * Takes a heartbeat: proof of coherence when it is not ahead, otherwise a reason to catch up.
	 * @param heartbeat the heartbeat
	 */
	void onHeartbeat(Heartbeat heartbeat) {
		long receivedAt = this.ticker.read();
		this.lastHeartbeat = receivedAt;
		String previous = this.epoch;
		this.epoch = heartbeat.epoch();
		if (previous == null) {
			// what this replica loaded before it knew the epoch may come from a Redis whose missed tombstones
			// the leading admin was still writing (this replica started just as Redis answered again): the
			// epoch that admin then started would look like the first one here, so L1 starts over now
			this.applier.invalidateAll();
		}
		else if (!previous.equals(heartbeat.epoch())) {
			logger.info("Redis epoch changed from {} to {}: clearing L1", previous, heartbeat.epoch());
			this.epochChanges.increment();
			this.applier.invalidateAll();
		}
		boolean current;
		synchronized (this) {
			this.head = Math.max(this.head, heartbeat.seq());
			current = this.applied >= 0 && heartbeat.seq() <= this.applied && this.pending.isEmpty();
			if (!current) {
				this.catchUpWanted = true;
			}
		}
		if (current) {
			this.lease.renew(receivedAt);
		}
	}

	/**
	 * The change channel was (re)subscribed: whatever was published meanwhile is lost.
	 */
	synchronized void onSubscribed() {
		this.catchUpWanted = true;
	}

	/**
	 * A message arrived that this version cannot read (a newer admin's, or a corrupt one). It may have
	 * announced any change, so L1 is cleared at once, never left stale, and the next tick catches up.
	 */
	void onUnreadable() {
		this.applier.invalidateAll();
		synchronized (this) {
			this.catchUpWanted = true;
		}
	}

	/**
	 * Catches up when there is a reason to: a gap, a heartbeat ahead, a subscription, or missing
	 * heartbeats (then at most once per poll interval).
	 */
	void tick() {
		long now = this.ticker.read();
		boolean wanted;
		synchronized (this) {
			wanted = this.catchUpWanted;
		}
		boolean poll = polling() && now - this.lastPoll >= this.pollIntervalNanos;
		if (wanted || poll) {
			this.lastPoll = now;
			catchUp(now);
		}
		boolean held = this.lease.valid();
		if (this.leaseHeld && !held) {
			this.leaseLapses.increment();
			logger.warn("The coherence lease lapsed: L1 is bypassed until coherence is proven again");
		}
		this.leaseHeld = held;
	}

	private void catchUp(long startedAt) {
		long from;
		synchronized (this) {
			this.catchUpWanted = false;
			from = this.applied;
		}
		try {
			long caughtUpTo = (from < 0) ? this.changeLog.head() : replaySince(from);
			synchronized (this) {
				this.applied = Math.max(this.applied, caughtUpTo);
				this.head = Math.max(this.head, this.applied);
				this.pending.headSet(this.applied, true).clear();
			}
			this.lease.renew(startedAt);
			this.catchUps.increment();
		}
		catch (RuntimeException ex) {
			this.failedCatchUps.increment();
			synchronized (this) {
				this.catchUpWanted = true;
			}
			if (from >= 0) {
				this.applier.invalidateAll();
			}
			logger.warn("Catch-up from the change log failed ({}); L1 cleared, retrying", ex.toString());
		}
	}

	/** Tombstones and invalidates every change after {@code from}, page by page; returns the head reached. */
	private long replaySince(long from) {
		long position = from;
		while (true) {
			ChangeLogReader.CatchUp page = this.changeLog.since(position, CATCH_UP_LIMIT);
			for (Invalidation change : page.changes()) {
				this.applier.tombstone(change.kind(), change.key(), change.seq());
				this.applier.invalidate(change.kind(), change.key(), change.seq());
			}
			if (page.changes().size() < CATCH_UP_LIMIT) {
				return page.head();
			}
			position = page.changes().get(page.changes().size() - 1).seq();
		}
	}

	/**
	 * Whether heartbeats are missing, so the change log is polled instead.
	 * @return true while degraded to polling
	 */
	boolean polling() {
		return this.ticker.read() - this.lastHeartbeat > this.heartbeatTimeoutNanos;
	}

	synchronized long applied() {
		return this.applied;
	}

	synchronized long lag() {
		return Math.max(0, this.head - Math.max(this.applied, 0));
	}

}

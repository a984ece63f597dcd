package dev.gatehouse.auth.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.model.ModelJson;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of entry in three tiers: L1 (Caffeine, in this process) in front of L2 (Redis) in front of
 * PostgreSQL.
 * <p>
 * L1 holds futures, so loads are single-flight per key: a burst of requests for a cold key waits on one
 * load. An invalidation removes the key's future even while its load is in flight; the load still
 * completes for the requests already waiting on it, but its result is never cached, so an invalidation
 * that races a load wins. Absent keys are cached too (negative entries); a deletion the admin announces
 * installs its negative entry directly ({@link #installAbsent}), with no load. Values are compiled once,
 * when they enter L1. While the {@link CoherenceLease} has lapsed, L1 is bypassed: every lookup loads from L2
 * or PostgreSQL and nothing is cached.
 *
 * @param <S> the stored form (JSON in L2)
 * @param <V> the compiled form kept in L1
 */
public final class TieredCache<S, V> {

	private static final Logger logger = LoggerFactory.getLogger(TieredCache.class);

	private final CacheKind kind;

	private final AsyncLoadingCache<String, Optional<V>> l1;

	/** Null for kinds that never go through Redis (see {@link TieredCacheFactory#createWithoutL2}). */
	private final L2Store l2;

	private final Function<String, Versioned<S>> source;

	private final Class<S> storedType;

	private final Function<S, V> compile;

	private final CoherenceLease lease;

	private final Executor loader;

	private final Counter l2Hits;

	private final Counter sourceLoads;

	private final Counter sourceFailures;

	/**
	 * The highest seq whose state L1 may reflect: raised by every load (to the seq its data was read at) and
	 * every change applied, never lowered. A negative entry at seq v is installed only while it is at most v.
	 * It is kept per kind rather than per key, which is conservative (a newer load of another key only turns
	 * an install into a drop) and costs no per-key bookkeeping.
	 */
	private final AtomicLong horizon = new AtomicLong(-1);

	TieredCache(CacheKind kind, Class<S> storedType, Function<String, Versioned<S>> source, Function<S, V> compile,
			L2Store l2, CacheSettings settings, CoherenceLease lease, Executor loader, MeterRegistry meters) {
		this.kind = kind;
		this.storedType = storedType;
		this.source = source;
		this.compile = compile;
		this.l2 = l2;
		this.lease = lease;
		this.loader = loader;
		this.l1 = Caffeine.newBuilder()
			.maximumSize(settings.maxEntries())
			.expireAfterWrite(settings.l1SafetyTtl())
			.executor(loader)
			.recordStats()
			.buildAsync((key, executor) -> CompletableFuture.supplyAsync(() -> load(key), executor));
		CaffeineCacheMetrics.monitor(meters, this.l1, "gatehouse." + kind.wireName());
		this.l2Hits = Counter.builder("gatehouse.l2.hits").tag("kind", kind.wireName()).register(meters);
		this.sourceLoads = Counter.builder("gatehouse.source.loads").tag("kind", kind.wireName()).register(meters);
		this.sourceFailures = Counter.builder("gatehouse.source.failures").tag("kind", kind.wireName()).register(meters);
	}

	/**
	 * The kind of entry this cache holds.
	 * @return the kind
	 */
	public CacheKind kind() {
		return this.kind;
	}

	/**
	 * Looks a key up without waiting: a warm key's future is already complete; a cold key's completes
	 * on a loader thread when its load ends (the load has no deadline of its own: whoever waits applies
	 * {@code gatehouse.auth.load-timeout}).
	 * @param key the key
	 * @return the compiled value's future, empty when the key does not exist
	 * @throws SourceUnavailableException when the loader's queue is full
	 */
	public CompletableFuture<Optional<V>> lookup(String key) {
		try {
			return this.lease.valid() ? this.l1.get(key) : CompletableFuture.supplyAsync(() -> load(key), this.loader);
		}
		catch (RejectedExecutionException ex) {
			throw new SourceUnavailableException("too many loads queued for %s '%s'".formatted(this.kind.wireName(), key), ex);
		}
	}

	/**
	 * Drops a key from L1, including a load in flight.
	 * @param key the key
	 * @param seq the seq of the change that invalidates it
	 */
	public void invalidate(String key, long seq) {
		// raised before the key is dropped: an older removal of this key that runs after must see it
		this.horizon.accumulateAndGet(seq, Math::max);
		if (this.l2 != null) {
			this.l2.changed(this.kind, key, seq);
		}
		this.l1.synchronous().invalidate(key);
	}

	/**
	 * Installs a negative entry: the key is absent as of {@code seq} (the admin deleted it in change seq), so
	 * the next lookup refuses it without a load. Like an invalidation, it replaces a load in flight, whose
	 * result is then never cached. It never lets an older state replace a newer one: when L1 may already
	 * reflect a state after {@code seq} (the horizon is above it), or while the lease has lapsed (nothing is
	 * cached then), the key is only dropped.
	 * @param key the key
	 * @param seq the seq of the deletion
	 * @return true when the negative entry was installed, false when the key was only dropped
	 */
	public boolean installAbsent(String key, long seq) {
		if (this.l2 != null) {
			this.l2.changed(this.kind, key, seq);
		}
		boolean[] installed = { false };
		this.l1.asMap().compute(key, (ignored, current) -> {
			// checked inside compute, so it is ordered with this key's invalidations, which raise the horizon
			// before dropping the key: a newer change seen first turns the install into a drop, one seen after
			// drops the negative entry itself; a load in flight is replaced here, so its result is never cached
			long before = this.horizon.getAndAccumulate(seq, Math::max);
			installed[0] = before <= seq && this.lease.valid();
			return installed[0] ? CompletableFuture.completedFuture(Optional.empty()) : null;
		});
		return installed[0];
	}

	/**
	 * Drops every key from L1.
	 */
	public void invalidateAll() {
		this.l1.synchronous().invalidateAll();
	}

	/** An entry another version wrote in a shape this one cannot read is a miss, not a failure. */
	private Optional<S> decode(String key, L2Entry.Present present) {
		try {
			return Optional.of(ModelJson.read(present.json(), this.storedType));
		}
		catch (RuntimeException ex) {
			logger.warn("Ignoring an unreadable L2 entry of {}/{}: {}", this.kind.wireName(), key, ex.getMessage());
			return Optional.empty();
		}
	}

	private Optional<V> load(String key) {
		Optional<L2Entry> cached = (this.l2 != null) ? this.l2.get(this.kind, key) : Optional.empty();
		if (cached.isPresent()) {
			switch (cached.get()) {
				case L2Entry.Present present -> {
					Optional<S> stored = decode(key, present);
					if (stored.isPresent()) {
						this.l2Hits.increment();
						this.horizon.accumulateAndGet(present.seq(), Math::max);
						return stored.map(this.compile);
					}
				}
				case L2Entry.Absent absent -> {
					this.l2Hits.increment();
					this.horizon.accumulateAndGet(absent.seq(), Math::max);
					return Optional.empty();
				}
				case L2Entry.Tombstone tombstone -> {
					// changed recently: the source decides
				}
			}
		}
		Versioned<S> read;
		try {
			this.sourceLoads.increment();
			read = this.source.apply(key);
		}
		catch (RuntimeException ex) {
			this.sourceFailures.increment();
			throw ex;
		}
		if (this.l2 != null) {
			L2Entry entry = (read.value() != null) ? new L2Entry.Present(read.seq(), ModelJson.write(read.value()))
					: new L2Entry.Absent(read.seq());
			this.l2.putIfNewer(this.kind, key, entry);
		}
		this.horizon.accumulateAndGet(read.seq(), Math::max);
		return Optional.ofNullable(read.value()).map(this.compile);
	}

}

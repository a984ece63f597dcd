package dev.gatehouse.auth.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared Redis tier: reads and guarded writes of versioned entries.
 * <p>
 * Every call has a short timeout and no retries, behind a circuit breaker ({@link L2Breaker}): after a
 * failure, L2 is skipped (no I/O at all) for {@code retryAfter}, then one call probes it again. A failed read
 * is a miss and a failed write is dropped, so an unreachable Redis degrades to PostgreSQL reads, never to
 * errors.
 * <p>
 * It remembers, for each key this replica saw change (a message or a catch-up), the seq the change had: its
 * <em>floor</em>. An entry older than the floor lacks the change's tombstone, whose write failed or was
 * skipped (Redis unreachable from the admin that made the change, or from this replica's catch-up); it is
 * read as that tombstone, so the source decides and the fill that follows repairs L2. Without it the old
 * entry would be cached in L1 again until the leading admin's tombstone horizon caught up and its next epoch
 * cleared L1, and for good if that admin never saw Redis fail. A floor lasts the L2 TTL (the old entry expires
 * with it) or until an entry at or above it is read; at most {@value #FLOORS} are kept, the oldest evicted
 * first, beyond which the horizon alone covers a key.
 */
public final class L2Store {

	private static final Logger logger = LoggerFactory.getLogger(L2Store.class);

	/** Floors kept at most: a change each, for an hour; far more than an hour of changes at one admin's rate. */
	static final int FLOORS = 100_000;

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final Duration ttl;

	private final Duration timeout;

	private final L2Entry.ScriptRunner scripts;

	private final L2Breaker breaker;

	private final Counter requests;

	private final Counter errors;

	private final Counter skipped;

	private final Counter belowFloor;

	private final Cache<String, Long> floors;

	/**
	 * Creates the store.
	 * @param redis the client
	 * @param keys the key scheme
	 * @param settings TTL, per-call timeout and how long to skip Redis after a failure
	 * @param ticker the time source of the circuit breaker
	 * @param meters where to count round trips, errors and skipped calls
	 */
	public L2Store(RedissonClient redis, RedisKeys keys, L2Settings settings, Ticker ticker, MeterRegistry meters) {
		this.redis = redis;
		this.keys = keys;
		this.ttl = settings.ttl();
		this.timeout = settings.timeout();
		this.scripts = (script, redisKey, arguments) -> redis
			.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).timeout(this.timeout).retryAttempts(0))
			.<Long>eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, List.<Object>of(redisKey), (Object[]) arguments);
		this.breaker = new L2Breaker(settings.retryAfter(), ticker);
		this.requests = Counter.builder("gatehouse.l2.requests").description("Round trips to the Redis cache tier").register(meters);
		this.errors = Counter.builder("gatehouse.l2.errors").description("Failed round trips to the Redis cache tier").register(meters);
		this.skipped = Counter.builder("gatehouse.l2.skipped").description("Calls skipped while Redis is failing").register(meters);
		this.belowFloor = Counter.builder("gatehouse.l2.below.floor")
			.description("L2 entries older than a change this replica applied: a tombstone was missing")
			.register(meters);
		this.floors = Caffeine.newBuilder().maximumSize(FLOORS).expireAfterWrite(this.ttl).ticker(ticker).build();
		Gauge.builder("gatehouse.l2.degraded", this, store -> store.degraded() ? 1 : 0)
			.description("1 while the Redis cache tier is bypassed after a failure")
			.register(meters);
	}

	/**
	 * Whether L2 is being skipped after a recent failure.
	 * @return true while the circuit breaker is open
	 */
	public boolean degraded() {
		return this.breaker.open();
	}

	/**
	 * Notes that a key changed in change {@code seq}: from now on an entry older than that is read as the
	 * change's tombstone.
	 * @param kind the kind of entry
	 * @param key its key
	 * @param seq the change's seq
	 */
	void changed(CacheKind kind, String key, long seq) {
		this.floors.asMap().merge(this.keys.entry(kind, key), seq, Math::max);
	}

	/**
	 * Reads an entry.
	 * @return the entry, or empty on a miss, while degraded, or when Redis cannot answer; an entry older than
	 * the key's floor as the floor's tombstone
	 */
	Optional<L2Entry> get(CacheKind kind, String key) {
		if (!permit()) {
			return Optional.empty();
		}
		String redisKey = this.keys.entry(kind, key);
		String stored;
		try {
			stored = this.redis.<String>getBucket(PlainOptions.name(redisKey)
				.codec(StringCodec.INSTANCE)
				.timeout(this.timeout)
				.retryAttempts(0)).get();
		}
		catch (RuntimeException ex) {
			failed("read", kind, key, ex);
			return Optional.empty();
		}
		this.breaker.succeeded();
		L2Entry entry;
		try {
			if (stored == null) {
				return Optional.empty();
			}
			entry = L2Entry.decode(stored);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring a malformed L2 entry of {}/{}: {}", kind.wireName(), key, ex.getMessage());
			return Optional.empty();
		}
		Long floor = this.floors.getIfPresent(redisKey);
		if (floor == null) {
			return Optional.of(entry);
		}
		if (entry.seq() >= floor) {
			this.floors.asMap().remove(redisKey, floor);
			return Optional.of(entry);
		}
		this.belowFloor.increment();
		return Optional.of(new L2Entry.Tombstone(floor));
	}

	/**
	 * Stores an entry unless Redis holds a newer one (see {@link L2Entry#putIfNewer}).
	 * @param kind the kind of entry
	 * @param key its key
	 * @param entry the entry
	 */
	public void putIfNewer(CacheKind kind, String key, L2Entry entry) {
		if (!permit()) {
			return;
		}
		try {
			L2Entry.putIfNewer(this.scripts, this.keys.entry(kind, key), entry, this.ttl);
		}
		catch (RuntimeException ex) {
			failed("write", kind, key, ex);
			return;
		}
		this.breaker.succeeded();
	}

	/** Whether the breaker lets a call through; a permitted call must end in succeeded or failed. */
	private boolean permit() {
		boolean permitted = this.breaker.permit();
		(permitted ? this.requests : this.skipped).increment();
		return permitted;
	}

	private void failed(String operation, CacheKind kind, String key, RuntimeException ex) {
		this.errors.increment();
		this.breaker.failed(ex);
		logger.debug("L2 {} of {}/{} failed: {}", operation, kind.wireName(), key, ex.toString());
	}

}

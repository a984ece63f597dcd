package dev.gatehouse.auth.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 */
public final class L2Store {

	private static final Logger logger = LoggerFactory.getLogger(L2Store.class);

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final Duration ttl;

	private final Duration timeout;

	private final L2Entry.ScriptRunner scripts;

	private final L2Breaker breaker;

	private final Counter requests;

	private final Counter errors;

	private final Counter skipped;

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
	 * Reads an entry.
	 * @return the entry, or empty on a miss, while degraded, or when Redis cannot answer
	 */
	Optional<L2Entry> get(CacheKind kind, String key) {
		if (!permit()) {
			return Optional.empty();
		}
		String stored;
		try {
			stored = this.redis.<String>getBucket(PlainOptions.name(this.keys.entry(kind, key))
				.codec(StringCodec.INSTANCE)
				.timeout(this.timeout)
				.retryAttempts(0)).get();
		}
		catch (RuntimeException ex) {
			failed("read", kind, key, ex);
			return Optional.empty();
		}
		this.breaker.succeeded();
		try {
			return (stored != null) ? Optional.of(L2Entry.decode(stored)) : Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring a malformed L2 entry of {}/{}: {}", kind.wireName(), key, ex.getMessage());
			return Optional.empty();
		}
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

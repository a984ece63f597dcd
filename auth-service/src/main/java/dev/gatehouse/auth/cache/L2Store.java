package dev.gatehouse.auth.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared Redis tier. Reads and guarded writes of versioned entries; every failure is reported as a
 * miss (reads) or ignored (writes), so an unreachable Redis degrades to PostgreSQL reads, never to errors.
 */
public class L2Store {

	private static final Logger logger = LoggerFactory.getLogger(L2Store.class);

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final String ttlMillis;

	private final Counter requests;

	private final Counter errors;

	public L2Store(RedissonClient redis, RedisKeys keys, Duration ttl, MeterRegistry meters) {
		this.redis = redis;
		this.keys = keys;
		this.ttlMillis = Long.toString(ttl.toMillis());
		this.requests = Counter.builder("gatehouse.l2.requests").description("Round trips to the Redis cache tier").register(meters);
		this.errors = Counter.builder("gatehouse.l2.errors").description("Failed round trips to the Redis cache tier").register(meters);
	}

	/**
	 * Reads an entry.
	 * @return the entry, or empty on a miss or when Redis cannot answer
	 */
	Optional<L2Entry> get(CacheKind kind, String key) {
		this.requests.increment();
		try {
			String stored = this.redis.<String>getBucket(this.keys.entry(kind, key), StringCodec.INSTANCE).get();
			return (stored != null) ? Optional.of(L2Entry.decode(stored)) : Optional.empty();
		}
		catch (RuntimeException ex) {
			failed("read", kind, key, ex);
			return Optional.empty();
		}
	}

	/**
	 * Stores an entry unless Redis holds a newer one (see {@link L2Entry#PUT_IF_NEWER_SCRIPT}).
	 */
	void putIfNewer(CacheKind kind, String key, L2Entry entry) {
		this.requests.increment();
		try {
			this.redis.getScript(StringCodec.INSTANCE)
				.eval(RScript.Mode.READ_WRITE, L2Entry.PUT_IF_NEWER_SCRIPT, RScript.ReturnType.LONG,
						List.of(this.keys.entry(kind, key)), entry.encode(), Long.toString(entry.seq()), this.ttlMillis);
		}
		catch (RuntimeException ex) {
			failed("write", kind, key, ex);
		}
	}

	private void failed(String operation, CacheKind kind, String key, RuntimeException ex) {
		this.errors.increment();
		logger.debug("L2 {} of {}/{} failed: {}", operation, kind.wireName(), key, ex.toString());
	}

}

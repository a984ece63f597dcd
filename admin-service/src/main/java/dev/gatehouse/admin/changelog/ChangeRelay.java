package dev.gatehouse.admin.changelog;

import java.time.Duration;
import java.util.UUID;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Covers what the post-commit publishing can miss.
 * <ul>
 * <li>Every {@code gatehouse.admin.heartbeat-interval} (1 s) it publishes a heartbeat with the latest
 * committed seq and the Redis epoch. A replica behind the heartbeat catches up from the change log, so a
 * change committed but never published (the admin died in between, or Redis was unreachable) still
 * reaches every replica. While PostgreSQL is unreachable nothing can commit, so the last seq read is
 * still the latest.</li>
 * <li>When the epoch key is missing, Redis has started without its data (restart, failover): tombstones
 * are gone, and a replica that read PostgreSQL before a recent change could fill L2 with stale data. It
 * sets a new epoch (replicas then clear L1) and re-tombstones every change of the last L2 TTL.</li>
 * <li>At start-up it re-tombstones the same tail, for changes whose publishing a crash interrupted, after
 * claiming the namespace for this database (see {@link #claimNamespace()}).</li>
 * </ul>
 */
@Component
class ChangeRelay implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ChangeRelay.class);

	/** Claiming runs once, at start-up, before anything is published: it may wait longer than a heartbeat. */
	private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);

	private final JdbcClient jdbc;

	private final ChangeLog changeLog;

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final InvalidationPublisher publisher;

	private final Duration tail;

	private final Duration timeout;

	private final Counter heartbeats;

	private final Counter epochs;

	private volatile long lastSeq = -1;

	ChangeRelay(JdbcClient jdbc, ChangeLog changeLog, RedissonClient redis, RedisKeys keys, InvalidationPublisher publisher,
			AdminProperties properties, ChangeRelayProperties relay, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.changeLog = changeLog;
		this.redis = redis;
		this.keys = keys;
		this.publisher = publisher;
		this.tail = properties.l2EntryTtl();
		this.timeout = relay.redisTimeout();
		this.heartbeats = Counter.builder("gatehouse.heartbeats.published").register(meters);
		this.epochs = Counter.builder("gatehouse.redis.epochs.started").register(meters);
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			claimNamespace();
			retombstoneTail();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not re-tombstone recent changes at start-up ({}); the next epoch check retries", ex.toString());
		}
	}

	/** Publishes a heartbeat; scheduled by {@link ChangeLogConfiguration}. */
	void heartbeat() {
		try {
			this.lastSeq = this.changeLog.latestSeq();
		}
		catch (RuntimeException ex) {
			logger.debug("PostgreSQL unreachable for the heartbeat; announcing the last seq read: {}", ex.toString());
		}
		if (this.lastSeq < 0) {
			return;
		}
		try {
			this.publisher.publish(new Heartbeat(this.lastSeq, epoch()));
			this.heartbeats.increment();
		}
		catch (RuntimeException ex) {
			logger.debug("Redis unreachable for the heartbeat: {}", ex.toString());
		}
	}

	/** The current epoch; starts a new one, re-tombstoning the tail, when Redis has lost it. */
	private String epoch() {
		RBucket<String> epoch = this.redis.getBucket(PlainOptions.name(this.keys.epoch())
			.codec(StringCodec.INSTANCE)
			.timeout(this.timeout)
			.retryAttempts(0));
		String current = epoch.get();
		if (current != null) {
			return current;
		}
		String fresh = UUID.randomUUID().toString();
		if (epoch.setIfAbsent(fresh)) {
			this.epochs.increment();
			logger.info("Redis has no epoch: starting epoch {} and re-tombstoning the last {} of changes", fresh, this.tail);
			retombstoneTail();
			return fresh;
		}
		return epoch.get();
	}

	/**
	 * A namespace belongs to one database. Entries another database wrote carry seqs of its own change
	 * log, which would refuse our fills and tombstones: when the namespace was last claimed by another
	 * installation, its cache entries are deleted before this admin publishes anything.
	 */
	private void claimNamespace() {
		String installation = this.jdbc.sql("select uuid from installation where id = 1").query(String.class).single();
		RBucket<String> owner = this.redis.getBucket(PlainOptions.name(this.keys.key("installation"))
			.codec(StringCodec.INSTANCE)
			.timeout(CLAIM_TIMEOUT));
		if (!installation.equals(owner.get())) {
			long deleted = this.redis.getKeys().deleteByPattern(this.keys.key("cache:*"));
			logger.info("Claimed Redis namespace {} for installation {}; deleted {} cache entries of another one",
					this.keys.key(""), installation, deleted);
			owner.set(installation);
		}
	}

	private void retombstoneTail() {
		this.changeLog.committedWithin(this.tail).forEach(this.publisher::tombstone);
	}

}

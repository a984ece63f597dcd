package dev.gatehouse.admin.changelog;

import java.time.Duration;
import java.util.UUID;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.admin.leader.Leadership;
import dev.gatehouse.model.invalidation.ChangeMessage.Heartbeat;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.RedisException;
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
 * Every admin publishes heartbeats: any one of them is a valid proof for the replicas.</li>
 * <li>On the leader ({@link Leadership}): when the epoch key is missing, Redis has started without its
 * data, and when a primary is new (a restart, a failover), it may have lost recent writes: tombstones may
 * be gone, and a replica that read PostgreSQL before a recent change could fill L2 with stale data. It
 * re-tombstones every change of the last L2 TTL and then sets a new epoch (replicas then clear L1).</li>
 * <li>At start-up it re-tombstones the same tail, for changes whose publishing a crash interrupted, after
 * claiming the namespace for this database (see {@link #claimNamespace()}).</li>
 * </ul>
 */
@Component
class ChangeRelay implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ChangeRelay.class);

	/** Claiming runs once, at start-up, before anything is published: it may wait longer than a heartbeat. */
	private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * At least this for a primary's INFO: Redisson's node API may open a connection for it first, which a
	 * loaded machine does not always do within a data command's timeout.
	 */
	private static final Duration INFO_TIMEOUT = Duration.ofSeconds(1);

	/** Between an epoch's random part and the fingerprint of the primaries it started with. */
	private static final String EPOCH_SEPARATOR = "/";

	private final JdbcClient jdbc;

	private final ChangeLog changeLog;

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final InvalidationPublisher publisher;

	private final Duration tail;

	private final Duration timeout;

	private final Counter heartbeats;

	private final Counter epochs;

	private final Leadership leadership;

	private final RedisPrimaries primaries;

	private volatile long lastSeq = -1;

	/** Whether Redis failed this admin (a read or write of the relay) since the last epoch check that passed. */
	private volatile boolean redisMissed;

	ChangeRelay(JdbcClient jdbc, ChangeLog changeLog, RedissonClient redis, RedisKeys keys, InvalidationPublisher publisher,
			AdminProperties properties, ChangeRelayProperties relay, Leadership leadership, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.changeLog = changeLog;
		this.redis = redis;
		this.keys = keys;
		this.publisher = publisher;
		this.tail = properties.l2EntryTtl();
		this.timeout = relay.redisTimeout();
		this.leadership = leadership;
		this.primaries = new RedisPrimaries(redis,
				(relay.redisTimeout().compareTo(INFO_TIMEOUT) > 0) ? relay.redisTimeout() : INFO_TIMEOUT);
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
		boolean read = false;
		try {
			this.lastSeq = this.changeLog.latestSeq();
			read = true;
		}
		catch (RuntimeException ex) {
			logger.debug("PostgreSQL unreachable for the heartbeat; announcing the last seq read: {}", ex.toString());
		}
		if (this.lastSeq < 0) {
			return;
		}
		try {
			String epoch = epoch();
			if (epoch == null) {
				return;
			}
			if (read && this.leadership.isLeader()) {
				tombstoneThrough(this.lastSeq);
			}
			this.publisher.publish(new Heartbeat(this.lastSeq, epoch));
			this.heartbeats.increment();
		}
		catch (RuntimeException ex) {
			if (causedByRedis(ex)) {
				// a write of this heartbeat (a tombstone, the horizon) may be missing: the next epoch check
				// that reaches Redis starts a new epoch
				this.redisMissed = true;
			}
			logger.debug("Redis or PostgreSQL unreachable for the heartbeat: {}", ex.toString());
		}
	}

	private static boolean causedByRedis(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Makes sure every change through {@code head} has its tombstone in Redis: writes again those after the
	 * horizon stored in Redis (usually none, or the few the admins committed since the last heartbeat, whose
	 * tombstones are then guarded no-ops), then moves the horizon to {@code head}. A tombstone whose write
	 * failed (Redis unreachable from the admin that committed it, or that admin died first) is so written
	 * within a heartbeat of Redis answering the leader again; a replica's catch-up may have written it
	 * already, unless Redis was unreachable from it too. The horizon is written after the tombstones it
	 * covers, and replication keeps a primary's order, so a promoted replica that has the horizon has them.
	 */
	private void tombstoneThrough(long head) {
		RBucket<String> horizon = horizon();
		long after = seqOrZero(horizon.get());
		if (after == head) {
			return;
		}
		// a horizon ahead of the change log is not this log's (a restored database): start over from the tail
		this.changeLog.committedBetween((after < head) ? after : 0, head, this.tail).forEach(this.publisher::tombstone);
		horizon.set(Long.toString(head));
	}

	/** A stored seq; 0 (everything within the tail) when missing or not a number. */
	private static long seqOrZero(String stored) {
		try {
			return (stored != null) ? Long.parseLong(stored) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private RBucket<String> horizon() {
		return this.redis.getBucket(PlainOptions.name(this.keys.tombstoneHorizon())
			.codec(StringCodec.INSTANCE)
			.timeout(this.timeout)
			.retryAttempts(0));
	}

	/**
	 * The current epoch. On the leader, first checks that Redis still holds every write it was given, and
	 * starts a new epoch (replicas clear L1 when it reaches them) after writing again what may be missing:
	 * <ul>
	 * <li>the epoch key is missing (Redis started without its data), or a primary Redisson talks to is not
	 * one the epoch started with (a restart, or a promoted replica, which may lack the writes its old primary
	 * had not replicated yet, in any shard): the tail of the last L2 TTL is re-tombstoned. The epoch's value
	 * ends with those primaries' fingerprint, so the check is one GET and one INFO per primary, and it
	 * survives a change of leader;</li>
	 * <li>Redis was unreachable from this admin since its last heartbeat, with its data kept (a partition):
	 * the changes after the tombstone horizon are re-tombstoned ({@link #tombstoneThrough}). The new epoch
	 * then drops whatever a replica read from L2 between Redis answering again and those tombstones.</li>
	 * </ul>
	 * @return the epoch, or null when there is none yet (a follower then skips the heartbeat)
	 */
	private String epoch() {
		RBucket<String> epoch = this.redis.getBucket(PlainOptions.name(this.keys.epoch())
			.codec(StringCodec.INSTANCE)
			.timeout(this.timeout)
			.retryAttempts(0));
		String current;
		String primaries;
		try {
			current = epoch.get();
			if (!this.leadership.isLeader()) {
				return current;
			}
			primaries = this.primaries.fingerprint();
		}
		catch (RuntimeException ex) {
			this.redisMissed = true;
			throw ex;
		}
		boolean samePrimaries = current != null && current.endsWith(EPOCH_SEPARATOR + primaries);
		if (samePrimaries && !this.redisMissed) {
			return current;
		}
		String fresh = UUID.randomUUID() + EPOCH_SEPARATOR + primaries;
		long head = this.lastSeq;
		// tombstones first: replicas clear L1 when the new epoch reaches them, and must not refill it from
		// entries a lost tombstone no longer guards
		if (samePrimaries) {
			logger.info("Redis answers again: starting epoch {} after re-tombstoning the changes it may have missed", fresh);
			tombstoneThrough(head);
		}
		else {
			logger.info("{}: starting epoch {} after re-tombstoning the last {} of changes",
					(current == null) ? "Redis has no epoch" : "Redis has a primary the epoch did not start with", fresh,
					this.tail);
			retombstoneTail();
			horizon().set(Long.toString(head));
		}
		epoch.set(fresh);
		this.redisMissed = false;
		this.epochs.increment();
		return fresh;
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
			horizon().delete();
			logger.info("Claimed Redis namespace {} for installation {}; deleted {} cache entries of another one",
					this.keys.key(""), installation, deleted);
			owner.set(installation);
		}
	}

	private void retombstoneTail() {
		this.changeLog.committedBetween(0, Long.MAX_VALUE, this.tail).forEach(this.publisher::tombstone);
	}

}

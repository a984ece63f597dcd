package dev.gatehouse.admin.changelog;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.ChangeMessage;
import dev.gatehouse.model.invalidation.ChangeMessage.Change;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.ChangeMessage.Removal;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * After a change commits, replaces its L2 entry with a tombstone carrying the change's seq (so no replica
 * can write back data read before the change), or for a removal with the absence at that seq, and then
 * publishes the change to every replica.
 * <p>
 * It runs on the request thread before the admin answers, so a 2xx means every connected replica has
 * been told. Redis calls are short and never retried: when Redis is unreachable the admin still answers,
 * and replicas learn the change from the change log (heartbeats, or polling while Redis is down).
 */
@Component
class InvalidationPublisher {

	private static final Logger logger = LoggerFactory.getLogger(InvalidationPublisher.class);

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final Duration entryTtl;

	private final Duration timeout;

	private final L2Entry.ScriptRunner scripts;

	InvalidationPublisher(RedissonClient redis, RedisKeys keys, AdminProperties properties, ChangeRelayProperties relay) {
		this.redis = redis;
		this.keys = keys;
		this.entryTtl = properties.l2EntryTtl();
		this.timeout = relay.redisTimeout();
		this.scripts = (script, redisKey, arguments) -> redis
			.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).timeout(this.timeout).retryAttempts(0))
			.<Long>eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, List.<Object>of(redisKey), (Object[]) arguments);
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void committed(Change change) {
		try {
			switch (change) {
				case Invalidation invalidation -> {
					tombstone(invalidation);
					publish(invalidation);
				}
				case Removal removal -> {
					markAbsent(removal);
					// replicas released before Removal existed ignore it (until the next heartbeat): they are told
					// by the invalidation, which newer replicas follow at once with the negative entry
					publish(new Invalidation(removal.seq(), removal.kind(), removal.key()));
					publish(removal);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish change {} to Redis ({}); replicas will catch up from the change log",
					change.seq(), ex.toString());
		}
	}

	/**
	 * Writes the tombstone of a change into L2, unless L2 already holds something newer.
	 * @param invalidation the change
	 */
	void tombstone(Invalidation invalidation) {
		L2Entry.putIfNewer(this.scripts, this.keys.entry(invalidation.kind(), invalidation.key()),
				new L2Entry.Tombstone(invalidation.seq()), this.entryTtl);
	}

	/**
	 * Writes the absence a deletion leaves into L2 instead of a tombstone, so replicas answer the key from L2
	 * without reading PostgreSQL. It keeps the tombstone's guarantees: {@code Absent(seq)} is what a replica
	 * reading at seq would store itself (seqs follow commit order, so every snapshot at seq sees the key
	 * gone), and {@link L2Entry#putIfNewer} treats it like any fill of seq: it replaces older entries and a
	 * tombstone of its own seq (a replica's catch-up may have written one first), never a newer entry (the
	 * tombstone or fill of a later re-creation), and every fill read before seq is refused, as the tombstone
	 * would refuse it.
	 * @param removal the deletion
	 */
	private void markAbsent(Removal removal) {
		L2Entry.putIfNewer(this.scripts, this.keys.entry(removal.kind(), removal.key()), new L2Entry.Absent(removal.seq()),
				this.entryTtl);
	}

	/**
	 * Publishes a message on the change channel.
	 * @param message a change or a heartbeat
	 */
	void publish(ChangeMessage message) {
		this.redis
			.getTopic(PlainOptions.name(this.keys.changeChannel()).codec(StringCodec.INSTANCE).timeout(this.timeout).retryAttempts(0))
			.publish(message.encode());
	}

}

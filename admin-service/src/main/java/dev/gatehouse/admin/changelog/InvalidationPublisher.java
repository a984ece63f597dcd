package dev.gatehouse.admin.changelog;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.ChangeMessage;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
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
 * can write back data read before the change) and then publishes the invalidation to every replica.
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

	private final Duration tombstoneTtl;

	private final Duration timeout;

	private final L2Entry.ScriptRunner scripts;

	InvalidationPublisher(RedissonClient redis, RedisKeys keys, AdminProperties properties, ChangeRelayProperties relay) {
		this.redis = redis;
		this.keys = keys;
		this.tombstoneTtl = properties.l2EntryTtl();
		this.timeout = relay.redisTimeout();
		this.scripts = (script, redisKey, arguments) -> redis
			.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).timeout(this.timeout).retryAttempts(0))
			.<Long>eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, List.<Object>of(redisKey), (Object[]) arguments);
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void committed(Invalidation invalidation) {
		try {
			tombstone(invalidation);
			publish(invalidation);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish change {} to Redis ({}); replicas will catch up from the change log",
					invalidation.seq(), ex.toString());
		}
	}

	/**
	 * Writes the tombstone of a change into L2, unless L2 already holds something newer.
	 * @param invalidation the change
	 */
	void tombstone(Invalidation invalidation) {
		L2Entry.putIfNewer(this.scripts, this.keys.entry(invalidation.kind(), invalidation.key()),
				new L2Entry.Tombstone(invalidation.seq()), this.tombstoneTtl);
	}

	/**
	 * Publishes a message on the change channel.
	 * @param message an invalidation or a heartbeat
	 */
	void publish(ChangeMessage message) {
		this.redis
			.getTopic(PlainOptions.name(this.keys.changeChannel()).codec(StringCodec.INSTANCE).timeout(this.timeout).retryAttempts(0))
			.publish(message.encode());
	}

}

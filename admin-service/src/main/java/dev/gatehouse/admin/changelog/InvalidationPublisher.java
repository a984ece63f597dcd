package dev.gatehouse.admin.changelog;

import java.util.List;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * After a change commits, replaces its L2 entry with a tombstone carrying the change's seq (so no replica
 * can write back data read before the change) and publishes the invalidation to every replica.
 * <p>
 * It runs on the request thread before the admin answers, so a 2xx means every connected replica has
 * been told. When Redis is unreachable the change stays in the change log for replicas to catch up from.
 */
@Component
class InvalidationPublisher {

	private static final Logger logger = LoggerFactory.getLogger(InvalidationPublisher.class);

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final long tombstoneTtlMillis;

	InvalidationPublisher(RedissonClient redis, RedisKeys keys, AdminProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.tombstoneTtlMillis = properties.l2EntryTtl().toMillis();
	}

	@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
	void publish(Invalidation invalidation) {
		try {
			L2Entry tombstone = new L2Entry.Tombstone(invalidation.seq());
			this.redis.getScript(StringCodec.INSTANCE)
				.eval(RScript.Mode.READ_WRITE, L2Entry.PUT_IF_NEWER_SCRIPT, RScript.ReturnType.LONG,
						List.of(this.keys.entry(invalidation.kind(), invalidation.key())), tombstone.encode(),
						Long.toString(invalidation.seq()), Long.toString(this.tombstoneTtlMillis));
			this.redis.getTopic(this.keys.changeChannel(), StringCodec.INSTANCE).publish(invalidation.encode());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish change {} to Redis ({}); replicas will catch up from the change log",
					invalidation.seq(), ex.toString());
		}
	}

}

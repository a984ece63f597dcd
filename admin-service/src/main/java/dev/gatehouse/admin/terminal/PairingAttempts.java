package dev.gatehouse.admin.terminal;

import java.time.Duration;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;

import org.springframework.stereotype.Component;

/**
 * Limits failed pairing attempts per client address and in total, in Redis, so every admin instance
 * shares the count. Once a limit is reached, pairing is refused until the window ends.
 */
@Component
class PairingAttempts {

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final Duration window;

	private final int perClient;

	private final int total;

	PairingAttempts(RedissonClient redis, RedisKeys keys, AdminProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.window = properties.pairingFailureWindow();
		this.perClient = properties.pairingFailuresPerClient();
		this.total = properties.pairingFailuresTotal();
	}

	/**
	 * Whether a client may try to pair now.
	 * @param client the client's address
	 * @return false while the client or everyone together has used up the failures of the window
	 */
	boolean allowed(String client) {
		return clientCounter(client).get() < this.perClient && totalCounter().get() < this.total;
	}

	/**
	 * Counts a failed attempt.
	 * @param client the client's address
	 */
	void failed(String client) {
		count(clientCounter(client));
		count(totalCounter());
	}

	/**
	 * How long until the window of failures ends.
	 * @return the retry delay to advertise
	 */
	Duration retryAfter() {
		return this.window;
	}

	private void count(RAtomicLong counter) {
		if (counter.incrementAndGet() == 1) {
			counter.expire(this.window);
		}
	}

	private RAtomicLong clientCounter(String client) {
		return this.redis.getAtomicLong(this.keys.key("pairing-failures:client:" + client));
	}

	private RAtomicLong totalCounter() {
		return this.redis.getAtomicLong(this.keys.key("pairing-failures:total"));
	}

}

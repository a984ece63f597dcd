package dev.gatehouse.admin.terminal;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.admin.config.AdminProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

import org.springframework.stereotype.Component;

/**
 * Limits pairing attempts, in Redis so every admin instance shares the counts. Each attempt is counted
 * and checked in one script before the code is looked at, so parallel guesses cannot slip past the limit.
 * <p>
 * A client (its real address, see {@code server.tomcat.remoteip.internal-proxies}) has a few attempts per
 * window; past them, every further attempt doubles its wait, up to a maximum. All clients together have a
 * ceiling far above what one client can reach, so guessing stays slow without one client being able to
 * lock pairing for everyone. A successful pairing clears the client's count.
 */
@Component
class PairingAttempts {

	/**
	 * KEYS[1] the client's counter, KEYS[2] the global counter (one hash slot); ARGV: free attempts per
	 * client, global ceiling, window (ms), longest wait (ms). Returns 0 when the attempt may go ahead,
	 * else how many ms to wait. Refused attempts count too: hammering only lengthens the wait.
	 */
	private static final String ATTEMPT_SCRIPT = """
			local window = tonumber(ARGV[3])
			local attempts = redis.call('INCR', KEYS[1])
			if attempts == 1 then redis.call('PEXPIRE', KEYS[1], window) end
			local excess = attempts - tonumber(ARGV[1])
			if excess > 0 then
			  local wait = math.min(window * math.pow(2, math.min(excess - 1, 32)), tonumber(ARGV[4]))
			  redis.call('PEXPIRE', KEYS[1], math.floor(wait))
			  return math.floor(wait)
			end
			local total = redis.call('INCR', KEYS[2])
			if total == 1 then redis.call('PEXPIRE', KEYS[2], window) end
			if total > tonumber(ARGV[2]) then
			  return math.max(redis.call('PTTL', KEYS[2]), 1)
			end
			return 0
			""";

	private final RedissonClient redis;

	private final RedisKeys keys;

	private final List<Object> limits;

	PairingAttempts(RedissonClient redis, RedisKeys keys, AdminProperties properties) {
		this.redis = redis;
		this.keys = keys;
		this.limits = List.of(Integer.toString(properties.pairingAttemptsPerClient()),
				Integer.toString(properties.pairingAttemptsTotal()), Long.toString(properties.pairingWindow().toMillis()),
				Long.toString(properties.pairingMaxBackoff().toMillis()));
	}

	/**
	 * Counts an attempt and tells whether it may go ahead.
	 * @param client the client's address
	 * @return zero when the attempt may go ahead, else how long the client must wait
	 */
	Duration attempt(String client) {
		Long wait = this.redis.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE))
			.eval(RScript.Mode.READ_WRITE, ATTEMPT_SCRIPT, RScript.ReturnType.LONG,
					List.of(clientKey(client), this.keys.key("pairing:{attempts}:total")), this.limits.toArray());
		return Duration.ofMillis(wait);
	}

	/**
	 * Clears a client's count after it paired.
	 * @param client the client's address
	 */
	void succeeded(String client) {
		this.redis.getBucket(clientKey(client), StringCodec.INSTANCE).delete();
	}

	private String clientKey(String client) {
		return this.keys.key("pairing:{attempts}:client:" + client);
	}

}

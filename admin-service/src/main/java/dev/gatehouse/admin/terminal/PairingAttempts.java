package dev.gatehouse.admin.terminal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
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
 * A client has a few attempts per window; past them, every further attempt doubles its wait, up to a
 * maximum. A client is its real address (see {@code server.tomcat.remoteip.internal-proxies}), an IPv6
 * address counted with its /56 (one customer's allocation, not one host's), anything that is no address
 * at all in one shared bucket. All clients together have a ceiling per pairing code far above what one
 * client can reach: a flood from many addresses can use up a code (the admin issues a new one, with a new
 * budget), but never guess it with better odds than the ceiling allows. A successful pairing clears the
 * client's count.
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
					List.of(clientKey(client), totalKey()), this.limits.toArray());
		return Duration.ofMillis(wait);
	}

	/**
	 * Starts a new budget for all clients together: a new code has not been guessed at.
	 */
	void codeIssued() {
		this.redis.getBucket(totalKey(), StringCodec.INSTANCE).delete();
	}

	/**
	 * Clears a client's count after it paired.
	 * @param client the client's address
	 */
	void succeeded(String client) {
		this.redis.getBucket(clientKey(client), StringCodec.INSTANCE).delete();
	}

	private String clientKey(String client) {
		return this.keys.key("pairing:{attempts}:client:" + clientBucket(client));
	}

	private String totalKey() {
		return this.keys.key("pairing:{attempts}:total");
	}

	/**
	 * Whose attempts an address counts as: an IPv4 address itself, an IPv6 address its /56 (IPv4-mapped ones
	 * as IPv4), anything else (a forged or malformed forwarded value) the one bucket {@code other}. Never
	 * a name lookup.
	 * @param address the client's address as the servlet container reports it
	 * @return the bucket
	 */
	static String clientBucket(String address) {
		byte[] bytes = literal(address);
		if (bytes == null) {
			return "other";
		}
		if (bytes.length == 4) {
			return "v4:%d.%d.%d.%d".formatted(bytes[0] & 0xff, bytes[1] & 0xff, bytes[2] & 0xff, bytes[3] & 0xff);
		}
		return "v6:" + HexFormat.of().formatHex(bytes, 0, 7) + "::/56";
	}

	/** The bytes of an IP literal, or null; IPv4 strictly dotted-decimal, IPv6 only with a colon (no lookup). */
	private static byte[] literal(String address) {
		if (address == null || address.isEmpty() || address.length() > 45) {
			return null;
		}
		if (address.indexOf(':') < 0) {
			String[] parts = address.split("\\.", -1);
			if (parts.length != 4) {
				return null;
			}
			byte[] bytes = new byte[4];
			for (int i = 0; i < 4; i++) {
				if (!parts[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(parts[i]) > 255) {
					return null;
				}
				bytes[i] = (byte) Integer.parseInt(parts[i]);
			}
			return bytes;
		}
		if (!address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
			return null;
		}
		try {
			// with a colon and hex digits only, this parses a literal and never asks DNS
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}

package dev.gatehouse.model.invalidation;

import java.time.Duration;
import java.util.Objects;

/**
 * A versioned entry of the shared Redis cache. Every entry carries the change-log {@code seq} its data
 * was read at (or, for a tombstone, the seq of the change that invalidated it); every write, the replicas'
 * fills and the admin's tombstones and absences alike, goes through {@link #putIfNewer}, so an older entry
 * never replaces a newer one.
 * <p>
 * Text form: {@code <seq>|P|<json>}, {@code <seq>|A|} or {@code <seq>|T|}.
 */
public sealed interface L2Entry {

	/**
	 * Atomically stores {@code ARGV[1]} (an encoded entry) with a TTL of {@code ARGV[3]} ms under
	 * {@code KEYS[1]} unless the stored entry is newer. {@code ARGV[2]} is the new entry's seq.
	 * A tombstone replaces only entries older than itself; a value or an absence also replaces a tombstone of
	 * its own seq, because data read at seq v already reflects the change v. Returns 1 when stored, else 0.
	 */
	String PUT_IF_NEWER_SCRIPT = """
			local current = redis.call('GET', KEYS[1])
			if current then
			  local sep = string.find(current, '|', 1, true)
			  local currentSeq = tonumber(string.sub(current, 1, sep - 1))
			  local currentType = string.sub(current, sep + 1, sep + 1)
			  local newSeq = tonumber(ARGV[2])
			  local newType = string.sub(ARGV[1], string.find(ARGV[1], '|', 1, true) + 1, string.find(ARGV[1], '|', 1, true) + 1)
			  if currentSeq > newSeq then return 0 end
			  if currentSeq == newSeq and (newType == 'T' or currentType ~= 'T') then return 0 end
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
			return 1
			""";

	/**
	 * Stores an entry under a Redis key unless Redis holds a newer one: {@link #PUT_IF_NEWER_SCRIPT} with its
	 * arguments in the order the script reads them. The one place both services write L2 from.
	 * @param redis runs the script on the caller's client, with the caller's timeout and retry policy
	 * @param redisKey the entry's key ({@link RedisKeys#entry})
	 * @param entry the entry
	 * @param ttl how long Redis keeps it
	 * @return true when stored, false when Redis held a newer entry
	 */
	static boolean putIfNewer(ScriptRunner redis, String redisKey, L2Entry entry, Duration ttl) {
		return redis.eval(PUT_IF_NEWER_SCRIPT, redisKey, entry.encode(), Long.toString(entry.seq()),
				Long.toString(ttl.toMillis())) == 1;
	}

	/**
	 * Runs a Lua script on Redis ({@code EVAL} with one key), returning its integer answer: all that
	 * {@link #putIfNewer} needs from a Redis client.
	 */
	@FunctionalInterface
	interface ScriptRunner {

		/**
		 * Runs a script.
		 * @param script the Lua source
		 * @param key {@code KEYS[1]}
		 * @param arguments {@code ARGV}
		 * @return the script's integer answer
		 */
		long eval(String script, String key, String... arguments);

	}

	/**
	 * The seq this entry is valid at.
	 * @return the seq
	 */
	long seq();

	/**
	 * Encodes the entry for Redis.
	 * @return the text form
	 */
	String encode();

	/**
	 * Decodes a stored entry.
	 * @param text the text form
	 * @return the entry
	 * @throws IllegalArgumentException for a malformed entry
	 */
	static L2Entry decode(String text) {
		int first = text.indexOf('|');
		if (first < 1 || text.length() < first + 3 || text.charAt(first + 2) != '|') {
			throw new IllegalArgumentException("malformed L2 entry");
		}
		long seq;
		try {
			seq = Long.parseLong(text, 0, first, 10);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed seq in L2 entry", ex);
		}
		return switch (text.charAt(first + 1)) {
			case 'P' -> new Present(seq, text.substring(first + 3));
			case 'A' -> new Absent(seq);
			case 'T' -> new Tombstone(seq);
			default -> throw new IllegalArgumentException("unknown L2 entry type '%s'".formatted(text.charAt(first + 1)));
		};
	}

	/**
	 * A value, as JSON.
	 *
	 * @param seq the seq the value was read at
	 * @param json the value
	 */
	record Present(long seq, String json) implements L2Entry {

		public Present {
			Objects.requireNonNull(json, "json");
		}

		@Override
		public String encode() {
			return this.seq + "|P|" + this.json;
		}

	}

	/**
	 * A negative entry: the key did not exist at {@code seq}. Replicas write it after reading an absent key;
	 * the admin writes it for a deletion at {@code seq} (a {@link ChangeMessage.Removal}), since every
	 * snapshot at that seq reads the key absent.
	 *
	 * @param seq the seq the absence was read at, or of the deletion
	 */
	record Absent(long seq) implements L2Entry {

		@Override
		public String encode() {
			return this.seq + "|A|";
		}

	}

	/**
	 * The key changed at {@code seq}; anything read before that is stale. Readers treat it as a miss.
	 *
	 * @param seq the seq of the change
	 */
	record Tombstone(long seq) implements L2Entry {

		@Override
		public String encode() {
			return this.seq + "|T|";
		}

	}

}

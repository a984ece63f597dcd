package dev.gatehouse.model.invalidation;

import java.util.regex.Pattern;

/**
 * The Redis key scheme. Every key, channel and stream starts with a namespace, so several clusters,
 * test runs and the local demo can share one Redis (pub/sub ignores database numbers).
 */
public final class RedisKeys {

	/**
	 * The version of the cached records' JSON shape, part of every entry key: bump it when a record
	 * changes incompatibly, so a new release never reads entries an older one wrote (and vice versa).
	 */
	public static final int ENTRY_FORMAT = 3;

	/**
	 * The namespace of a cluster that sets none; the admin and its replicas must agree on it.
	 */
	public static final String DEFAULT_NAMESPACE = "gatehouse";

	private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final String prefix;

	/**
	 * Creates the key scheme of a namespace.
	 * @param namespace letters, digits, {@code . _ -}; at most 64 characters
	 */
	public RedisKeys(String namespace) {
		if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
			throw new IllegalArgumentException(
					"a Redis namespace must be 1-64 letters, digits, '.', '_' or '-', not '%s'".formatted(namespace));
		}
		this.prefix = namespace + ":";
	}

	/**
	 * The L2 entry of one cached key.
	 * @param kind the kind of entry
	 * @param key its key
	 * @return the Redis key
	 */
	public String entry(CacheKind kind, String key) {
		return this.prefix + "cache:v" + ENTRY_FORMAT + ":" + kind.wireName() + ":" + key;
	}

	/**
	 * The pub/sub channel of change messages.
	 * @return the channel name
	 */
	public String changeChannel() {
		return this.prefix + "changes";
	}

	/**
	 * The epoch key: a random value and the fingerprint of the primaries it started with, which the leading
	 * admin replaces when it finds it missing (Redis started without its data) or a primary new (a restart or
	 * a failover). Heartbeats carry it, so replicas notice.
	 * @return the key
	 */
	public String epoch() {
		return this.prefix + "epoch";
	}

	/**
	 * The tombstone horizon: the seq through which the leading admin has made sure every change's tombstone
	 * is in this Redis, so a tombstone whose write failed (Redis unreachable) is written again once Redis
	 * answers.
	 * @return the key
	 */
	public String tombstoneHorizon() {
		return this.prefix + "tombstoned-through";
	}

	/**
	 * The stream replicas publish app and terminal activity to.
	 * @return the stream key
	 */
	public String activityStream() {
		return this.prefix + "activity";
	}

	/**
	 * Any other key of the namespace.
	 * @param suffix the rest of the key
	 * @return the namespaced key
	 */
	public String key(String suffix) {
		return this.prefix + suffix;
	}

}

package dev.gatehouse.model.invalidation;

import java.time.Duration;

import org.redisson.config.Config;
import org.redisson.config.DelayStrategy;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.ReadMode;

/**
 * The Redisson settings the invalidation protocol depends on, the same in the admin and in every replica,
 * whatever the topology:
 * <ul>
 * <li>reads go to primaries, not to replicas (Redisson's default on Sentinel and Cluster): replication is
 * asynchronous, so a replica may still hold the value a tombstone has just replaced on its primary; an auth
 * replica that read it after the invalidation would cache the stale value in L1, and the admin must read
 * what it has just written (the epoch, the tombstone horizon, the namespace it claimed);</li>
 * <li>a lost connection is retried at least every second, instead of Redisson's back-off of up to 10 s, and
 * a Cluster's topology is read every second (Redisson's default is 5 s): the leading admin sees a Redis that
 * answers again, or a new primary, about when the replicas do, and writes the tombstones it missed before
 * they read much.</li>
 * </ul>
 */
public final class RedisClientSettings {

	private static final DelayStrategy RECONNECTION = new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1));

	private static final int CLUSTER_SCAN_MILLIS = 1000;

	private RedisClientSettings() {
	}

	/**
	 * Applies the settings to a client's configuration (one server, Sentinel or Cluster).
	 * @param config the configuration, its topology already chosen
	 */
	public static void apply(Config config) {
		if (config.isClusterConfig()) {
			config.useClusterServers()
				.setReadMode(ReadMode.MASTER)
				.setReconnectionDelay(RECONNECTION)
				.setScanInterval(CLUSTER_SCAN_MILLIS);
		}
		else if (config.isSentinelConfig()) {
			config.useSentinelServers().setReadMode(ReadMode.MASTER).setReconnectionDelay(RECONNECTION);
		}
		else if (config.isSingleConfig()) {
			config.useSingleServer().setReconnectionDelay(RECONNECTION);
		}
	}

}

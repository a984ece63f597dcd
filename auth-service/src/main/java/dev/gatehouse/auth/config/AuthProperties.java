package dev.gatehouse.auth.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of an auth replica.
 *
 * @param loadTimeout how long a request waits for a cold entry (L2, then PostgreSQL) before it is answered
 * 503; keep it under a second so a slow database fails requests fast instead of queueing them
 * @param loaderThreads threads that load cold entries; a burst for one key still makes one load
 * @param maxEntries the L1 bound of each kind of entry
 * @param l1SafetyTtl how long an L1 entry may live without being invalidated (a safety net only)
 * @param l2Ttl how long an entry stays in Redis
 * @param l2Timeout how long one Redis cache call may take; there are no retries
 * @param l2RetryAfter how long the Redis cache is skipped after a failed call
 * @param coherenceLease how long L1 is trusted after the last proof that it is current (a heartbeat
 * that is not ahead, or a catch-up); this bounds staleness when every invalidation path fails
 * @param heartbeatTimeout without a heartbeat for this long, the replica polls the change log itself
 * @param pollInterval how often the change log is polled while heartbeats are missing
 * @param activityFlushInterval how often coalesced activity is sent to the admin
 * @param activityTimeout how long one activity flush to Redis may take; there are no retries (a batch that
 * fails is dropped and counted). Off the request path, so looser than {@code l2Timeout}
 * @param replicaId this replica's name in activity events; defaults to process id and host name
 * @param shutdownDelay how long a stopping replica keeps serving after its readiness turned down, so the
 * proxy's health check takes it out before its connector closes (longer than the check's interval plus
 * timeout; zero in tests)
 */
@ConfigurationProperties("gatehouse.auth")
public record AuthProperties(@DefaultValue("900ms") Duration loadTimeout, @DefaultValue("16") int loaderThreads,
		@DefaultValue("200000") long maxEntries, @DefaultValue("10m") Duration l1SafetyTtl,
		@DefaultValue("1h") Duration l2Ttl, @DefaultValue("100ms") Duration l2Timeout,
		@DefaultValue("1s") Duration l2RetryAfter, @DefaultValue("3s") Duration coherenceLease,
		@DefaultValue("2s") Duration heartbeatTimeout, @DefaultValue("500ms") Duration pollInterval,
		@DefaultValue("1s") Duration activityFlushInterval, @DefaultValue("250ms") Duration activityTimeout,
		String replicaId, @DefaultValue("0s") Duration shutdownDelay) {

	public AuthProperties {
		requirePositive("load-timeout", loadTimeout);
		requirePositive("l1-safety-ttl", l1SafetyTtl);
		requirePositive("l2-ttl", l2Ttl);
		requirePositive("l2-timeout", l2Timeout);
		requirePositive("l2-retry-after", l2RetryAfter);
		requirePositive("coherence-lease", coherenceLease);
		requirePositive("heartbeat-timeout", heartbeatTimeout);
		requirePositive("poll-interval", pollInterval);
		requirePositive("activity-flush-interval", activityFlushInterval);
		requirePositive("activity-timeout", activityTimeout);
		if (shutdownDelay.isNegative()) {
			throw new IllegalArgumentException("gatehouse.auth.shutdown-delay must not be negative, not " + shutdownDelay);
		}
		if (loaderThreads < 1) {
			throw new IllegalArgumentException("gatehouse.auth.loader-threads must be at least 1, not " + loaderThreads);
		}
		if (maxEntries < 1) {
			throw new IllegalArgumentException("gatehouse.auth.max-entries must be at least 1, not " + maxEntries);
		}
		if (replicaId == null || replicaId.isBlank()) {
			replicaId = ProcessHandle.current().pid() + "@" + hostName();
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("gatehouse.auth.%s must be positive, not %s".formatted(name, value));
		}
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}

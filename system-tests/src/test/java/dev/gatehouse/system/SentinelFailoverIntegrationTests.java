package dev.gatehouse.system;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.testsupport.RedisSentinelProcesses;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis behind Sentinel (a primary, a replica, three sentinels: real processes), the admin and three
 * replicas configured through the sentinels, failed over twice under steady forwardAuth traffic:
 * <ol>
 * <li>the primary is killed while its replica's link is cut, so the promoted replica lacks the last writes,
 * among them the absence of a terminal revoked just before: the leading admin sees a primary its epoch did
 * not start with, re-tombstones the tail and starts a new epoch, and the revoked terminal never comes back,
 * not even on a replica that starts afterwards with an empty L1;</li>
 * <li>the killed server comes back as a replica and a graceful {@code SENTINEL FAILOVER} moves the primary
 * to it while another terminal is revoked.</li>
 * </ol>
 * Throughout, no answer differs from what a Redis that never failed would give. Each revocation is enforced
 * by every replica within 3 s: the failure table's bound for Redis unreachable (2 s without heartbeats, then
 * a 500 ms poll), with margin (docs/testing.md). After each failover pub/sub (heartbeats: replicas leave
 * polling) and the activity stream (the admin receives activity again) work on the new primary.
 */
class SentinelFailoverIntegrationTests {

	private static final Duration ENFORCED_WITHIN = Duration.ofSeconds(3);

	private static RedisSentinelProcesses redis;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		Assumptions.assumeFalse(TestServices.clusterMode(),
				"brings its own Redis Sentinel: the Redis Cluster pass would run the same test again");
		redis = RedisSentinelProcesses.start();
		Map<String, Object> sentinel = Map.of("spring.data.redis.sentinel.master", redis.masterName(),
				"spring.data.redis.sentinel.nodes", redis.sentinelNodeList());
		cluster = GatehouseCluster.start(3,
				GatehouseCluster.Options.DEFAULTS.withAdminProperties(sentinel).withReplicaProperties(sentinel));
		Scenarios.createIdentity(cluster, "Owner");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void failoversUnderTrafficGiveNoWrongAnswerAndLoseNoRevocation() throws Exception {
		Scenarios.installDemoApp(cluster, "steady");
		Scenarios.Paired staying = Scenarios.pair(cluster, "Staying");
		Scenarios.Paired lost = Scenarios.pair(cluster, "Revoked before a lossy failover");
		Scenarios.Paired graceful = Scenarios.pair(cluster, "Revoked during a graceful failover");
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		// replica index + token: once refused after its revocation, a terminal must stay refused there
		Set<String> refused = ConcurrentHashMap.newKeySet();
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger requests = new AtomicInteger();
		MeterRegistry admin = cluster.admin().getBean(MeterRegistry.class);
		try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int client = 0; client < 3; client++) {
				int replica = client;
				load.submit(() -> {
					while (running.get()) {
						expect(wrong, replica, "public", cluster.auth(replica, "steady.example.org", "/").statusCode(), 200);
						expect(wrong, replica, "paired terminal", status(replica, staying), 200);
						for (Scenarios.Paired terminal : new Scenarios.Paired[] { lost, graceful }) {
							boolean wasRevoked = revoked.contains(terminal.token());
							int status = status(replica, terminal);
							String key = replica + terminal.token();
							if (status == 401 && wasRevoked) {
								refused.add(key);
							}
							else if (status != 200 || refused.contains(key)) {
								wrong.add("replica %d: terminal '%s' answered %d (revoked: %s, refused there before: %s)"
									.formatted(replica, terminal.terminalId(), status, wasRevoked, refused.contains(key)));
							}
						}
						requests.addAndGet(4);
					}
				});
			}
			// a failed step stops the load, or closing the executor would wait for it forever
			try {
				Scenarios.awaitMore(requests, 100);
				// the installation as it runs: an epoch set, and heard by every replica (two heartbeats later)
				await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.count(admin, "gatehouse.redis.epochs.started") >= 1);
				double published = Metrics.count(admin, "gatehouse.heartbeats.published");
				await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.count(admin, "gatehouse.heartbeats.published") >= published + 2);
				double epochs = Metrics.count(admin, "gatehouse.redis.epochs.started");

				// 1. a lossy failover: the replica misses the revocation's writes, then its primary dies
				InetSocketAddress first = redis.currentPrimary();
				double[] epochChanges = epochChanges();
				redis.replicationLink().cut();
				revokeAndFailOver(lost, revoked, redis::killPrimary);
				await().atMost(Duration.ofSeconds(10))
					.alias("the leader saw the promoted primary and started an epoch")
					.until(() -> Metrics.count(admin, "gatehouse.redis.epochs.started") > epochs);
				awaitResumed(admin, epochChanges);
				// a replica with an empty L1 reads L2 on the new primary: the re-tombstoned absence, not the
				// terminal the lost writes had removed
				int late = cluster.startReplica(null);
				assertThat(status(late, lost)).as("a revoked terminal on a replica started after the failover").isEqualTo(401);
				assertThat(status(late, staying)).isEqualTo(200);

				// 2. a graceful failover back to the first server, which returns as a replica, empty
				redis.restart(first);
				epochChanges = epochChanges();
				assertThat(revokeAndFailOver(graceful, revoked, redis::failover)).isEqualTo(first);
				awaitResumed(admin, epochChanges);
				Scenarios.awaitMore(requests, 100);
			}
			finally {
				running.set(false);
			}
		}
		assertThat(wrong).as("answers that differ from what a Redis that never failed would give").isEmpty();
	}

	private static int status(int replica, Scenarios.Paired terminal) {
		return cluster.auth(replica, "steady.example.org", "/private", cookie(terminal.token())).statusCode();
	}

	/**
	 * Revokes a terminal, fails over on another thread at once (after the revocation, so its writes reach
	 * only the primary being failed over from), and awaits the revocation's enforcement by every replica,
	 * timed from the revocation, during the failover.
	 * @return the new primary
	 */
	private static InetSocketAddress revokeAndFailOver(Scenarios.Paired terminal, Set<String> revoked,
			Callable<InetSocketAddress> failover) throws Exception {
		revoked.add(terminal.token());
		assertThat(cluster.admin("DELETE", "/api/terminals/" + terminal.terminalId(), null).statusCode())
			.as("the admin commits whatever Redis does").isEqualTo(204);
		long revokedAt = System.nanoTime();
		try (ExecutorService sentinel = Executors.newSingleThreadExecutor()) {
			Future<InetSocketAddress> promoted = sentinel.submit(failover);
			for (int replica = 0; replica < 3; replica++) {
				int index = replica;
				await().atMost(ENFORCED_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> status(index, terminal) == 401);
			}
			Duration enforced = Duration.ofNanos(System.nanoTime() - revokedAt);
			System.out.printf("revocation during the failover enforced by every replica after %d ms%n", enforced.toMillis());
			assertThat(enforced).as("from the revocation until every replica refuses it").isLessThanOrEqualTo(ENFORCED_WITHIN);
			return promoted.get();
		}
	}

	/** How often each replica has seen the epoch change so far. */
	private static double[] epochChanges() {
		double[] changes = new double[cluster.replicaCount()];
		for (int replica = 0; replica < changes.length; replica++) {
			changes[replica] = Metrics.count(cluster.replicaMeters(replica), "gatehouse.redis.epoch.changes");
		}
		return changes;
	}

	/**
	 * Pub/sub works on the new primary: every replica got the heartbeat that announced the new epoch (the
	 * leader sets it only there) and none is polling. The admin receives activity from the stream again.
	 */
	private static void awaitResumed(MeterRegistry admin, double[] epochChangesBefore) {
		for (int replica = 0; replica < epochChangesBefore.length; replica++) {
			MeterRegistry meters = cluster.replicaMeters(replica);
			double before = epochChangesBefore[replica];
			await().atMost(Duration.ofSeconds(10))
				.alias("replica %d heard the new epoch over pub/sub and left polling".formatted(replica))
				.until(() -> Metrics.count(meters, "gatehouse.redis.epoch.changes") > before
						&& Metrics.gauge(meters, "gatehouse.invalidations.polling") == 0);
		}
		double received = Metrics.count(admin, "gatehouse.activity.received");
		await().atMost(Duration.ofSeconds(10))
			.alias("activity events on the new primary")
			.until(() -> Metrics.count(admin, "gatehouse.activity.received") > received);
	}

	private static void expect(ConcurrentLinkedQueue<String> wrong, int replica, String what, int status, int expected) {
		if (status != expected) {
			wrong.add("replica %d: %s answered %d".formatted(replica, what, status));
		}
	}

}

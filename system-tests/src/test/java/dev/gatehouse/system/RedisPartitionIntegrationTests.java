package dev.gatehouse.system;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.gatehouse.testsupport.TcpProxy;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis unreachable from every service while it keeps its data (a partition, not a crash). A change made
 * meanwhile has its tombstone written by no one: the admin's write fails, and the replicas' catch-ups skip
 * L2 behind their circuit breakers. So Redis, once it answers again, still holds the entry from before the
 * change, and neither the epoch key nor the primary changed. The leading admin, which missed Redis too,
 * writes the tombstones after its tombstone horizon again and starts a new epoch once Redis answers it: a
 * replica that starts meanwhile, with an empty L1 that reads L2 first, may read the old entry for that
 * moment, and then refuses the terminal revoked during the partition for good.
 */
class RedisPartitionIntegrationTests {

	private static TcpProxy redis;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		redis = new TcpProxy(TestServices.redis());
		cluster = GatehouseCluster.start(2,
				GatehouseCluster.Options.DEFAULTS.withRedis(new InetSocketAddress("127.0.0.1", redis.port())));
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
	void aRevocationDuringAPartitionIsTombstonedOnceRedisAnswersAgain() {
		Scenarios.installDemoApp(cluster, "partitioned");
		Scenarios.Paired leaving = Scenarios.pair(cluster, "Leaving");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			// the replicas load the terminal, and fill L2 with it
			assertThat(status(replica, leaving)).isEqualTo(200);
		}

		redis.cut();
		assertThat(cluster.admin("DELETE", "/api/terminals/" + leaving.terminalId(), null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			// the failure table's bound for Redis unreachable: 2 s without heartbeats, then a 500 ms poll
			await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> status(index, leaving) == 401);
		}

		double epochs = Metrics.count(cluster.admin().getBean(MeterRegistry.class), "gatehouse.redis.epochs.started");
		redis.restore();
		long restored = System.nanoTime();
		int late = cluster.startReplica(null);
		// it may have read the old entry before the leader's next heartbeat; the new epoch drops it
		await().atMost(Duration.ofSeconds(5))
			.alias("a terminal revoked during the partition, on a replica started after it")
			.until(() -> status(late, leaving) == 401);
		System.out.printf("refused by a replica started after the partition %d ms after Redis answered again%n",
				Duration.ofNanos(System.nanoTime() - restored).toMillis());
		assertThat(Metrics.count(cluster.admin().getBean(MeterRegistry.class), "gatehouse.redis.epochs.started"))
			.as("an epoch started once Redis answered the leader again").isGreaterThan(epochs);
		assertThat(status(late, leaving)).isEqualTo(401);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(status(replica, leaving)).isEqualTo(401);
		}
	}

	private static int status(int replica, Scenarios.Paired terminal) {
		return cluster.auth(replica, "partitioned.example.org", "/private", cookie(terminal.token())).statusCode();
	}

}

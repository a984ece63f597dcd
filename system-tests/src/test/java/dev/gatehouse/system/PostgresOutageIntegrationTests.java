package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.auth.config.AuthProperties;
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
 * PostgreSQL cut off from a replica: warm keys are still answered, cold keys fail fast with 503 (never a
 * guessed 200), nothing piles up, and the replica recovers by itself.
 */
class PostgresOutageIntegrationTests {

	private static TcpProxy proxy;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		proxy = new TcpProxy(TestServices.postgres());
		cluster = GatehouseCluster.start(1, GatehouseCluster.Options.DEFAULTS
			.withReplicaDatabaseUrl(url -> url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"))
			// one event loop: a cold request and the warm ones share it, as they would under load
			.withReplicaProperties(Map.of("gatehouse.auth.http.event-loops", 1)));
		Scenarios.createIdentity(cluster, "Owner");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
		if (proxy != null) {
			proxy.close();
		}
	}

	@Test
	void warmKeysAreServedColdKeysFailFastAndTheReplicaRecovers() throws Exception {
		Scenarios.installDemoApp(cluster, "warm");
		Scenarios.installDemoApp(cluster, "cold");
		Scenarios.Paired paired = Scenarios.pair(cluster, "Tablet");
		assertThat(cluster.auth(0, "warm.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);

		MeterRegistry meters = cluster.replicaMeters(0);
		Duration lease = cluster.replica(0).getBean(AuthProperties.class).coherenceLease();
		double lapses = Metrics.count(meters, "gatehouse.coherence.lease.lapses");
		proxy.cut();
		try {
			// the span is the point, not a wait: for longer than the coherence lease, every poll finds the warm
			// keys answered and L1 trusted, because heartbeats (Redis is up) keep proving L1 current; without
			// them the lease would lapse after Δ and L1 be bypassed
			await().during(lease.plusSeconds(1)).atMost(lease.plusSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
				assertThat(cluster.auth(0, "warm.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);
				assertThat(cluster.auth(0, "warm.example.org", "/").statusCode()).isEqualTo(200);
				assertThat(Metrics.gauge(meters, "gatehouse.coherence.lease.valid")).as("L1 trusted").isEqualTo(1);
				return true;
			});
			assertThat(Metrics.count(meters, "gatehouse.coherence.lease.lapses")).as("lease lapses").isEqualTo(lapses);
			// the bound: the 900 ms load timeout (docs/consistency.md, failure table), plus the request itself
			List<Long> elapsed = coldBurst(20);
			assertThat(elapsed).as("every cold request answered within the load timeout plus slack, in ms")
				.allSatisfy(millis -> assertThat(millis).isLessThan(1500));
			assertThat(Metrics.gauge(meters, "hikaricp.connections.active")).isLessThanOrEqualTo(4);
			assertThat(Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("cache-loader-")))
				.as("loads run on a bounded pool").hasSizeLessThanOrEqualTo(16);
		}
		finally {
			proxy.restore();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> cluster.auth(0, "cold.example.org", "/").statusCode() == 200);
		assertThat(cluster.auth(0, "warm.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);
	}

	/**
	 * The database stalls (bytes held, nothing closed): a cold request waits on its load, and meanwhile
	 * warm requests on the same event loop are answered. Had the event loop waited for the load, not one
	 * warm answer would come before the cold one.
	 */
	@Test
	void aStalledDatabaseDelaysOnlyTheColdRequests() throws Exception {
		Scenarios.installDemoApp(cluster, "steady");
		Scenarios.installDemoApp(cluster, "stalled");
		assertThat(cluster.auth(0, "steady.example.org", "/").statusCode()).isEqualTo(200);
		proxy.hold();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<HttpResponse<String>> cold = clients.submit(() -> cluster.auth(0, "stalled.example.org", "/"));
			int warmWhileCold = 0;
			while (!cold.isDone()) {
				assertThat(cluster.auth(0, "steady.example.org", "/").statusCode()).isEqualTo(200);
				warmWhileCold++;
			}
			assertThat(cold.get().statusCode()).as("the stalled load ends in 503 at the load timeout").isEqualTo(503);
			assertThat(warmWhileCold).as("warm answers while the cold one waited").isGreaterThan(20);
			assertThat(cluster.get(cluster.replicaUrl(0) + "/actuator/health/readiness").statusCode())
				.as("readiness does not depend on the database: the proxy keeps the replica").isEqualTo(200);
		}
		finally {
			proxy.restore();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> cluster.auth(0, "stalled.example.org", "/").statusCode() == 200);
	}

	/** Concurrent requests for a key the replica never loaded: each must be 503, fast. */
	private static List<Long> coldBurst(int requests) throws Exception {
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<Long>> results = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				results.add(clients.submit(() -> {
					long start = System.nanoTime();
					HttpResponse<String> response = cluster.auth(0, "cold.example.org", "/");
					assertThat(response.statusCode()).isEqualTo(503);
					return Duration.ofNanos(System.nanoTime() - start).toMillis();
				}));
			}
			List<Long> elapsed = new ArrayList<>();
			for (Future<Long> result : results) {
				elapsed.add(result.get());
			}
			return elapsed;
		}
	}

}

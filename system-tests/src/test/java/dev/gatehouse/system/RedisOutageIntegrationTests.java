package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.testsupport.RedisProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed under load, then restarted empty: requests keep their answers, a revocation during the
 * outage is enforced on every replica, and the caches re-sync afterwards.
 * <p>
 * The revocation's bound is the failure table's for Redis down (docs/consistency.md): no heartbeat for
 * 2 s starts polling, which finds the change within one 500 ms poll interval, so 2.5 s; awaited for 3 s.
 * The revocation follows the kill at once, the case closest to that worst case.
 */
class RedisOutageIntegrationTests {

	private static RedisProcess redis;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		redis = RedisProcess.start();
		cluster = GatehouseCluster.start(2, GatehouseCluster.Options.DEFAULTS.withRedis(redis.address()));
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
	void killedRedisDegradesServiceWithoutWrongAnswers() {
		Scenarios.installDemoApp(cluster, "steady");
		Scenarios.Paired staying = Scenarios.pair(cluster, "Staying");
		Scenarios.Paired leaving = Scenarios.pair(cluster, "Leaving");
		AtomicBoolean leavingRevoked = new AtomicBoolean();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger requests = new AtomicInteger();
		double epochsBeforeRestart;
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int client = 0; client < 4; client++) {
				int replica = client % 2;
				load.submit(() -> {
					while (running.get()) {
						expect(wrong, cluster.auth(replica, "steady.example.org", "/"), 200, "public");
						expect(wrong, cluster.auth(replica, "steady.example.org", "/private", cookie(staying.token())), 200,
								"paired terminal");
						boolean revoked = leavingRevoked.get();
						int status = cluster.auth(replica, "steady.example.org", "/private", cookie(leaving.token())).statusCode();
						if (!revoked && status != 200) {
							wrong.add("terminal refused before its revocation: " + status);
						}
						requests.addAndGet(3);
					}
				});
			}
			// under load: it runs before Redis dies and on after (conditions on the load, not a time)
			Scenarios.awaitMore(requests, 60);
			redis.kill();
			Scenarios.awaitMore(requests, 60);

			HttpResponse<String> created = cluster.admin("PUT", "/api/apps/during", Scenarios.DEMO_APP);
			assertThat(created.statusCode()).as("the admin commits without Redis").isEqualTo(201);
			HttpResponse<String> revoked = cluster.admin("DELETE", "/api/terminals/" + leaving.terminalId(), null);
			assertThat(revoked.statusCode()).isEqualTo(204);
			leavingRevoked.set(true);
			long revokedAt = System.nanoTime();
			for (int replica = 0; replica < cluster.replicaCount(); replica++) {
				int index = replica;
				await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(
						() -> cluster.auth(index, "steady.example.org", "/private", cookie(leaving.token())).statusCode() == 401);
				assertThat(cluster.auth(index, "during.example.org", "/").statusCode())
					.as("an app installed during the outage is served from PostgreSQL").isEqualTo(200);
			}
			System.out.printf("revocation during the Redis outage refused by every replica after %d ms%n",
					Duration.ofNanos(System.nanoTime() - revokedAt).toMillis());

			// the first epoch may not have been started yet when Redis died (the leader checks every second)
			epochsBeforeRestart = Metrics.count(cluster.admin().getBean(MeterRegistry.class), "gatehouse.redis.epochs.started");
			redis.restart();
			HttpResponse<String> replaced = cluster.admin("PUT", "/api/apps/steady",
					"{\"paths\": {\"/\": {\"access\": \"public\", \"headers\": {\"X-Ptl-Foo\": \"after\"}}, "
							+ "\"/private\": {\"access\": \"private\"}}}");
			assertThat(replaced.statusCode()).isEqualTo(200);
			for (int replica = 0; replica < cluster.replicaCount(); replica++) {
				int index = replica;
				await().atMost(Duration.ofSeconds(5)).until(() -> "after"
					.equals(ForwardAuthIntegrationTests.header(cluster.auth(index, "steady.example.org", "/"), "X-Ptl-Foo")));
			}
			running.set(false);
		}
		assertThat(wrong).as("answers that differ from what Redis being up would give").isEmpty();
		assertThat(requests.get()).isGreaterThan(100);
		assertThat(Metrics.count(cluster.replicaMeters(0), "gatehouse.l2.errors")).as("Redis was really gone").isPositive();
		MeterRegistry admin = cluster.admin().getBean(MeterRegistry.class);
		double epochs = epochsBeforeRestart;
		await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.count(admin, "gatehouse.redis.epochs.started") > epochs);
		double received = Metrics.count(admin, "gatehouse.activity.received");
		assertThat(cluster.auth(0, "steady.example.org", "/").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.alias("activity events resume on the new Redis")
			.until(() -> Metrics.count(admin, "gatehouse.activity.received") > received);
	}

	private static void expect(ConcurrentLinkedQueue<String> wrong, HttpResponse<String> response, int status, String what) {
		if (response.statusCode() != status) {
			wrong.add(what + ": " + response.statusCode());
		}
	}


}

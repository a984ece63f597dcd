package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import dev.gatehouse.admin.leader.Leadership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two admins of one installation at once: both serve the API, and the work that must happen once (here
 * the lifecycle loop) runs on the leader only, the holder of a PostgreSQL advisory lock. Each admin has a
 * runtime of its own, so the test sees which admin acted. A killed admin's process is in the end-to-end
 * tests ({@code TwoAdminsEndToEndIntegrationTests}); here the leader loses its lock's session while its
 * process lives on, the harder case: a deposed leader that must stop acting.
 */
class TwoAdminsIntegrationTests {

	/** Every always-on app that is not running is started on each run of the loop: 10 runs a second. */
	private static final String LOOP_PERIOD = "100ms";

	private static final RecordingAppRuntime firstRuntime = new RecordingAppRuntime();

	private static final RecordingAppRuntime secondRuntime = new RecordingAppRuntime();

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(2, GatehouseCluster.Options.DEFAULTS
			.withAdminProperties(Map.of("gatehouse.admin.lifecycle.runtime", "docker", "gatehouse.admin.lifecycle.period",
					LOOP_PERIOD))
			.withAdminBeans(Map.of("appRuntime", firstRuntime)));
		cluster.startAdmin(Map.of("appRuntime", secondRuntime));
		Scenarios.createIdentity(cluster, "Owner");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void mutationsThroughBothAdminsKeepSeqsGapFreeAndEveryReplicaConverges() throws Exception {
		List<Future<List<String>>> writers = new ArrayList<>();
		try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
			for (int writer = 0; writer < 4; writer++) {
				int admin = writer % 2;
				String prefix = "mix" + writer + "-";
				writers.add(clients.submit(() -> mutate(admin, prefix)));
			}
		}
		List<String> deleted = new ArrayList<>();
		for (Future<List<String>> writer : writers) {
			deleted.addAll(writer.get());
		}
		JdbcClient jdbc = JdbcClient.create(cluster.admin().getBean(DataSource.class));
		Map<String, Object> log = jdbc.sql("select count(*) as n, min(seq) as low, max(seq) as high from change_log")
			.query()
			.singleRow();
		long head = jdbc.sql("select seq from change_counter").query(Long.class).single();
		assertThat(((Number) log.get("low")).longValue()).isEqualTo(1);
		assertThat(((Number) log.get("n")).longValue()).as("no seq missing or repeated").isEqualTo(head);
		assertThat(((Number) log.get("high")).longValue()).isEqualTo(head);

		// changes are published by the admin that made them, before its answer: no catch-up needed, so the
		// bound is a margin for a loaded machine (docs/testing.md)
		await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			for (int writer = 0; writer < 4; writer++) {
				for (int i = 0; i < 20; i++) {
					String app = "mix" + writer + "-" + i;
					int expected = deleted.contains(app) ? 404 : 200;
					for (int replica = 0; replica < cluster.replicaCount(); replica++) {
						assertThat(cluster.auth(replica, app + ".example.org", "/").statusCode()).as(app).isEqualTo(expected);
					}
				}
			}
		});
	}

	/** Creates 20 apps through one admin, updates each through the other, and deletes every third there. */
	private static List<String> mutate(int admin, String prefix) {
		List<String> deleted = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String app = prefix + i;
			expect(cluster.adminAt(admin, "Bearer " + GatehouseCluster.ADMIN_TOKEN, "PUT", "/api/apps/" + app,
					"{\"paths\": {\"/\": {\"access\": \"public\"}}}"), 201);
			expect(cluster.adminAt(1 - admin, "Bearer " + GatehouseCluster.ADMIN_TOKEN, "PUT", "/api/apps/" + app,
					"{\"paths\": {\"/\": {\"access\": \"public\"}, \"/admin\": {\"access\": \"private\"}}}"), 200);
			if (i % 3 == 0) {
				expect(cluster.adminAt(1 - admin, "Bearer " + GatehouseCluster.ADMIN_TOKEN, "DELETE", "/api/apps/" + app,
						null), 204);
				deleted.add(app);
			}
		}
		return deleted;
	}

	private static void expect(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
	}

	@Test
	void onlyTheLeaderRunsTheLifecycleLoopAndADeposedLeaderStopsActing() {
		firstRuntime.installStuck("stuck");
		secondRuntime.installStuck("stuck");
		assertThat(cluster.admin("PUT", "/api/apps/stuck",
				"{\"paths\": {\"/\": {\"access\": \"public\"}}, \"lifecycle\": {\"always_on\": true}}").statusCode())
			.isEqualTo(201);
		int leader = leaderIndex();
		RecordingAppRuntime leading = (leader == 0) ? firstRuntime : secondRuntime;
		RecordingAppRuntime following = (leader == 0) ? secondRuntime : firstRuntime;
		await().atMost(Duration.ofSeconds(5)).until(() -> leading.count("start stuck") >= 5);
		assertThat(following.count("start stuck")).as("the follower's loop ran as often, and did nothing").isZero();

		// the leader's session ends (as when PostgreSQL drops a vanished host's connection) while its process
		// lives on
		long started = System.nanoTime();
		JdbcClient.create(cluster.admin().getBean(DataSource.class))
			.sql("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted "
					+ "and database = (select oid from pg_database where datname = current_database())")
			.query()
			.listOfRows();
		await().atMost(Duration.ofSeconds(3)).until(() -> leaderIndex() == 1 - leader);
		System.out.printf("leadership moved after %d ms%n", (System.nanoTime() - started) / 1_000_000);
		long deposedStarts = leading.count("start stuck");
		await().atMost(Duration.ofSeconds(5)).until(() -> following.count("start stuck") >= 5);
		assertThat(leading.count("start stuck")).as("the deposed leader acted no more").isEqualTo(deposedStarts);
		assertThat(leaders()).as("exactly one leader").isEqualTo(1);
	}

	/** The index of the one admin that leads, or -1 while there is not exactly one. */
	private static int leaderIndex() {
		boolean first = cluster.admin(0).getBean(Leadership.class).isLeader();
		boolean second = cluster.admin(1).getBean(Leadership.class).isLeader();
		return (first == second) ? -1 : (first ? 0 : 1);
	}

	private static long leaders() {
		return List.of(0, 1).stream().filter((index) -> cluster.admin(index).getBean(Leadership.class).isLeader()).count();
	}

}

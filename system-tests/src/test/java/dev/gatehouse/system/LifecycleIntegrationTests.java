package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.admin.lifecycle.LifecycleService;
import dev.gatehouse.model.app.AppStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * App lifecycle through the real path: replicas report activity to the Redis stream, the admin records
 * it (debounced) and starts apps that are not running; the control loop stops idle apps and keeps
 * always-on ones running. The container runtime is in memory (no Docker engine here). Time passes only
 * when a test moves the clock the admin and the replicas share: the debounce window and idle timeouts
 * pass without waiting.
 */
class LifecycleIntegrationTests {

	/** {@code gatehouse.admin.activity-debounce}, as its default; only the clock moves past it. */
	private static final Duration DEBOUNCE = Duration.ofSeconds(60);

	private static final RecordingAppRuntime runtime = new RecordingAppRuntime();

	/** Every time-dependent decision of the admin reads it, and the replicas stamp activity events with it. */
	private static final MutableClock clock = new MutableClock();

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(2, GatehouseCluster.Options.DEFAULTS
			.withAdminProperties(Map.of("gatehouse.admin.lifecycle.runtime", "docker", "gatehouse.admin.lifecycle.period",
					"1h", "gatehouse.admin.activity-debounce", DEBOUNCE.toSeconds() + "s"))
			.withAdminBeans(Map.of("appRuntime", runtime, "clock", clock))
			.withReplicaBeans(Map.of("clock", clock)));
		Scenarios.createIdentity(cluster, "Owner");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void burstAcrossReplicasStartsTheAppOnceAndRecordsAccessOncePerWindow() throws Exception {
		Scenarios.installDemoApp(cluster, "lazy");
		runtime.install("lazy", AppStatus.STOPPED);
		double writesBefore = writes();
		List<Future<HttpResponse<String>>> burst = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 500; i++) {
				int replica = i % 2;
				burst.add(clients.submit(() -> cluster.auth(replica, "lazy.example.org", "/")));
			}
		}
		for (Future<HttpResponse<String>> response : burst) {
			assertThat(response.get().statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(status("lazy")));
		assertThat(runtime.count("start lazy")).isEqualTo(1);
		// the write comes before the start (the admin records an event, then hands its apps to the lifecycle)
		assertThat(writes() - writesBefore).as("last_access writes inside the window").isEqualTo(1);

		// past the window, and past the 5 s start throttle: only "already running" keeps the admin from
		// starting the app again
		double alreadyRunning = startOutcomes("already-running");
		clock.advance(DEBOUNCE.plusSeconds(1));
		assertThat(cluster.auth(0, "lazy.example.org", "/").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> writes() - writesBefore == 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> startOutcomes("already-running") > alreadyRunning);
		assertThat(runtime.count("start lazy")).as("already running: no second start").isEqualTo(1);
	}

	@Test
	void controlLoopStopsIdleAppsAndKeepsAlwaysOnAppsRunning() {
		install("idle", "{\"always_on\": false, \"idle_for_stop\": 600}", AppStatus.RUNNING);
		install("patient", "{\"always_on\": false, \"idle_for_stop\": 3600}", AppStatus.RUNNING);
		install("pinned", "{\"always_on\": true, \"idle_for_stop\": 60}", AppStatus.STOPPED);
		cluster.admin().getBean(LifecycleService.class).reconcile();
		assertThat(runtime.calls).doesNotContain("stop idle", "stop patient").contains("start pinned");

		clock.advance(Duration.ofMinutes(11));
		cluster.admin().getBean(LifecycleService.class).reconcile();
		assertThat(runtime.calls).contains("stop idle").doesNotContain("stop patient", "stop pinned");
		assertThat(status("idle")).isEqualTo("stopped");
		assertThat(status("pinned")).isEqualTo("running");
		assertThat(status("patient")).isEqualTo("running");
	}

	@Test
	void adminApiStartsAndStopsThroughTheRuntime() {
		install("manual", "{\"always_on\": false}", AppStatus.STOPPED);
		HttpResponse<String> started = cluster.admin("POST", "/api/apps/manual/start", null);
		assertThat(started.statusCode()).isEqualTo(200);
		assertThat(Json.read(started.body()).get("status").asString()).isEqualTo("running");
		assertThat(status("manual")).isEqualTo("running");
		assertThat(Json.read(cluster.admin("POST", "/api/apps/manual/stop", null).body()).get("status").asString())
			.isEqualTo("stopped");
		assertThat(cluster.admin("POST", "/api/apps/unknown/start", null).statusCode()).isEqualTo(404);
	}

	private static void install(String app, String lifecycle, AppStatus state) {
		assertThat(cluster.admin("PUT", "/api/apps/" + app,
				"{\"paths\": {\"/\": {\"access\": \"public\"}}, \"lifecycle\": " + lifecycle + "}").statusCode()).isEqualTo(201);
		runtime.install(app, state);
	}

	private static String status(String app) {
		return Json.read(cluster.admin("GET", "/api/apps/" + app, null).body()).get("status").asString();
	}

	private static double writes() {
		return Metrics.count(cluster.admin().getBean(MeterRegistry.class), "gatehouse.activity.writes");
	}

	/** Starts on access that ended so ({@code started}, {@code already-running}, ...). */
	private static double startOutcomes(String outcome) {
		return cluster.admin()
			.getBean(MeterRegistry.class)
			.find("gatehouse.lifecycle.actions")
			.tags("action", "start", "outcome", outcome)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}

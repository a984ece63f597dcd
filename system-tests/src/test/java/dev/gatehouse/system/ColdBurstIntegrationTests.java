package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident Gatehouse was built against: a burst of parallel requests for cold keys. Loads are
 * single-flight, so the burst makes one PostgreSQL load per key, and nothing fails.
 */
class ColdBurstIntegrationTests {

	private static final int APPS = 10;

	private static final int REQUESTS = 1000;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(0);
		Scenarios.createIdentity(cluster, "Owner");
		for (int app = 0; app < APPS; app++) {
			Scenarios.installDemoApp(cluster, "burst" + app);
		}
		cluster.startReplica(null);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void thousandConcurrentRequestsForColdAppsMakeOneLoadPerApp() throws Exception {
		double loadsBefore = Metrics.count(cluster.replicaMeters(0), "gatehouse.source.loads", "kind", "app");
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < REQUESTS; i++) {
				String host = "burst" + (i % APPS) + ".example.org";
				responses.add(clients.submit(() -> cluster.auth(0, host, "/assets/" + host + ".js")));
			}
		}
		for (Future<HttpResponse<String>> response : responses) {
			assertThat(response.get().statusCode()).isEqualTo(200);
		}
		double loads = Metrics.count(cluster.replicaMeters(0), "gatehouse.source.loads", "kind", "app") - loadsBefore;
		assertThat(loads).as("PostgreSQL loads of apps").isPositive().isLessThanOrEqualTo(APPS);
	}

}

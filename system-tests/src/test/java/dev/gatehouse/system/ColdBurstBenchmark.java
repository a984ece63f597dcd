package dev.gatehouse.system;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * Cold bursts: 1,000 concurrent requests for K apps against a replica that has never seen them, for
 * K = 1, 10 and 100. Records errors, PostgreSQL loads and the time until the last response. Run by
 * {@code bench/run.sh} (not part of the test suite); writes {@code bench/results/coldburst.md}.
 */
class ColdBurstBenchmark {

	private static final int REQUESTS = 1000;

	@Test
	void coldBursts() throws Exception {
		StringBuilder table = new StringBuilder("""
				# Cold bursts

				Measured %s on %d cores: %d concurrent requests (virtual threads, one HTTP client) against a
				replica started after the K apps were installed; admin and replica in one JVM.

				| K apps | errors | PostgreSQL loads (apps) | time to last response |
				|---|---|---|---|
				""".formatted(Instant.now(), Runtime.getRuntime().availableProcessors(), REQUESTS));
		for (int apps : new int[] { 1, 10, 100 }) {
			try (GatehouseCluster cluster = GatehouseCluster.start(0)) {
				Scenarios.createIdentity(cluster, "Owner");
				for (int app = 0; app < apps; app++) {
					Scenarios.installDemoApp(cluster, "cold" + app);
				}
				int replica = cluster.startReplica(null);
				double loadsBefore = Metrics.count(cluster.replicaMeters(replica), "gatehouse.source.loads", "kind", "app");
				long start = System.nanoTime();
				List<Future<HttpResponse<String>>> responses = new ArrayList<>();
				try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
					for (int i = 0; i < REQUESTS; i++) {
						String host = "cold" + (i % apps) + ".example.org";
						responses.add(clients.submit(() -> cluster.auth(replica, host, "/")));
					}
				}
				long elapsed = System.nanoTime() - start;
				int errors = 0;
				for (Future<HttpResponse<String>> response : responses) {
					if (response.get().statusCode() != 200) {
						errors++;
					}
				}
				double loads = Metrics.count(cluster.replicaMeters(replica), "gatehouse.source.loads", "kind", "app") - loadsBefore;
				table.append("| %d | %d | %.0f | %.0f ms |%n".formatted(apps, errors, loads, elapsed / 1e6));
			}
		}
		Path results = Path.of(System.getProperty("gatehouse.bench.results", "../bench/results"));
		try {
			Files.createDirectories(results);
			Files.writeString(results.resolve("coldburst.md"), table.toString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not write the results", ex);
		}
		System.out.println(table);
	}

}

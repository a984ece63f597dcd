package dev.gatehouse.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures revocation propagation: from the admin's 2xx for {@code DELETE /api/terminals/{id}} to the
 * moment the last of three replicas refuses the terminal. Not part of the test suite (its name does not
 * end in Tests); {@code bench/run.sh} runs it and it writes {@code bench/results/propagation.md}.
 */
class PropagationBenchmark {

	private static final int REPLICAS = 3;

	private static final int TRIALS = Integer.getInteger("gatehouse.bench.trials", 200);

	@Test
	void revocationReachesEveryReplica() throws Exception {
		List<Double> millis = new ArrayList<>();
		try (GatehouseCluster cluster = GatehouseCluster.start(REPLICAS);
				ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
			Scenarios.createIdentity(cluster, "Owner");
			Scenarios.installDemoApp(cluster, "bench");
			for (int trial = 0; trial < TRIALS; trial++) {
				Scenarios.Paired paired = Scenarios.pair(cluster, "Bench " + trial);
				for (int replica = 0; replica < REPLICAS; replica++) {
					assertThat(cluster.auth(replica, "bench.example.org", "/private", cookie(paired.token())).statusCode())
						.isEqualTo(200);
				}
				assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
				long acknowledged = System.nanoTime();
				List<Future<Long>> refusals = new ArrayList<>();
				for (int replica = 0; replica < REPLICAS; replica++) {
					int index = replica;
					refusals.add(pollers.submit(() -> {
						while (cluster.auth(index, "bench.example.org", "/private", cookie(paired.token())).statusCode() != 401) {
							Thread.onSpinWait();
						}
						return System.nanoTime();
					}));
				}
				long last = acknowledged;
				for (Future<Long> refusal : refusals) {
					last = Math.max(last, refusal.get());
				}
				millis.add((last - acknowledged) / 1e6);
			}
		}
		Collections.sort(millis);
		String table = """
				# Revocation propagation

				Measured %s on %d cores: %d trials; admin and %d auth replicas in one JVM, loopback PostgreSQL and Redis.
				Time from the admin's 2xx for `DELETE /api/terminals/{id}` until the last replica answers 401
				(each replica polled in a tight loop).

				| p50 | p90 | p99 | max |
				|---|---|---|---|
				| %.1f ms | %.1f ms | %.1f ms | %.1f ms |
				""".formatted(Instant.now(), Runtime.getRuntime().availableProcessors(), TRIALS, REPLICAS,
				percentile(millis, 50), percentile(millis, 90), percentile(millis, 99), millis.get(millis.size() - 1));
		Path results = Path.of(System.getProperty("gatehouse.bench.results", "../bench/results"));
		try {
			Files.createDirectories(results);
			Files.writeString(results.resolve("propagation.md"), table);
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not write the results", ex);
		}
		System.out.println(table);
	}

	private static double percentile(List<Double> sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

}

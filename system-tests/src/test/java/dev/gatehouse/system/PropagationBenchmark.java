package dev.gatehouse.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.model.invalidation.ChangeMessage;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures revocation propagation: from the admin's 2xx for {@code DELETE /api/terminals/{id}} to the
 * moment the last of three replicas refuses the terminal. Not part of the test suite (its name does not
 * end in Tests); {@code bench/run.sh} runs it and it writes {@code bench/results/propagation.md}.
 * <p>
 * The headline figure is black-box: every replica is polled over HTTP ({@code /internal/auth}, as Traefik
 * asks it) until it answers 401, so it includes the pollers' own requests, which share the cores with
 * the replicas. Beside it, in-JVM probes say where the time goes: when the last replica received the
 * change (relative to the 2xx: negative when it arrived before the admin answered), and what one warm
 * poll costs, the resolution of the black-box figure.
 */
class PropagationBenchmark {

	private static final int REPLICAS = 3;

	private static final int TRIALS = Integer.getInteger("gatehouse.bench.trials", 200);

	/** The promise: visible on every replica within this p99 after the admin's 2xx (DESIGN.md, section 4). */
	private static final double TARGET_P99_MILLIS = 10;

	@Test
	void revocationReachesEveryReplica() throws Exception {
		List<Double> refused = new ArrayList<>();
		List<Double> received = new ArrayList<>();
		List<Double> polls = new ArrayList<>();
		Map<String, Long> receivedAt = new ConcurrentHashMap<>();
		try (GatehouseCluster cluster = GatehouseCluster.start(0);
				ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int replica = 0; replica < REPLICAS; replica++) {
				int index = replica;
				cluster.startReplica(message -> {
					// the last change message about the key: for a deletion, the removal after its invalidation
					if (message instanceof ChangeMessage.Change change) {
						receivedAt.put(index + "/" + change.key(), System.nanoTime());
					}
					return true;
				});
			}
			Scenarios.createIdentity(cluster, "Owner");
			Scenarios.installDemoApp(cluster, "bench");
			for (int trial = 0; trial < TRIALS; trial++) {
				Scenarios.Paired paired = Scenarios.pair(cluster, "Bench " + trial);
				for (int replica = 0; replica < REPLICAS; replica++) {
					// twice: the first loads the terminal and verifies the token, the second is a warm poll
					assertThat(cluster.auth(replica, "bench.example.org", "/private", cookie(paired.token())).statusCode())
						.isEqualTo(200);
					long start = System.nanoTime();
					assertThat(cluster.auth(replica, "bench.example.org", "/private", cookie(paired.token())).statusCode())
						.isEqualTo(200);
					polls.add((System.nanoTime() - start) / 1e6);
				}
				// forget the pairing's invalidation; one still on its way is overwritten by the deletion's (in order)
				for (int replica = 0; replica < REPLICAS; replica++) {
					receivedAt.remove(replica + "/" + paired.terminalId());
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
				refused.add((last - acknowledged) / 1e6);
				long lastReceived = Long.MIN_VALUE;
				for (int replica = 0; replica < REPLICAS; replica++) {
					// a replica whose lease lapsed (a stalled machine) refuses from PostgreSQL before its message arrives
					String key = replica + "/" + paired.terminalId();
					await().atMost(Duration.ofSeconds(5)).until(() -> receivedAt.containsKey(key));
					lastReceived = Math.max(lastReceived, receivedAt.remove(key));
				}
				received.add((lastReceived - acknowledged) / 1e6);
			}
		}
		Collections.sort(refused);
		Collections.sort(received);
		Collections.sort(polls);
		double p99 = percentile(refused, 99);
		String table = """
				# Revocation propagation

				Measured %s on %d cores: %d trials; admin and %d auth replicas in one JVM, loopback PostgreSQL and Redis.
				Black-box: time from the admin's 2xx for `DELETE /api/terminals/{id}` until the last replica answers 401,
				each replica polled over HTTP in a tight loop. Target p99 ≤ %.0f ms: **%s** (p50 %.1f ms, p99 %.1f ms).

				| | p50 | p90 | p99 | max |
				|---|---|---|---|---|
				%s
				%s
				%s

				In-JVM probe: when the last replica received the removal (the last change message about the terminal),
				relative to the 2xx; negative: before the admin answered. One poll: a warm `/internal/auth` request, the
				resolution of the black-box figure.
				""".formatted(Instant.now(), Runtime.getRuntime().availableProcessors(), TRIALS, REPLICAS, TARGET_P99_MILLIS,
				(p99 <= TARGET_P99_MILLIS) ? "met" : "missed", percentile(refused, 50), p99,
				row("black-box: last replica answers 401", refused), row("in-JVM: last replica received the removal", received),
				row("one poll (warm request)", polls));
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

	private static String row(String label, List<Double> sorted) {
		return "| %s | %s ms | %s ms | %s ms | %s ms |".formatted(label, millis(percentile(sorted, 50)),
				millis(percentile(sorted, 90)), millis(percentile(sorted, 99)), millis(sorted.get(sorted.size() - 1)));
	}

	/** One decimal, and no "-0.0" for a probe a few microseconds before the 2xx. */
	private static String millis(double value) {
		return "%.1f".formatted((Math.abs(value) < 0.05) ? 0 : value);
	}

	private static double percentile(List<Double> sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

}

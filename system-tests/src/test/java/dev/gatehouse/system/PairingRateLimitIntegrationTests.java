package dev.gatehouse.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing pairing codes is rate-limited in Redis (for every admin instance alike), counted before the
 * code is checked, per real client address behind trusted proxies, without one client locking out others.
 */
class PairingRateLimitIntegrationTests {

	@Test
	void parallelGuessesGetNoMoreTriesThanTheLimit() throws Exception {
		try (GatehouseCluster cluster = GatehouseCluster.start(0, limit(5)); ExecutorService pool = Executors.newFixedThreadPool(30)) {
			String code = newCode(cluster);
			List<Callable<Integer>> guesses = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				guesses.add(() -> pair(cluster, "198.51.100.7", wrong(code)).statusCode());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> status : pool.invokeAll(guesses)) {
				statuses.add(status.get());
			}
			assertThat(statuses).filteredOn(status -> status == 401).hasSize(5);
			assertThat(statuses).filteredOn(status -> status == 429).hasSize(25);
			HttpResponse<String> limited = pair(cluster, "198.51.100.7", code);
			assertThat(limited.statusCode()).as("even the right code, once limited").isEqualTo(429);
			assertThat(limited.headers().firstValue("Retry-After")).isPresent();
			assertThat(Json.read(cluster.admin("GET", "/api/terminals", null).body())).isEmpty();
		}
	}

	@Test
	void oneClientCannotLockOutAnother() {
		try (GatehouseCluster cluster = GatehouseCluster.start(0, limit(3))) {
			String code = newCode(cluster);
			for (int i = 0; i < 10; i++) {
				pair(cluster, "198.51.100.7", wrong(code));
			}
			assertThat(pair(cluster, "198.51.100.7", code).statusCode()).isEqualTo(429);
			assertThat(pair(cluster, "203.0.113.9", code).statusCode()).isEqualTo(201);
		}
	}

	@Test
	void aFloodFromManyAddressesUsesUpOneCodeButNotTheNext() {
		Map<String, Object> smallCeiling = Map.of("gatehouse.admin.pairing-attempts-per-client", 2,
				"gatehouse.admin.pairing-attempts-total", 6);
		try (GatehouseCluster cluster = GatehouseCluster.start(0, GatehouseCluster.Options.DEFAULTS.withAdminProperties(smallCeiling))) {
			String code = newCode(cluster);
			for (int i = 0; i < 3; i++) {
				pair(cluster, "198.51.100." + i, wrong(code));
				pair(cluster, "198.51.100." + i, wrong(code));
			}
			assertThat(pair(cluster, "203.0.113.9", code).statusCode()).as("this code's budget is used up").isEqualTo(429);
			String next = newCode(cluster);
			assertThat(pair(cluster, "203.0.113.9", next).statusCode()).as("a new code, a new budget").isEqualTo(201);
		}
	}

	@Test
	void bodiesLargerThanAnyRequestAreRefusedBeforeTheyAreRead() {
		try (GatehouseCluster cluster = GatehouseCluster.start(0, limit(5))) {
			String huge = "{\"code\": \"1\", \"name\": \"" + "a".repeat(300_000) + "\"}";
			HttpResponse<String> refused = cluster.adminAs(null, "POST", "/api/terminals/pair", huge);
			assertThat(refused.statusCode()).isEqualTo(413);
			assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
			assertThat(cluster.adminAs(null, "POST", "/api/terminals/pair", "{}").statusCode()).isIn(401, 422);
		}
	}

	@Test
	void waitGrowsWithEveryAttemptPastTheLimit() {
		try (GatehouseCluster cluster = GatehouseCluster.start(0, limit(2))) {
			String code = newCode(cluster);
			pair(cluster, "198.51.100.7", wrong(code));
			pair(cluster, "198.51.100.7", wrong(code));
			long first = retryAfter(pair(cluster, "198.51.100.7", wrong(code)));
			long second = retryAfter(pair(cluster, "198.51.100.7", wrong(code)));
			assertThat(first).isEqualTo(600);
			assertThat(second).isEqualTo(1200);
		}
	}

	@Test
	void forwardedForFromAnUntrustedPeerIsIgnored() {
		// loopback is no trusted proxy here: every request counts as the peer's own address
		Map<String, Object> untrusted = Map.of("gatehouse.admin.pairing-attempts-per-client", 3,
				"server.tomcat.remoteip.internal-proxies", "10\\.255\\.255\\.254");
		try (GatehouseCluster cluster = GatehouseCluster.start(0, GatehouseCluster.Options.DEFAULTS.withAdminProperties(untrusted))) {
			String code = newCode(cluster);
			for (int i = 0; i < 3; i++) {
				assertThat(pair(cluster, "198.51.100." + i, wrong(code)).statusCode()).isEqualTo(401);
			}
			assertThat(pair(cluster, "198.51.100.99", code).statusCode()).isEqualTo(429);
		}
	}

	private static GatehouseCluster.Options limit(int perClient) {
		return GatehouseCluster.Options.DEFAULTS.withAdminProperties(Map.of("gatehouse.admin.pairing-attempts-per-client", perClient));
	}

	private static String newCode(GatehouseCluster cluster) {
		return Json.read(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
	}

	private static String wrong(String code) {
		return code.equals("000000") ? "111111" : "000000";
	}

	private static long retryAfter(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(429);
		return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
	}

	/** A pairing attempt as it arrives through a proxy on loopback that names the client. */
	private HttpResponse<String> pair(GatehouseCluster cluster, String clientAddress, String code) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.adminUrl() + "/api/terminals/pair"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", clientAddress)
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\": \"%s\", \"name\": \"Guess\"}".formatted(code)))
			.build();
		return cluster.send(request);
	}

}

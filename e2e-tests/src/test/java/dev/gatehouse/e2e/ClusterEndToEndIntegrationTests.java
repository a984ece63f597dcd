package dev.gatehouse.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole tier as it runs on a host without Docker: the admin and three auth replicas as processes
 * behind the reverse proxy of {@code infra/local/cluster.sh}, with the demo app that echoes what it
 * receives. Everything goes through the proxy, as a browser's requests would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static LocalCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = new LocalCluster().up(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void publicPathReachesTheAppWithIdentityHeaders() {
		HttpResponse<String> response = cluster.viaProxy("demo", "/index.html?lang=en");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode headers = echoedHeaders(response);
		assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("anonymous");
		assertThat(headers.path("x-ptl-client-id").asString()).isEmpty();
		assertThat(headers.path("x-ptl-foo").asString()).isEqualTo("baz");
		assertThat(headers.path("x-ptl-id").asString()).isEqualTo(defaultIdentity().get("id").asString());
	}

	@Test
	@Order(2)
	void forgedIdentityHeadersNeverReachTheApp() {
		HttpResponse<String> response = cluster.viaProxy("demo", "/", "X-Ptl-Client-Id", "admin", "X-Ptl-Client-Type",
				"terminal", "X-Ptl-Anything", "forged");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode headers = echoedHeaders(response);
		assertThat(headers.path("x-ptl-client-id").asString()).isEmpty();
		assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("anonymous");
		assertThat(headers.has("x-ptl-anything")).isFalse();
	}

	@Test
	@Order(3)
	void privatePathNeedsPairingAndRevocationReachesEveryReplica() {
		assertThat(cluster.viaProxy("demo", "/private/notes").statusCode()).isEqualTo(401);
		String[] paired = pair("Laptop");
		String cookie = "authorization=Bearer%20" + paired[1];
		HttpResponse<String> allowed = cluster.viaProxy("demo", "/private/notes", "Cookie", cookie);
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(echoedHeaders(allowed).path("x-ptl-client-name").asString()).isEqualTo("Laptop");
		assertThat(echoedHeaders(allowed).path("x-ptl-foo").asString()).isEqualTo("bar Laptop");

		assertThat(cluster.admin("DELETE", "/api/terminals/" + paired[0], null).statusCode()).isEqualTo(204);
		for (String replica : cluster.authUrls()) {
			await().atMost(Duration.ofSeconds(3))
				.until(() -> cluster.auth(replica, "demo", "/private/notes", "Cookie", cookie).statusCode() == 401);
		}
		assertThat(cluster.viaProxy("demo", "/private/notes", "Cookie", cookie).statusCode()).isEqualTo(401);
	}

	@Test
	@Order(4)
	void unknownAppIsNotFoundAndAmbiguousPathsAreRefused() {
		assertThat(cluster.viaProxy("nope", "/").statusCode()).isEqualTo(404);
		assertThat(cluster.viaProxy("demo", "/public/%2e%2e/private").statusCode()).isEqualTo(401);
		assertThat(cluster.viaProxy("demo", "/a%2fb").statusCode()).isEqualTo(400);
	}

	@Test
	@Order(5)
	void everyMutationIsSeenByEveryReplicaAndThroughTheProxy() {
		assertThat(cluster.admin("PUT", "/api/apps/notes", """
				{"paths": {"/": {"access": "public", "headers": {"X-Ptl-Portal": "{{ portal.name }}"}}}}
				""").statusCode()).isEqualTo(201);
		expectEverywhere("notes", defaultIdentity().get("name").asString());

		String id = defaultIdentity().get("id").asString();
		assertThat(cluster.admin("PUT", "/api/identities/" + id, "{\"name\": \"Renamed portal\"}").statusCode()).isEqualTo(200);
		expectEverywhere("notes", "Renamed portal");

		assertThat(cluster.admin("DELETE", "/api/apps/notes", null).statusCode()).isEqualTo(204);
		for (String replica : cluster.authUrls()) {
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.auth(replica, "notes", "/").statusCode() == 404);
		}
		assertThat(cluster.viaProxy("notes", "/").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(6)
	void burstOfParallelAssetRequestsFromOneBrowserAllSucceed() throws Exception {
		String cookie = "authorization=Bearer%20" + pair("Browser")[1];
		List<Future<HttpResponse<String>>> assets = new ArrayList<>();
		try (ExecutorService browser = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 30; i++) {
				String path = "/private/assets/chunk-" + i + ".js";
				assets.add(browser.submit(() -> cluster.viaProxy("demo", path, "Cookie", cookie)));
			}
		}
		for (Future<HttpResponse<String>> asset : assets) {
			assertThat(asset.get().statusCode()).isEqualTo(200);
		}
	}

	@Test
	@Order(7)
	void killedReplicaIsRoutedAroundAndANewOneWarmsUpFromL2() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger served = new AtomicInteger();
		ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
		try (ExecutorService traffic = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int client = 0; client < 4; client++) {
				traffic.submit(() -> {
					while (running.get()) {
						int status = cluster.viaProxy("demo", "/").statusCode();
						if (status != 200) {
							failures.add(status);
						}
						served.incrementAndGet();
					}
				});
			}
			Thread.sleep(500);
			ProcessHandle.of(cluster.replicaPid(2)).ifPresent(ProcessHandle::destroyForcibly);
			Thread.sleep(2000);
			running.set(false);
		}
		assertThat(failures).as("requests failed while a replica died").isEmpty();
		assertThat(served.get()).isGreaterThan(50);

		cluster.script("scale", "4");
		String fourth = cluster.authUrls().get(cluster.authUrls().size() - 1);
		assertThat(cluster.get(fourth + "/actuator/health/readiness").statusCode()).isEqualTo(200);
		double loadsBefore = cluster.metric(fourth, "gatehouse_source_loads_total", "kind=\"app\"");
		for (int i = 0; i < 10; i++) {
			assertThat(cluster.auth(fourth, "demo", "/").statusCode()).isEqualTo(200);
		}
		assertThat(cluster.metric(fourth, "gatehouse_source_loads_total", "kind=\"app\"") - loadsBefore)
			.as("the new replica found the app in L2, not PostgreSQL").isZero();
		assertThat(cluster.metric(fourth, "gatehouse_l2_hits_total", "kind=\"app\"")).isPositive();
	}

	private static void expectEverywhere(String app, String portalName) {
		for (String replica : cluster.authUrls()) {
			await().atMost(Duration.ofSeconds(3)).until(
					() -> portalName.equals(cluster.auth(replica, app, "/").headers().firstValue("X-Ptl-Portal").orElse(null)));
		}
		assertThat(echoedHeaders(cluster.viaProxy(app, "/")).path("x-ptl-portal").asString()).isEqualTo(portalName);
	}

	private static String[] pair(String name) {
		String code = json.readTree(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
		HttpResponse<String> paired = cluster.post(cluster.adminUrl() + "/api/terminals/pair",
				"{\"code\": \"%s\", \"name\": \"%s\"}".formatted(code, name));
		assertThat(paired.statusCode()).as(paired.body()).isEqualTo(201);
		JsonNode body = json.readTree(paired.body());
		return new String[] { body.get("terminal").get("id").asString(), body.get("token").asString() };
	}

	private static JsonNode defaultIdentity() {
		return json.readTree(cluster.admin("GET", "/api/identities/default", null).body());
	}

	private static JsonNode echoedHeaders(HttpResponse<String> response) {
		return json.readTree(response.body()).get("headers");
	}

}

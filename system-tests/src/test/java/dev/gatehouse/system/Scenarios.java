package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admin API steps, and a wait on steady load, the tests share.
 */
final class Scenarios {

	static final String DEMO_APP = """
			{"paths": {
			  "/": {"access": "public", "headers": {"X-Ptl-Foo": "baz"}},
			  "/private": {"access": "private", "headers": {"X-Ptl-Foo": "bar {{ auth.client_name }}"}}
			 },
			 "lifecycle": {"always_on": false, "idle_for_stop": 600}}
			""";

	private Scenarios() {
	}

	static JsonNode createIdentity(GatehouseCluster cluster, String name) {
		HttpResponse<String> response = cluster.admin("POST", "/api/identities",
				"{\"name\": \"%s\", \"email\": \"owner@example.org\"}".formatted(name));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return Json.read(response.body());
	}

	static void installDemoApp(GatehouseCluster cluster, String name) {
		HttpResponse<String> response = cluster.admin("PUT", "/api/apps/" + name, DEMO_APP);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

	static Paired pair(GatehouseCluster cluster, String name) {
		HttpResponse<String> code = cluster.admin("POST", "/api/pairing-codes", null);
		assertThat(code.statusCode()).as(code.body()).isEqualTo(201);
		HttpResponse<String> paired = cluster.adminAs(null, "POST", "/api/terminals/pair",
				"{\"code\": \"%s\", \"name\": \"%s\"}".formatted(Json.read(code.body()).get("code").asString(), name));
		assertThat(paired.statusCode()).as(paired.body()).isEqualTo(201);
		JsonNode body = Json.read(paired.body());
		return new Paired(body.get("terminal").get("id").asString(), body.get("token").asString(),
				body.get("admin_token").asString());
	}

	/**
	 * A paired terminal.
	 *
	 * @param terminalId its id
	 * @param token its app-access token (the {@code authorization} cookie)
	 * @param adminToken its admin token (bearer on the admin API)
	 */
	record Paired(String terminalId, String token, String adminToken) {
	}

	/**
	 * Waits until a steady load has made {@code more} requests from now: "under load" as a condition on the
	 * load, not a time.
	 * @param requests the load's count of requests made
	 * @param more how many more to wait for
	 */
	static void awaitMore(AtomicInteger requests, int more) {
		int target = requests.get() + more;
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> requests.get() >= target);
	}

}

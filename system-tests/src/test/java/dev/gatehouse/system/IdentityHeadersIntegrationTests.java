package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Identity changes reach the headers every replica renders.
 */
class IdentityHeadersIntegrationTests {

	private static final String PORTAL_APP = """
			{"paths": {"/": {"access": "public", "headers": {
			  "X-Ptl-Portal": "{{ portal.short_id }} {{ portal.domain }} {{ portal.name }} <{{ portal.email }}>",
			  "X-Ptl-Key": "{{ portal.public_key_pem }}"}}}}
			""";

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(2);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void identityChangesReachEveryReplica() {
		assertThat(cluster.admin("PUT", "/api/apps/portal", PORTAL_APP).statusCode()).isEqualTo(201);
		HttpResponse<String> beforeAnyIdentity = cluster.auth(0, "portal.example.org", "/");
		assertThat(beforeAnyIdentity.statusCode()).isEqualTo(200);
		assertThat(ForwardAuthIntegrationTests.header(beforeAnyIdentity, "X-Ptl-ID")).isEmpty();

		JsonNode first = Scenarios.createIdentity(cluster, "Ada");
		expectOnEveryReplica(first, "Ada", "owner@example.org");

		HttpResponse<String> renamed = cluster.admin("PUT", "/api/identities/" + first.get("id").asString(),
				"{\"name\": \"Ada L.\", \"email\": \"ada@example.org\"}");
		assertThat(renamed.statusCode()).isEqualTo(200);
		expectOnEveryReplica(first, "Ada L.", "ada@example.org");

		JsonNode second = Scenarios.createIdentity(cluster, "Grace");
		expectOnEveryReplica(first, "Ada L.", "ada@example.org");
		assertThat(cluster.admin("POST", "/api/identities/" + second.get("id").asString() + "/make-default", null)
			.statusCode()).isEqualTo(200);
		expectOnEveryReplica(second, "Grace", "owner@example.org");
	}

	private static void expectOnEveryReplica(JsonNode identity, String name, String email) {
		String expected = "%s %s %s <%s>".formatted(identity.get("short_id").asString(), identity.get("domain").asString(),
				name, email);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				HttpResponse<String> response = cluster.auth(index, "portal.example.org", "/");
				assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-ID")).isEqualTo(identity.get("id").asString());
				assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Portal")).isEqualTo(expected);
				assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Key"))
					.isEqualTo(identity.get("public_key_pem").asString().replace('\n', ' ').strip());
			});
		}
	}

}

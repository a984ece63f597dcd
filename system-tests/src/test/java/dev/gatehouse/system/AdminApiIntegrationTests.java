package dev.gatehouse.system;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's contract: authentication, validation, problem details, identities and pairing.
 */
class AdminApiIntegrationTests {

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startAdmin() {
		cluster = GatehouseCluster.start(0);
	}

	@AfterAll
	static void stopAdmin() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyApiCallNeedsAValidBearerToken() {
		assertThat(cluster.adminAs(null, "GET", "/api/apps", null).statusCode()).isEqualTo(401);
		assertThat(cluster.adminAs("Bearer wrong", "GET", "/api/apps", null).statusCode()).isEqualTo(401);
		assertThat(cluster.adminAs(GatehouseCluster.ADMIN_TOKEN, "GET", "/api/apps", null).statusCode()).isEqualTo(401);
		HttpResponse<String> refused = cluster.adminAs(null, "PUT", "/api/apps/sneaky", Scenarios.DEMO_APP);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(cluster.admin("GET", "/api/apps/sneaky", null).statusCode()).isEqualTo(404);
	}

	@Test
	void terminalAdminTokenMayUseTheApiUntilRevokedButItsAppTokenNever() {
		Scenarios.Paired paired = Scenarios.pair(cluster, "Admin laptop");
		assertThat(cluster.adminAs("Bearer " + paired.adminToken(), "GET", "/api/terminals", null).statusCode()).isEqualTo(200);
		assertThat(cluster.adminAs("Bearer " + paired.token(), "GET", "/api/terminals", null).statusCode()).isEqualTo(401);
		assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
		assertThat(cluster.adminAs("Bearer " + paired.adminToken(), "GET", "/api/terminals", null).statusCode()).isEqualTo(401);
	}

	@Test
	void invalidAppIsRefusedWithEveryReasonAndNothingIsStored() {
		long before = changeLogSize();
		HttpResponse<String> response = cluster.admin("PUT", "/api/apps/broken",
				"{\"paths\": {\"nope\": {\"access\": \"open\", \"headers\": {\"X-Ptl-Id\": \"{{ auth.secret }}\"}}}}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		JsonNode problem = Json.read(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(422);
		assertThat(problem.get("errors")).hasSize(4);
		assertThat(problem.get("detail").asString()).contains("'open'", "auth.secret", "X-Ptl-Id", "'nope'");
		assertThat(cluster.admin("GET", "/api/apps/broken", null).statusCode()).isEqualTo(404);
		assertThat(changeLogSize()).isEqualTo(before);
	}

	@Test
	void malformedJsonIsABadRequest() {
		long before = changeLogSize();
		HttpResponse<String> response = cluster.admin("PUT", "/api/apps/broken", "{\"paths\": ");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		assertThat(changeLogSize()).isEqualTo(before);
	}

	@Test
	void appNameMustBeADnsLabel() {
		HttpResponse<String> response = cluster.admin("PUT", "/api/apps/Not_A_Label", Scenarios.DEMO_APP);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(Json.read(response.body()).get("detail").asString()).contains("Not_A_Label");
	}

	@Test
	void appIsCreatedThenReplacedThenDeleted() {
		long before = changeLogSize();
		assertThat(cluster.admin("PUT", "/api/apps/cycle", Scenarios.DEMO_APP).statusCode()).isEqualTo(201);
		HttpResponse<String> replaced = cluster.admin("PUT", "/api/apps/cycle",
				"{\"paths\": {\"/\": {\"access\": \"private\"}}, \"lifecycle\": {\"always_on\": true}}");
		assertThat(replaced.statusCode()).isEqualTo(200);
		JsonNode app = Json.read(cluster.admin("GET", "/api/apps/cycle", null).body());
		assertThat(app.get("paths").get("/").get("access").asString()).isEqualTo("private");
		assertThat(app.get("lifecycle").get("always_on").asBoolean()).isTrue();
		assertThat(app.get("status").asString()).isEqualTo("stopped");
		assertThat(app.has("last_access")).isTrue();
		assertThat(cluster.admin("DELETE", "/api/apps/cycle", null).statusCode()).isEqualTo(204);
		assertThat(cluster.admin("DELETE", "/api/apps/cycle", null).statusCode()).isEqualTo(404);
		assertThat(changeLogSize()).as("one change per mutation").isEqualTo(before + 3);
	}

	@Test
	void firstIdentityBecomesTheDefaultAndOthersCanTakeOver() {
		JsonNode first = Scenarios.createIdentity(cluster, "First");
		JsonNode current = Json.read(cluster.admin("GET", "/api/identities/default", null).body());
		JsonNode second = Scenarios.createIdentity(cluster, "Second");
		assertThat(second.get("is_default").asBoolean()).isFalse();
		assertThat(second.get("public_key_pem").asString()).startsWith("-----BEGIN PUBLIC KEY-----");
		assertThat(second.get("domain").asString()).startsWith(second.get("short_id").asString() + ".");
		assertThat(second.toString()).doesNotContain("PRIVATE");
		HttpResponse<String> promoted = cluster.admin("POST", "/api/identities/" + second.get("id").asString() + "/make-default", null);
		assertThat(promoted.statusCode()).isEqualTo(200);
		assertThat(Json.read(cluster.admin("GET", "/api/identities/default", null).body()).get("id").asString())
			.isEqualTo(second.get("id").asString());
		assertThat(Json.read(cluster.admin("GET", "/api/identities", null).body()).findValues("is_default").stream()
			.filter(JsonNode::asBoolean)).hasSize(1);
		assertThat(current.get("id").asString()).isIn(first.get("id").asString(), current.get("id").asString());
	}

	@Test
	void identityUpdatesAreValidated() {
		JsonNode identity = Scenarios.createIdentity(cluster, "Editable");
		String id = identity.get("id").asString();
		assertThat(cluster.admin("PUT", "/api/identities/" + id, "{\"name\": \"\", \"email\": \"not-an-email\"}").statusCode())
			.isEqualTo(422);
		HttpResponse<String> updated = cluster.admin("PUT", "/api/identities/" + id,
				"{\"name\": \"Edited\", \"email\": \"new@example.org\", \"description\": \"mine\"}");
		assertThat(updated.statusCode()).isEqualTo(200);
		assertThat(Json.read(updated.body()).get("name").asString()).isEqualTo("Edited");
		assertThat(cluster.admin("PUT", "/api/identities/unknown", "{\"name\": \"X\"}").statusCode()).isEqualTo(404);
		assertThat(cluster.admin("POST", "/api/identities/unknown/make-default", null).statusCode()).isEqualTo(404);
	}

	@Test
	void pairingCodeWorksOnceAndOnlyTheLatestIsLive() {
		String older = Json.read(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
		JsonNode latest = Json.read(cluster.admin("POST", "/api/pairing-codes", null).body());
		assertThat(latest.get("code").asString()).matches("\\d{6}");
		assertThat(latest.has("valid_until")).isTrue();
		if (!older.equals(latest.get("code").asString())) {
			assertThat(pair(older, "Old").statusCode()).isEqualTo(401);
		}
		assertThat(pair(latest.get("code").asString(), "New").statusCode()).isEqualTo(201);
		assertThat(pair(latest.get("code").asString(), "Again").statusCode()).isEqualTo(401);
	}

	@Test
	void terminalNameIsValidated() {
		String code = Json.read(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
		assertThat(pair(code, "").statusCode()).isEqualTo(422);
		assertThat(pair(code, "bad\nname").statusCode()).isEqualTo(422);
		assertThat(pair(code, "Good name").statusCode()).as("a refused request does not use the code up").isEqualTo(201);
	}

	@Test
	void deletingAnUnknownTerminalIsNotFound() {
		assertThat(cluster.admin("DELETE", "/api/terminals/unknown", null).statusCode()).isEqualTo(404);
	}

	private static HttpResponse<String> pair(String code, String name) {
		return cluster.adminAs(null, "POST", "/api/terminals/pair",
				"{\"code\": \"%s\", \"name\": \"%s\"}".formatted(code, name.replace("\n", "\\n")));
	}

	private static long changeLogSize() {
		return JdbcClient.create(cluster.admin().getBean(javax.sql.DataSource.class))
			.sql("select count(*) from change_log")
			.query(Long.class)
			.single();
	}

}

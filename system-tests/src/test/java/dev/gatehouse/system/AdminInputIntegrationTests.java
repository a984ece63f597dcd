package dev.gatehouse.system;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin refuses input that would harm the proxy, the auth tier or the database with a 422 that names
 * the field, and never answers a bad value with a database error.
 */
class AdminInputIntegrationTests {

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(0);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void rulesCannotSetHeadersThatFrameOrRouteTheRequest() {
		for (String name : new String[] { "Content-Length", "Transfer-Encoding", "Host" }) {
			HttpResponse<String> response = cluster.admin("PUT", "/api/apps/framing",
					"{\"paths\": {\"/\": {\"access\": \"public\", \"headers\": {\"%s\": \"5\"}}}}".formatted(name));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
			assertThat(response.body()).contains("'" + name + "'", "X-Ptl-");
		}
		assertThat(cluster.admin("GET", "/api/apps/framing", null).statusCode()).isEqualTo(404);
	}

	@Test
	void nulInAnIdentityDescriptionIsRefusedAndTheAdminStillWorks() {
		HttpResponse<String> refused = cluster.admin("POST", "/api/identities",
				"{\"name\": \"Ada\", \"description\": \"before\\u0000after\"}");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
		assertThat(refused.body()).contains("description").doesNotContainIgnoringCase("sql").doesNotContain("insert");
		HttpResponse<String> refusedEmail = cluster.admin("POST", "/api/identities",
				"{\"name\": \"Ada\", \"email\": \"a\\u0000@example.org\"}");
		assertThat(refusedEmail.statusCode()).as(refusedEmail.body()).isEqualTo(422);
		assertThat(refusedEmail.body()).contains("email");
		assertThat(cluster.admin("GET", "/api/identities", null).statusCode()).isEqualTo(200);
		Scenarios.createIdentity(cluster, "Ada");
	}

	@Test
	void nulInATemplateOrAPrefixIsRefusedNamingIt() {
		HttpResponse<String> template = cluster.admin("PUT", "/api/apps/nul",
				"{\"paths\": {\"/\": {\"access\": \"public\", \"headers\": {\"X-Ptl-A\": \"a\\u0000b\"}}}}");
		assertThat(template.statusCode()).as(template.body()).isEqualTo(422);
		assertThat(template.body()).contains("'X-Ptl-A'", "control characters");
		HttpResponse<String> prefix = cluster.admin("PUT", "/api/apps/nul",
				"{\"paths\": {\"/a\\u0000\": {\"access\": \"public\"}}}");
		assertThat(prefix.statusCode()).as(prefix.body()).isEqualTo(422);
		assertThat(prefix.body()).contains("path prefix");
	}

	@Test
	void oversizedDefinitionsAreRefusedNamingTheLimit() {
		String bigTemplate = "x".repeat(10 * 1024);
		HttpResponse<String> template = cluster.admin("PUT", "/api/apps/big",
				"{\"paths\": {\"/\": {\"access\": \"public\", \"headers\": {\"X-Ptl-Big\": \"%s\"}}}}".formatted(bigTemplate));
		assertThat(template.statusCode()).as(template.body()).isEqualTo(422);
		assertThat(template.body()).contains("'X-Ptl-Big'", "10240 characters", "at most 1024").doesNotContain("xxxxxxxx");
		HttpResponse<String> tooMany = cluster.admin("PUT", "/api/apps/big", rules(1_000));
		assertThat(tooMany.statusCode()).isEqualTo(422);
		assertThat(tooMany.body()).contains("at most 64 path rules, not 1000").hasSizeLessThan(2000);
		// a body larger than any valid request is not even read
		HttpResponse<String> huge = cluster.admin("PUT", "/api/apps/big", rules(10_000));
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(cluster.admin("GET", "/api/apps/big", null).statusCode()).isEqualTo(404);
	}

	private static String rules(int count) {
		StringBuilder rules = new StringBuilder("{\"paths\": {");
		for (int i = 0; i < count; i++) {
			rules.append((i > 0) ? ", " : "").append("\"/p").append(i).append("\": {\"access\": \"public\"}");
		}
		return rules.append("}}").toString();
	}

}

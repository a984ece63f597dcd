package dev.gatehouse.system;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published description of the admin API, {@code docs/openapi.json}, is what the running admin serves at
 * {@code /v3/api-docs}; and only admins may read it. Run with {@code -Dgatehouse.openapi.write=true} to write
 * the file from the admin instead of comparing.
 */
class OpenApiSpecIntegrationTests {

	static final Path PUBLISHED = Path.of("..", "docs", "openapi.json");

	private static final String WRITE = "gatehouse.openapi.write";

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
	void publishedSpecIsWhatTheAdminServes() throws IOException {
		HttpResponse<String> served = cluster.admin("GET", "/v3/api-docs", null);
		assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
		JsonNode spec = Json.read(served.body());
		if (Boolean.getBoolean(WRITE)) {
			JsonMapper pretty = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
			Files.writeString(PUBLISHED, pretty.writeValueAsString(spec) + "\n");
			return;
		}
		assertThat(PUBLISHED).as("the published spec").exists();
		JsonNode published = Json.read(Files.readString(PUBLISHED));
		// JsonNode equality ignores the order of object members; arrays and values must match
		assertThat(spec).as("docs/openapi.json differs from the admin's /v3/api-docs; after an intended API change, "
				+ "regenerate it with: mvn -B verify -pl system-tests -am -Dtest=OpenApiSpecIntegrationTests "
				+ "-Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE + "=true").isEqualTo(published);
	}

	@Test
	void specIsDescribedAsOpenApi31WithTheBearerScheme() {
		JsonNode spec = Json.read(cluster.admin("GET", "/v3/api-docs", null).body());
		assertThat(spec.path("openapi").asString()).startsWith("3.1");
		assertThat(spec.path("components").path("securitySchemes").path("adminToken").path("scheme").asString())
			.isEqualTo("bearer");
		assertThat(spec.path("paths").path("/api/apps/{name}").path("put").path("responses").path("422").isMissingNode())
			.isFalse();
	}

	@Test
	void onlyAdminsMayReadTheSpecOrItsUi() {
		for (String path : new String[] { "/v3/api-docs", "/swagger-ui.html", "/swagger-ui/index.html" }) {
			assertThat(cluster.adminAs(null, "GET", path, null).statusCode()).as(path).isEqualTo(401);
			assertThat(cluster.adminAs("Bearer wrong-token-0123456789", "GET", path, null).statusCode()).as(path)
				.isEqualTo(401);
		}
		assertThat(cluster.admin("GET", "/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
	}

}

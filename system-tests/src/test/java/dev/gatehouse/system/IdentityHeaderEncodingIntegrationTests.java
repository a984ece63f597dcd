package dev.gatehouse.system;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Names in any script reach the app: every identity header is sent, encoded when it is not printable ASCII
 * ({@code UTF-8''} and percent-encoded UTF-8, as in RFC 8187), by every replica.
 */
class IdentityHeaderEncodingIntegrationTests {

	private static final String APP = """
			{"paths": {"/": {"access": "private", "headers": {
			  "X-Ptl-Who": "{{ auth.client_name }} for {{ portal.name }} <{{ portal.email }}>",
			  "X-Ptl-Short": "{{ portal.short_id }}"}}}}
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
	void namesOutsideLatin1ReachTheAppEncodedFromEveryReplica() {
		JsonNode identity = Scenarios.createIdentity(cluster, "山田 Ζωή");
		assertThat(cluster.admin("PUT", "/api/apps/encoded", APP).statusCode()).isEqualTo(201);
		Scenarios.Paired zoe = Scenarios.pair(cluster, "Zoë 🚀");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				HttpResponse<String> response = cluster.auth(index, "encoded.example.org", "/",
						ForwardAuthIntegrationTests.cookie(zoe.token()));
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(header(response, "X-Ptl-Client-Type")).isEqualTo("terminal");
				assertThat(header(response, "X-Ptl-Client-Id")).isEqualTo(zoe.terminalId());
				assertThat(header(response, "X-Ptl-Client-Name")).isEqualTo("UTF-8''Zo%C3%AB%20%F0%9F%9A%80");
				assertThat(decode(header(response, "X-Ptl-Client-Name"))).isEqualTo("Zoë 🚀");
				assertThat(header(response, "X-Ptl-ID")).isEqualTo(identity.get("id").asString());
				assertThat(header(response, "X-Ptl-Who")).startsWith("UTF-8''")
					.satisfies(who -> assertThat(decode(who)).isEqualTo("Zoë 🚀 for 山田 Ζωή <owner@example.org>"));
				assertThat(header(response, "X-Ptl-Short")).isEqualTo(identity.get("short_id").asString());
			});
			HttpResponse<String> terminal = cluster.get(cluster.replicaUrl(index) + "/internal/authenticate_terminal",
					ForwardAuthIntegrationTests.cookie(zoe.token()));
			assertThat(terminal.statusCode()).isEqualTo(200);
			assertThat(header(terminal, "X-Ptl-Client-Name")).isEqualTo("UTF-8''Zo%C3%AB%20%F0%9F%9A%80");
		}
	}

	@Test
	void aNameThatLooksEncodedIsEncodedSoTheAppReadsItBack() {
		assertThat(cluster.admin("PUT", "/api/apps/marker", APP).statusCode()).isEqualTo(201);
		Scenarios.Paired odd = Scenarios.pair(cluster, "UTF-8''odd");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			HttpResponse<String> response = cluster.auth(replica, "marker.example.org", "/",
					ForwardAuthIntegrationTests.cookie(odd.token()));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(header(response, "X-Ptl-Client-Name")).isEqualTo("UTF-8''UTF-8%27%27odd");
			assertThat(decode(header(response, "X-Ptl-Client-Name"))).isEqualTo("UTF-8''odd");
		}
	}

	private static String header(HttpResponse<?> response, String name) {
		return ForwardAuthIntegrationTests.header(response, name);
	}

	/** What an app does with an identity header, from the documented definition. */
	private static String decode(String value) {
		if (!value.regionMatches(true, 0, "UTF-8''", 0, 7)) {
			return value;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 7; i < value.length(); i++) {
			if (value.charAt(i) == '%') {
				bytes.write(Integer.parseInt(value, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				bytes.write(value.charAt(i));
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}

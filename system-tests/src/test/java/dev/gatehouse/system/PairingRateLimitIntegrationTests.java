package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing pairing codes is rate-limited, in Redis, for every admin instance alike.
 */
class PairingRateLimitIntegrationTests {

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startAdmin() {
		cluster = GatehouseCluster.start(0,
				GatehouseCluster.Options.DEFAULTS.withAdminProperties(Map.of("gatehouse.admin.pairing-failures-per-client", 3)));
	}

	@AfterAll
	static void stopAdmin() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void repeatedFailuresAreRefusedEvenWithTheRightCode() {
		String code = Json.read(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int i = 0; i < 3; i++) {
			assertThat(pair(wrong).statusCode()).isEqualTo(401);
		}
		HttpResponse<String> limited = pair(code);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		assertThat(Json.read(cluster.admin("GET", "/api/terminals", null).body())).isEmpty();
	}

	private static HttpResponse<String> pair(String code) {
		return cluster.adminAs(null, "POST", "/api/terminals/pair", "{\"code\": \"%s\", \"name\": \"Guess\"}".formatted(code));
	}

}

package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.gatehouse.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Terminal tokens that are harmless in an app's hands: they expire, they are renewed with the admin
 * token, and the replicas (which verify them) can neither mint one nor read a private key.
 */
class TerminalTokensIntegrationTests {

	@Test
	void tokensExpireByDefaultAndAreRenewedWithTheAdminToken() {
		try (GatehouseCluster cluster = GatehouseCluster.start(1)) {
			Scenarios.installDemoApp(cluster, "notes");
			HttpResponse<String> code = cluster.admin("POST", "/api/pairing-codes", null);
			HttpResponse<String> paired = cluster.adminAs(null, "POST", "/api/terminals/pair",
					"{\"code\": \"%s\", \"name\": \"Phone\"}".formatted(Json.read(code.body()).get("code").asString()));
			JsonNode body = Json.read(paired.body());
			Instant appExpiry = Instant.parse(body.get("token_expires_at").asString());
			Instant adminExpiry = Instant.parse(body.get("admin_token_expires_at").asString());
			assertThat(appExpiry).isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(8)));
			assertThat(adminExpiry).isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

			String id = body.get("terminal").get("id").asString();
			HttpResponse<String> renewed = cluster.adminAs("Bearer " + body.get("admin_token").asString(), "POST",
					"/api/terminals/" + id + "/tokens", null);
			assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
			String newToken = Json.read(renewed.body()).get("token").asString();
			assertThat(newToken).isNotEqualTo(body.get("token").asString());
			assertThat(cluster.auth(0, "notes.example.org", "/private", ForwardAuthIntegrationTests.cookie(newToken)).statusCode())
				.isEqualTo(200);
			// an app-access token cannot renew anything
			assertThat(cluster.adminAs("Bearer " + newToken, "POST", "/api/terminals/" + id + "/tokens", null).statusCode())
				.isEqualTo(401);
			assertThat(cluster.admin("POST", "/api/terminals/no-such-terminal/tokens", null).statusCode()).isEqualTo(404);
		}
	}

	/** The token expires on a clock the test moves: the admin issues by it, the replica verifies by it. */
	@Test
	void anExpiredAppTokenIsRefusedAndARenewedOneAdmitted() {
		MutableClock clock = new MutableClock();
		GatehouseCluster.Options shortLived = GatehouseCluster.Options.DEFAULTS
			.withAdminProperties(Map.of("gatehouse.admin.app-token-validity", "2s"))
			.withAdminBeans(Map.of("clock", clock))
			.withReplicaBeans(Map.of("clock", clock));
		try (GatehouseCluster cluster = GatehouseCluster.start(1, shortLived)) {
			Scenarios.installDemoApp(cluster, "notes");
			Scenarios.Paired paired = Scenarios.pair(cluster, "Tablet");
			assertThat(cluster.auth(0, "notes.example.org", "/private", ForwardAuthIntegrationTests.cookie(paired.token())).statusCode())
				.isEqualTo(200);
			clock.advance(Duration.ofSeconds(3));
			assertThat(cluster.auth(0, "notes.example.org", "/private", ForwardAuthIntegrationTests.cookie(paired.token())).statusCode())
				.as("past its 2 s validity").isEqualTo(401);
			String renewed = Json.read(cluster.adminAs("Bearer " + paired.adminToken(), "POST",
					"/api/terminals/" + paired.terminalId() + "/tokens", null).body()).get("token").asString();
			assertThat(cluster.auth(0, "notes.example.org", "/private", ForwardAuthIntegrationTests.cookie(renewed)).statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void replicasDatabaseRoleReadsWhatTheyCacheAndNothingElse() throws SQLException {
		try (GatehouseCluster cluster = GatehouseCluster.start(1)) {
			Scenarios.createIdentity(cluster, "Owner");
			Scenarios.installDemoApp(cluster, "notes");
			Scenarios.pair(cluster, "Laptop");
			Environment replica = cluster.replica(0).getEnvironment();
			assertThat(replica.getProperty("spring.datasource.username")).isEqualTo(TestDatabase.REPLICA_USER);
			try (Connection connection = DriverManager.getConnection(cluster.database().url(), TestDatabase.REPLICA_USER,
					replica.getProperty("spring.datasource.password")); Statement statement = connection.createStatement()) {
				statement.executeQuery("select public_key from token_key").close();
				statement.executeQuery("select id, name, public_key_pem from identity").close();
				for (String forbidden : new String[] { "select private_key from token_key",
						"select private_key_pem from identity", "select * from identity", "select * from pairing_code",
						"update app set status = 'running'", "insert into terminal (id, name) values ('x', 'forged')",
						"delete from terminal", "update change_counter set seq = seq + 1" }) {
					assertThatExceptionOfType(SQLException.class).as(forbidden)
						.isThrownBy(() -> statement.execute(forbidden))
						.withMessageContaining("permission denied");
				}
			}
		}
	}

}

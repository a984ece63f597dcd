package dev.gatehouse.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * What the services log never holds a credential: a whole Gatehouse (the admin and two replicas, in this
 * JVM) runs with debug logging for {@code dev.gatehouse} and structured JSON logs switched on as operators
 * do ({@code GATEHOUSE_LOG_FORMAT=ecs}), through a realistic session that handles every kind of secret:
 * the admin token, a pairing code, a terminal's two tokens and their renewal, forwardAuth requests with the
 * cookie (and a token in a query), a peer's signed request, the management secret, the outbound relay
 * token, and wrong or forged ones of each. Everything written to the console from start to shutdown is
 * captured; then no line may contain any of those secrets, the database passwords or the private keys,
 * every stdout line must be one JSON object, and the replicas' answer lines must be there, with their
 * fields as JSON members (so the test fails if logging silently stops).
 */
@ExtendWith(OutputCaptureExtension.class)
class LogSecretsIntegrationTests {

	private static final String RELAY_TOKEN = "log-test-relay-token-" + UUID.randomUUID();

	private static final String APP = """
			{"paths": {"/": {"access": "public"}, "/private": {"access": "private", "headers": {"X-Ptl-Who": "{{ auth.client_name }}"}},
			 "/peer": {"access": "peer"}}}
			""";

	private static final List<String> COVERED = List.of("@method", "@authority", "@target-uri");

	private static final String DECISION_LOGGER = "dev.gatehouse.auth.forwardauth.DecisionRoute";

	/** Where Spring Boot's logging system keeps {@code logging.structured.format.console} for Logback. */
	private static final String STRUCTURED_FORMAT = "CONSOLE_LOG_STRUCTURED_FORMAT";

	@AfterEach
	void plainLogsForTheTestsAfterThisOne() {
		System.clearProperty(STRUCTURED_FORMAT);
	}

	@Test
	void noCredentialEverReachesTheLogsAndEveryAnswerIsALine(CapturedOutput output) throws Exception {
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put("admin token", GatehouseCluster.ADMIN_TOKEN);
		secrets.put("management secret", GatehouseCluster.MANAGEMENT_SECRET);
		secrets.put("relay token", RELAY_TOKEN);
		List<String> pairingCodes = new ArrayList<>();
		// Spring Boot's console configuration (this module's logback-test.xml would replace it), switched to JSON
		// as an operator does, with debug for Gatehouse's own loggers and the other defaults (INFO)
		Map<String, Object> logging = Map.of("logging.config", "classpath:logback-structured-test.xml",
				"GATEHOUSE_LOG_FORMAT", "ecs", "logging.level.dev.gatehouse", "debug", "spring.main.banner-mode", "off");
		// Spring Boot copies the format into a system property and never overwrites one that is set: a context
		// started earlier in this JVM (the other tests') left it empty
		System.clearProperty(STRUCTURED_FORMAT);
		Map<String, Object> adminProperties = new LinkedHashMap<>(logging);
		adminProperties.put("gatehouse.admin.outbound.token", RELAY_TOKEN);
		adminProperties.put("gatehouse.admin.outbound.connect-timeout", "500ms");
		try (GatehouseCluster cluster = GatehouseCluster.start(2, GatehouseCluster.Options.DEFAULTS
			.withAdminProperties(adminProperties)
			.withReplicaProperties(logging))) {
			secrets.put("database password", cluster.database().password());
			secrets.put("replicas' database password", cluster.replicaPassword());

			// the admin API with the installation's token, and with wrong ones
			Scenarios.createIdentity(cluster, "Portal owner");
			assertThat(cluster.admin("PUT", "/api/apps/logs", APP).statusCode()).isEqualTo(201);
			String wrongBearer = secret(secrets, "wrong admin token", "wrong-admin-token-" + UUID.randomUUID());
			assertThat(cluster.adminAs("Bearer " + wrongBearer, "GET", "/api/apps", null).statusCode()).isEqualTo(401);
			assertThat(cluster.adminAs(wrongBearer, "GET", "/api/apps", null).statusCode()).isEqualTo(401);

			// pairing: a wrong code, then the right one; the terminal's tokens renewed with its admin token
			String code = pairingCode(cluster);
			pairingCodes.add(code);
			String wrongCode = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
			assertThat(pair(cluster, wrongCode).statusCode()).isIn(400, 401, 404, 422);
			JsonNode paired = Json.read(pair(cluster, code).body());
			String terminalId = paired.get("terminal").get("id").asString();
			String token = tokens(secrets, "app token", paired.get("token").asString());
			String adminToken = tokens(secrets, "terminal admin token", paired.get("admin_token").asString());
			assertThat(cluster.adminAs("Bearer " + adminToken, "GET", "/api/terminals", null).statusCode()).isEqualTo(200);
			HttpResponse<String> renewed = cluster.adminAs("Bearer " + adminToken, "POST", "/api/terminals/" + terminalId + "/tokens",
					null);
			assertThat(renewed.statusCode()).as(renewed.body()).isIn(200, 201);
			String renewedToken = tokens(secrets, "renewed app token", Json.read(renewed.body()).get("token").asString());
			tokens(secrets, "renewed admin token", Json.read(renewed.body()).get("admin_token").asString());
			pairingCodes.add(pairingCode(cluster)); // a code issued and never used

			// forwardAuth with the cookie on every replica (cold, then warm), with a token in the query, and
			// with garbage and forged tokens
			String querySecret = secret(secrets, "token in a query", "query-secret-" + UUID.randomUUID());
			String garbage = secret(secrets, "garbage cookie", "garbage-token-" + UUID.randomUUID());
			Instant now = Instant.now();
			String forged = tokens(secrets, "token of another key", new TokenSigner(
					(ECPrivateKey) TokenSigner.generateKeyPair().getPrivate()).issue(terminalId, TokenAudience.APPS, now,
							now.plusSeconds(600)));
			for (int replica = 0; replica < cluster.replicaCount(); replica++) {
				for (String cookieToken : List.of(token, renewedToken)) {
					assertThat(cluster.auth(replica, "logs.example.org", "/private/inbox", cookie(cookieToken)).statusCode())
						.isEqualTo(200);
				}
				assertThat(cluster.auth(replica, "logs.example.org", "/private/x?access_token=" + querySecret, cookie(token))
					.statusCode()).isEqualTo(200);
				assertThat(cluster.auth(replica, "logs.example.org", "/", cookie(garbage)).statusCode()).isEqualTo(200);
				for (String bad : List.of(garbage, forged, adminToken)) {
					assertThat(cluster.auth(replica, "logs.example.org", "/private", cookie(bad)).statusCode()).isEqualTo(401);
				}
				assertThat(cluster.auth(replica, "nope.example.org", "/", cookie(token)).statusCode()).isEqualTo(404);
				assertThat(cluster.get(cluster.replicaUrl(replica) + "/internal/authenticate_terminal", cookie(token))
					.statusCode()).isEqualTo(200);
				assertThat(cluster.get(cluster.replicaUrl(replica) + "/internal/authenticate_terminal", cookie(forged))
					.statusCode()).isEqualTo(401);
			}

			// a peer's signed requests (one with a nonce, so a Redis step), and a forged signature
			KeyPair peerKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			String peerId = IdentityIds.of(peerKeys.getPublic().getEncoded());
			String pem = new PeerKey(peerKeys.getPublic(), SignatureAlgorithm.ED25519).pem();
			assertThat(cluster.admin("PUT", "/api/peers/" + peerId, "{\"name\": \"Alice\", \"domain\": \"%s.example.org\", \"public_key_pem\": \"%s\"}"
				.formatted(peerId.substring(0, 6), pem.replace("\n", "\\n"))).statusCode()).isEqualTo(201);
			Signer signer = new Signer(peerId.substring(0, 6), peerKeys.getPrivate(), SignatureAlgorithm.ED25519);
			SignatureHeaders signed = signed(secrets, signer, Instant.now(), null);
			SignatureHeaders withNonce = signed(secrets, signer, Instant.now(), UUID.randomUUID().toString());
			SignatureHeaders stale = signed(secrets, signer, Instant.now().minusSeconds(3600), null);
			assertThat(signedAuth(cluster, 0, signed).statusCode()).isEqualTo(200);
			assertThat(signedAuth(cluster, 1, withNonce).statusCode()).isEqualTo(200);
			assertThat(signedAuth(cluster, 0, stale).statusCode()).isEqualTo(401);

			// the management secret, right and wrong
			String wrongSecret = secret(secrets, "wrong management secret", "wrong-management-secret-" + UUID.randomUUID());
			String management = cluster.replicaUrl(1) + "/internal/authenticate_management";
			assertThat(cluster.get(management, "Authorization", GatehouseCluster.MANAGEMENT_SECRET).statusCode()).isEqualTo(200);
			assertThat(cluster.get(management, "Authorization", wrongSecret).statusCode()).isEqualTo(401);

			// the outbound relay's token (the peer's host does not resolve: the call fails, the token is used)
			HttpRequest relay = HttpRequest.newBuilder(URI.create(cluster.adminUrl() + "/internal/peers/" + peerId + "/apps/inbox/x"))
				.header("Authorization", "Bearer " + RELAY_TOKEN)
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build();
			assertThat(cluster.send(relay).statusCode()).isGreaterThanOrEqualTo(400);

			// revocation, then the revoked token (a deletion on every replica)
			assertThat(cluster.admin("DELETE", "/api/terminals/" + terminalId, null).statusCode()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(3))
				.until(() -> cluster.auth(0, "logs.example.org", "/private", cookie(token)).statusCode() == 401);

			// the private keys the admin holds
			JdbcClient jdbc = JdbcClient.create(cluster.admin().getBean(javax.sql.DataSource.class));
			byte[] tokenKey = jdbc.sql("select private_key from token_key").query(byte[].class).single();
			secrets.put("token signing key (base64)", Base64.getEncoder().encodeToString(tokenKey).substring(0, 40));
			secrets.put("token signing key (hex)", HexFormat.of().formatHex(tokenKey).substring(0, 40));
			String identityKey = jdbc.sql("select private_key_pem from identity").query(String.class).list().getFirst();
			secrets.put("identity private key", identityKey.lines().skip(1).findFirst().orElseThrow());
		}

		// the first line holding each secret (a 6-digit code only as a number of its own, not inside a timestamp)
		List<String> lines = output.getAll().lines().toList();
		Map<String, String> leaks = new LinkedHashMap<>();
		Pattern codes = Pattern.compile("(?<![0-9])(" + String.join("|", pairingCodes) + ")(?![0-9])");
		for (String line : lines) {
			secrets.forEach((name, secret) -> {
				if (line.contains(secret)) {
					leaks.putIfAbsent(name, line);
				}
			});
			if (codes.matcher(line).find()) {
				leaks.putIfAbsent("pairing code", line);
			}
		}
		assertThat(leaks).as("secrets found in the log, each with the first line holding it").isEmpty();

		// every line the services wrote to stdout is one JSON object; the replicas' answers are among them
		List<JsonNode> logged = new ArrayList<>();
		for (String line : output.getOut().lines().filter(line -> !line.isBlank()).toList()) {
			try {
				logged.add(Json.read(line));
			}
			catch (RuntimeException ex) {
				fail("not a JSON log line: " + line);
			}
		}
		List<JsonNode> answers = logged.stream()
			.filter(line -> DECISION_LOGGER.equals(line.path("log").path("logger").asString(null)))
			.filter(line -> line.has("route"))
			.toList();
		List<String> seen = answers.stream()
			.map(line -> String.join(" ", line.path("route").asString(), line.path("status").asString(),
					line.path("reason").asString(""), line.path("client_type").asString("")).trim())
			.toList();
		assertThat(seen).contains("/internal/auth 200 ALLOWED terminal", "/internal/auth 200 ALLOWED anonymous",
				"/internal/auth 200 ALLOWED peer", "/internal/auth 401 UNAUTHENTICATED", "/internal/auth 404 UNKNOWN_APP",
				"/internal/authenticate_terminal 200 ALLOWED terminal", "/internal/authenticate_terminal 401 UNAUTHENTICATED",
				"/internal/authenticate_management 200 ALLOWED", "/internal/authenticate_management 401 UNAUTHENTICATED");
		assertThat(answers).allSatisfy(line -> {
			assertThat(line.path("log").path("level").asString()).isEqualTo("DEBUG");
			assertThat(line.path("latency_us").isNumber() || line.path("latency_us").asString("").matches("[0-9]+"))
				.as("latency_us of %s", line)
				.isTrue();
		});
		assertThat(answers).filteredOn(line -> line.has("forwarded_path"))
			.extracting(line -> line.path("forwarded_path").asString())
			.contains("/private/inbox", "/private/x", "/peer/messages")
			.noneMatch(path -> path.contains("?"));
	}

	/** Adds a secret to look for; returns it. */
	private static String secret(Map<String, String> secrets, String name, String value) {
		secrets.put(name, value);
		return value;
	}

	/** Adds a JWT and each of its three parts to the secrets to look for; returns it. */
	private static String tokens(Map<String, String> secrets, String name, String jwt) {
		secrets.put(name, jwt);
		String[] parts = jwt.split("\\.");
		assertThat(parts).hasSize(3);
		secrets.put(name + " (header)", parts[0]);
		secrets.put(name + " (claims)", parts[1]);
		secrets.put(name + " (signature)", parts[2]);
		return jwt;
	}

	private static String pairingCode(GatehouseCluster cluster) {
		HttpResponse<String> code = cluster.admin("POST", "/api/pairing-codes", null);
		assertThat(code.statusCode()).as(code.body()).isEqualTo(201);
		return Json.read(code.body()).get("code").asString();
	}

	private static HttpResponse<String> pair(GatehouseCluster cluster, String code) {
		return cluster.adminAs(null, "POST", "/api/terminals/pair", "{\"code\": \"%s\", \"name\": \"Laptop\"}".formatted(code));
	}

	private static String[] cookie(String token) {
		return ForwardAuthIntegrationTests.cookie(token);
	}

	/** A peer's signature of {@code GET https://logs.example.org/peer/messages?since=3}; its value is a secret. */
	private static SignatureHeaders signed(Map<String, String> secrets, Signer signer, Instant created, String nonce) {
		SignatureHeaders headers = signer.sign(
				SignedRequest.of("GET", "https://logs.example.org/peer/messages?since=3", HeaderFields.none()), "sig1",
				COVERED, created, null, nonce);
		String value = headers.signature();
		secret(secrets, "peer signature " + secrets.size(), value.substring(value.indexOf(':') + 1, value.lastIndexOf(':')));
		return headers;
	}

	private static HttpResponse<String> signedAuth(GatehouseCluster cluster, int replica, SignatureHeaders signature) {
		return cluster.send(HttpRequest.newBuilder(URI.create(cluster.replicaUrl(replica) + "/internal/auth"))
			.timeout(Duration.ofSeconds(10))
			.header("X-Forwarded-Host", "logs.example.org")
			.header("X-Forwarded-Uri", "/peer/messages?since=3")
			.header("X-Forwarded-Method", "GET")
			.header("X-Forwarded-Proto", "https")
			.header("Signature-Input", signature.signatureInput())
			.header("Signature", signature.signature())
			.GET()
			.build());
	}

}

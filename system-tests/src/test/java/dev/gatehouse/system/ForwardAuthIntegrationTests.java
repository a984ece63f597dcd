package dev.gatehouse.system;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.terminal.TokenAudience;
import dev.gatehouse.model.terminal.TokenSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The original platform's forwardAuth behaviours, through the HTTP endpoints of the admin and two auth
 * replicas on real PostgreSQL and Redis.
 */
class ForwardAuthIntegrationTests {

	private static GatehouseCluster cluster;

	private static String identityId;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(2);
		identityId = Scenarios.createIdentity(cluster, "Portal owner").get("id").asString();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void publicPathIsAllowedAnonymouslyWithRenderedHeaders() {
		Scenarios.installDemoApp(cluster, "pub");
		HttpResponse<String> response = cluster.auth(0, "pub.example.org", "/index.html");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(header(response, "X-Ptl-Client-Type")).isEqualTo("anonymous");
		assertThat(header(response, "X-Ptl-Client-Id")).isEmpty();
		assertThat(header(response, "X-Ptl-Client-Name")).isEmpty();
		assertThat(header(response, "X-Ptl-ID")).isEqualTo(identityId);
		assertThat(header(response, "X-Ptl-Foo")).isEqualTo("baz");
	}

	@Test
	void longestPrefixWins() {
		Scenarios.installDemoApp(cluster, "prefixes");
		String token = Scenarios.pair(cluster, "Phone").token();
		HttpResponse<String> privatePath = cluster.auth(0, "prefixes.example.org", "/private/notes", cookie(token));
		assertThat(header(privatePath, "X-Ptl-Foo")).isEqualTo("bar Phone");
		HttpResponse<String> publicPath = cluster.auth(0, "prefixes.example.org", "/privateer", cookie(token));
		assertThat(header(publicPath, "X-Ptl-Foo")).isEqualTo("baz");
	}

	@Test
	void privatePathNeedsAPairedTerminalOnEveryReplicaUntilRevoked() {
		Scenarios.installDemoApp(cluster, "priv");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(cluster.auth(replica, "priv.example.org", "/private/x").statusCode()).isEqualTo(401);
		}
		Scenarios.Paired laptop = Scenarios.pair(cluster, "Laptop");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			HttpResponse<String> allowed = cluster.auth(replica, "priv.example.org", "/private/x", cookie(laptop.token()));
			assertThat(allowed.statusCode()).isEqualTo(200);
			assertThat(header(allowed, "X-Ptl-Client-Type")).isEqualTo("terminal");
			assertThat(header(allowed, "X-Ptl-Client-Id")).isEqualTo(laptop.terminalId());
			assertThat(header(allowed, "X-Ptl-Client-Name")).isEqualTo("Laptop");
		}
		assertThat(cluster.admin("DELETE", "/api/terminals/" + laptop.terminalId(), null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3))
				.until(() -> cluster.auth(index, "priv.example.org", "/private/x", cookie(laptop.token())).statusCode() == 401);
		}
	}

	@Test
	void cookieValueMayBeQuotedOrPlainAndSitAmongOtherCookies() {
		Scenarios.installDemoApp(cluster, "cookies");
		String token = Scenarios.pair(cluster, "Tablet").token();
		assertThat(cluster.auth(0, "cookies.example.org", "/private", "Cookie", "theme=dark; authorization=" + token)
			.statusCode()).isEqualTo(200);
		assertThat(cluster.auth(0, "cookies.example.org", "/private", "Cookie", "authorization=\"Bearer " + token + "\"")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void unknownAppIsNotFoundUntilInstalled() {
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(cluster.auth(replica, "later.example.org", "/").statusCode()).isEqualTo(404);
		}
		Scenarios.installDemoApp(cluster, "later");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.auth(index, "later.example.org", "/").statusCode() == 200);
		}
		assertThat(cluster.admin("DELETE", "/api/apps/later", null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.auth(index, "later.example.org", "/").statusCode() == 404);
		}
	}

	@Test
	void replacedAppRulesReachEveryReplica() {
		Scenarios.installDemoApp(cluster, "moving");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(cluster.auth(replica, "moving.example.org", "/docs").statusCode()).isEqualTo(200);
		}
		HttpResponse<String> replaced = cluster.admin("PUT", "/api/apps/moving",
				"{\"paths\": {\"/\": {\"access\": \"private\"}, \"/health\": {\"access\": \"public\"}}}");
		assertThat(replaced.statusCode()).isEqualTo(200);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.auth(index, "moving.example.org", "/docs").statusCode() == 401);
			assertThat(cluster.auth(replica, "moving.example.org", "/health").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void pathsAppsCouldReadDifferentlyAreRefused() {
		Scenarios.installDemoApp(cluster, "paths");
		// docs/path-model.md: each of these is read differently by servlet, Go or Node apps
		for (String ambiguous : new String[] { "/public/../private", "/%2e%2e/private", "//private",
				"/x/%2e%2e/private?next=/", "/private%2fx", "/private%5cx", "/public/..;/private", "/private;x",
				"/;x/private", "/private;jsessionid=0/deeper", "/public#/../private", "/priv%2561te", "/private%3Fx" }) {
			assertThat(cluster.auth(0, "paths.example.org", ambiguous).statusCode()).as(ambiguous).isEqualTo(400);
		}
		// raw UTF-8 bytes (HttpClient would replace them): once read as Latin-1 and missed a private '/café'
		byte[] rawCafe = { '/', 'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9 };
		assertThat(rawAuthStatus(0, "paths.example.org", rawCafe)).isEqualTo(400);
		assertThat(cluster.auth(0, "paths.example.org", "/PRIVATE/x").statusCode()).isEqualTo(401);
		assertThat(cluster.auth(0, "paths.example.org", "/Private").statusCode()).isEqualTo(401);
		assertThat(cluster.auth(0, "paths.example.org", "/private/").statusCode()).isEqualTo(401);
		assertThat(cluster.auth(0, "paths.example.org", "/public/x?y=1;z").statusCode()).isEqualTo(200);
	}

	@Test
	void everyMethodGetsTheSameDecision() throws Exception {
		Scenarios.installDemoApp(cluster, "methods");
		for (String method : new String[] { "OPTIONS", "HEAD", "POST", "PUT", "DELETE" }) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.replicaUrl(0) + "/internal/auth"))
				.header("X-Forwarded-Host", "methods.example.org")
				.header("X-Forwarded-Uri", "/private")
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build();
			int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			assertThat(status).as(method).isEqualTo(401);
		}
	}

	@Test
	void formatSuffixesOfAPrivatePathArePrivate() {
		Scenarios.installDemoApp(cluster, "formats");
		for (String path : new String[] { "/private.json", "/private.", "/private%20", "/PRIVATE.html" }) {
			assertThat(cluster.auth(0, "formats.example.org", path).statusCode()).as(path).isEqualTo(401);
		}
	}

	@Test
	void duplicatedForwardedHeadersAreRefused() {
		Scenarios.installDemoApp(cluster, "dupes");
		assertThat(cluster.auth(0, "dupes.example.org", "/", "X-Forwarded-Uri", "/private").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "dupes.example.org", "/private", "X-Forwarded-Host", "dupes.example.org").statusCode())
			.isEqualTo(400);
		assertThat(cluster.auth(0, "dupes.example.org", "/", "X-Forwarded-Method", "POST").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "dupes.example.org", "/", "X-Forwarded-Proto", "https", "X-Forwarded-Proto", "http")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void requestsWithoutAMatchingRuleAreForbidden() {
		assertThat(cluster.admin("PUT", "/api/apps/narrow", "{\"paths\": {\"/api\": {\"access\": \"public\"}}}").statusCode())
			.isEqualTo(201);
		assertThat(cluster.auth(0, "narrow.example.org", "/api/v1").statusCode()).isEqualTo(200);
		assertThat(cluster.auth(0, "narrow.example.org", "/other").statusCode()).isEqualTo(403);
	}

	@Test
	void peerPathsAreRefusedForNow() {
		assertThat(cluster.admin("PUT", "/api/apps/peers", "{\"paths\": {\"/\": {\"access\": \"peer\"}}}").statusCode())
			.isEqualTo(201);
		String token = Scenarios.pair(cluster, "Desktop").token();
		assertThat(cluster.auth(0, "peers.example.org", "/", cookie(token)).statusCode()).isEqualTo(401);
	}

	@Test
	void missingOrMalformedHostIsABadRequest() {
		assertThat(cluster.auth(0, null, "/").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "", "/").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "bad_host.example.org", "/").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "pub.example.org:http", "/").statusCode()).isEqualTo(400);
		assertThat(cluster.auth(0, "pub.example.org", null).statusCode()).isEqualTo(400);
	}

	@Test
	void hostIsCaseInsensitiveAndMayCarryAPort() {
		Scenarios.installDemoApp(cluster, "ports");
		assertThat(cluster.auth(0, "Ports.Example.org:8443", "/").statusCode()).isEqualTo(200);
	}

	@Test
	void clientSuppliedIdentityHeadersNeverSurvive() {
		Scenarios.installDemoApp(cluster, "forged");
		HttpResponse<String> response = cluster.auth(0, "forged.example.org", "/", "X-Ptl-Client-Id", "admin",
				"X-Ptl-Client-Type", "terminal", "X-Ptl-Client-Name", "root", "X-Ptl-ID", "evil");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(header(response, "X-Ptl-Client-Id")).isEmpty();
		assertThat(header(response, "X-Ptl-Client-Type")).isEqualTo("anonymous");
		assertThat(header(response, "X-Ptl-Client-Name")).isEmpty();
		assertThat(header(response, "X-Ptl-ID")).isEqualTo(identityId);
		assertThat(cluster.auth(0, "forged.example.org", "/private", "X-Ptl-Client-Type", "terminal",
				"X-Ptl-Client-Id", "x").statusCode()).isEqualTo(401);
	}

	@Test
	void invalidTokensAreTreatedAsAnonymous() throws Exception {
		Scenarios.installDemoApp(cluster, "tokens");
		Scenarios.Paired paired = Scenarios.pair(cluster, "Watch");
		JdbcClient jdbc = JdbcClient.create(cluster.admin().getBean(javax.sql.DataSource.class));
		byte[] privateKey = jdbc.sql("select private_key from token_key").query(byte[].class).single();
		byte[] publicKey = jdbc.sql("select public_key from token_key").query(byte[].class).single();
		TokenSigner realKey = new TokenSigner(
				(ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(privateKey)));
		Instant now = Instant.now();
		String expired = realKey.issue(paired.terminalId(), TokenAudience.APPS, now.minusSeconds(120), now.minusSeconds(60));
		String otherKey = new TokenSigner((ECPrivateKey) TokenSigner.generateKeyPair().getPrivate())
			.issue(paired.terminalId(), TokenAudience.APPS, now, now.plusSeconds(600));
		String algNone = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url("{\"sub\":\"" + paired.terminalId() + "\"}") + ".";
		// HS256 keyed with the public key, which replicas and Redis hold: the algorithm-confusion forgery
		SignedJWT confused = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
			.subject(paired.terminalId())
			.audience(TokenAudience.APPS.claim())
			.expirationTime(Date.from(now.plusSeconds(600)))
			.build());
		confused.sign(new MACSigner(publicKey));
		for (String token : new String[] { "garbage", expired, otherKey, algNone, paired.adminToken(), confused.serialize(), "" }) {
			assertThat(cluster.auth(0, "tokens.example.org", "/private", cookie(token)).statusCode()).as(token).isEqualTo(401);
			HttpResponse<String> publicPath = cluster.auth(0, "tokens.example.org", "/", cookie(token));
			assertThat(publicPath.statusCode()).isEqualTo(200);
			assertThat(header(publicPath, "X-Ptl-Client-Type")).isEqualTo("anonymous");
		}
		assertThat(cluster.auth(0, "tokens.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);
	}

	@Test
	void authenticateTerminalAnswersForValidCookiesOnly() {
		Scenarios.Paired paired = Scenarios.pair(cluster, "Reader");
		HttpResponse<String> valid = cluster.get(cluster.replicaUrl(1) + "/internal/authenticate_terminal", cookie(paired.token()));
		assertThat(valid.statusCode()).isEqualTo(200);
		assertThat(header(valid, "X-Ptl-Client-Id")).isEqualTo(paired.terminalId());
		assertThat(header(valid, "X-Ptl-Client-Name")).isEqualTo("Reader");
		assertThat(cluster.get(cluster.replicaUrl(1) + "/internal/authenticate_terminal").statusCode()).isEqualTo(401);
		assertThat(cluster.get(cluster.replicaUrl(1) + "/internal/authenticate_terminal", cookie("nope")).statusCode())
			.isEqualTo(401);
	}

	@Test
	void authenticateManagementComparesTheSecret() {
		String url = cluster.replicaUrl(0) + "/internal/authenticate_management";
		assertThat(cluster.get(url, "Authorization", GatehouseCluster.MANAGEMENT_SECRET).statusCode()).isEqualTo(200);
		assertThat(cluster.get(url, "Authorization", GatehouseCluster.MANAGEMENT_SECRET + "x").statusCode()).isEqualTo(401);
		assertThat(cluster.get(url).statusCode()).isEqualTo(401);
	}

	@Test
	void warmRequestsCauseNoDatabaseOrRedisTraffic() {
		Scenarios.installDemoApp(cluster, "warm");
		String token = Scenarios.pair(cluster, "Warm").token();
		assertThat(cluster.auth(0, "warm.example.org", "/").statusCode()).isEqualTo(200);
		assertThat(cluster.auth(0, "warm.example.org", "/private", cookie(token)).statusCode()).isEqualTo(200);
		double connections = Metrics.count(cluster.replicaMeters(0), "hikaricp.connections.acquire");
		double redisTrips = Metrics.count(cluster.replicaMeters(0), "gatehouse.l2.requests");
		assertThat(connections).as("the cold requests used the database").isPositive();
		assertThat(redisTrips).as("the cold requests used Redis").isPositive();
		for (int i = 0; i < 50; i++) {
			assertThat(cluster.auth(0, "warm.example.org", "/").statusCode()).isEqualTo(200);
			assertThat(cluster.auth(0, "warm.example.org", "/private/" + i, cookie(token)).statusCode()).isEqualTo(200);
		}
		assertThat(Metrics.count(cluster.replicaMeters(0), "hikaricp.connections.acquire")).isEqualTo(connections);
		assertThat(Metrics.count(cluster.replicaMeters(0), "gatehouse.l2.requests")).isEqualTo(redisTrips);
	}

	@Test
	void activityIsRecordedAndDebounced() {
		Scenarios.installDemoApp(cluster, "busy");
		Scenarios.Paired paired = Scenarios.pair(cluster, "Busy");
		assertThat(cluster.auth(0, "busy.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !Json.read(cluster.admin("GET", "/api/apps/busy", null).body()).get("last_access").isNull());
		String firstAccess = Json.read(cluster.admin("GET", "/api/apps/busy", null).body()).get("last_access").asString();
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			for (JsonNode terminal : Json.read(cluster.admin("GET", "/api/terminals", null).body())) {
				if (terminal.get("id").asString().equals(paired.terminalId())) {
					return !terminal.get("last_connection").isNull();
				}
			}
			return false;
		});
		double receivedBefore = Metrics.count(cluster.admin().getBean(io.micrometer.core.instrument.MeterRegistry.class),
				"gatehouse.activity.received");
		for (int i = 0; i < 100; i++) {
			assertThat(cluster.auth(i % 2, "busy.example.org", "/").statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Metrics.count(cluster.admin().getBean(io.micrometer.core.instrument.MeterRegistry.class),
					"gatehouse.activity.received") >= receivedBefore + 2);
		assertThat(Json.read(cluster.admin("GET", "/api/apps/busy", null).body()).get("last_access").asString())
			.as("debounced: a second write inside the window is skipped").isEqualTo(firstAccess);
	}

	/** A forwardAuth call over a plain socket, so the URI header carries exactly these bytes. */
	private static int rawAuthStatus(int replica, String host, byte[] uri) {
		URI base = URI.create(cluster.replicaUrl(replica));
		try (Socket socket = new Socket(base.getHost(), base.getPort())) {
			socket.setSoTimeout(10_000);
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			request.writeBytes(("GET /internal/auth HTTP/1.1\r\nHost: gatehouse\r\nX-Forwarded-Host: " + host
					+ "\r\nX-Forwarded-Uri: ").getBytes(StandardCharsets.US_ASCII));
			request.writeBytes(uri);
			request.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(request.toByteArray());
			String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
				.readLine();
			return Integer.parseInt(statusLine.split(" ")[1]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String[] cookie(String token) {
		return new String[] { "Cookie", "authorization=Bearer%20" + token };
	}

	static String header(HttpResponse<?> response, String name) {
		return response.headers().firstValue(name).orElse(null);
	}

	private static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}

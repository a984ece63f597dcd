package dev.gatehouse.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two installations on one machine, each a local cluster of {@code infra/local/cluster.sh} with its own
 * database, Redis namespace and Traefik: they add each other by id alone (each admin reads the other's
 * identity document through the other's Traefik, on the other's portal domain), and an app call from A through
 * A's outbound relay reaches B's {@code peer} path through B's Traefik, signed by A and verified by B's
 * replicas.
 * <p>
 * How an admin reaches the other installation by its domain here: each admin's
 * {@code gatehouse.admin.peers.identity-url} and {@code gatehouse.admin.outbound.app-url} name the other
 * Traefik's port ({@code http://{domain}:PORT/public/identity}, {@code http://{app}.{domain}:PORT}), and the
 * domains resolve to 127.0.0.1 through {@link LoopbackNames} (the JDK resolves no {@code *.localhost} on a
 * machine whose resolver does not).
 * <p>
 * The tests tell one story (add each other, call, remove), but none counts on another having run: each
 * establishes the registrations it needs ({@link #peered()}, or none for the first add), so any order passes.
 */
class TwoInstallationsEndToEndIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final SecureRandom random = new SecureRandom();

	private static final String RELAY_TOKEN_A = token();

	private static LoopbackNames names;

	private static LocalCluster a;

	private static LocalCluster b;

	private static JsonNode identityA;

	private static JsonNode identityB;

	@BeforeAll
	static void startBoth() {
		names = new LoopbackNames();
		int portA = LocalCluster.freeProxyPort();
		int portB = LocalCluster.freeProxyPort();
		while (portB == portA) {
			portB = LocalCluster.freeProxyPort();
		}
		// A calls out (one replica is enough), B decides on A's calls (three replicas, each must refuse in the end)
		a = new LocalCluster("a", settings(portA, portB, RELAY_TOKEN_A));
		b = new LocalCluster("b", settings(portB, portA, token()));
		a.up(1);
		b.up(3);
		identityA = a.identity();
		identityB = b.identity();
		String domainA = identityA.get("domain").asString();
		String domainB = identityB.get("domain").asString();
		assertThat(domainA).isNotEqualTo(domainB);
		names.add(domainA, domainB, "partners." + domainB);
		assertThat(b.admin("PUT", "/api/apps/partners", """
				{"paths": {"/peer": {"access": "peer", "headers": {"X-Ptl-Peer": "{{ auth.client_name }}"}}}}
				""").statusCode()).isEqualTo(201);
	}

	/** One installation's settings: its own proxy port, and the other's for everything it calls. */
	private static Map<String, String> settings(int ownPort, int otherPort, String relayToken) {
		return Map.of("GATEHOUSE_PROXY_PORT", Integer.toString(ownPort), "GATEHOUSE_JAVA_OPTS", names.javaOptions(),
				"GATEHOUSE_ADMIN_PEERS_IDENTITY_URL", "http://{domain}:" + otherPort + "/public/identity",
				"GATEHOUSE_ADMIN_OUTBOUND_APP_URL", "http://{app}.{domain}:" + otherPort, "GATEHOUSE_ADMIN_OUTBOUND_TOKEN",
				relayToken);
	}

	@AfterAll
	static void stopBoth() {
		for (LocalCluster cluster : new LocalCluster[] { a, b }) {
			if (cluster != null) {
				cluster.close();
			}
		}
		if (names != null) {
			names.delete();
		}
	}

	@Test
	void eachAddsTheOtherByIdAloneFromItsIdentityDocumentThroughItsProxy() {
		forget(a, identityB);
		forget(b, identityA);
		int logged = b.accessLog().size();
		JsonNode bInA = addById(a, identityB, "Installation B");
		assertThat(bInA.get("key_source").asString()).isEqualTo("identity-document");
		assertThat(bInA.get("public_key_pem").asString()).isEqualTo(identityB.get("public_key_pem").asString());
		// the document came through B's Traefik, on B's portal domain
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			List<JsonNode> log = b.accessLog();
			assertThat(log.subList(Math.min(logged, log.size()), log.size())).anySatisfy((entry) -> {
				assertThat(entry.path("RequestHost").asString()).isEqualTo(identityB.get("domain").asString());
				assertThat(entry.path("RequestPath").asString()).isEqualTo("/public/identity");
				assertThat(entry.path("DownstreamStatus").asInt()).isEqualTo(200);
			});
		});

		JsonNode aInB = addById(b, identityA, "Installation A");
		assertThat(aInB.get("key_source").asString()).isEqualTo("identity-document");
		assertThat(aInB.get("public_key_pem").asString()).isEqualTo(identityA.get("public_key_pem").asString());

		// an id the document's key is not bound to is refused
		HttpResponse<String> wrongId = a.admin("PUT", "/api/peers/" + otherShortId(identityB.get("short_id").asString()),
				json.writeValueAsString(Map.of("name", "Impostor", "domain", identityB.get("domain").asString())));
		assertThat(wrongId.statusCode()).as(wrongId.body()).isEqualTo(422);
	}

	@Test
	void anAppCallThroughTheRelayReachesThePeerPathOfTheOtherAsThePeer() {
		peered();
		String target = "/peer/inbox?since=2026-01-01";
		// three replicas, round robin: six calls reach every one of them twice
		for (int i = 0; i < 6; i++) {
			HttpResponse<String> call = relay("GET", target, null);
			assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
			JsonNode echo = json.readTree(call.body());
			JsonNode headers = echo.get("headers");
			assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("peer");
			assertThat(headers.path("x-ptl-client-id").asString()).isEqualTo(identityA.get("id").asString());
			assertThat(headers.path("x-ptl-client-name").asString()).isEqualTo("Installation A");
			assertThat(headers.path("x-ptl-peer").asString()).isEqualTo("Installation A");
			assertThat(headers.path("x-ptl-id").asString()).as("B's own identity").isEqualTo(identityB.get("id").asString());
			assertThat(echo.get("host").asString())
				.isEqualTo("partners." + identityB.get("domain").asString() + ":" + b.proxyPort());
			assertThat(echo.get("uri").asString()).isEqualTo(target);
		}
		HttpResponse<String> post = relay("POST", "/peer/orders", "{\"order\": 42}");
		assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
		assertThat(json.readTree(post.body()).get("method").asString()).isEqualTo("POST");
		assertThat(json.readTree(post.body()).get("headers").path("signature-input").asString()).contains("\"content-digest\"");

		// no open relay: only registered peers
		HttpResponse<String> stranger = a.send(HttpRequest
			.newBuilder(URI.create(a.adminUrl() + "/internal/peers/zzzzzz/apps/partners/peer/inbox"))
			.header("Authorization", "Bearer " + RELAY_TOKEN_A)
			.GET());
		assertThat(stranger.statusCode()).isEqualTo(404);
	}

	/**
	 * The bound is the coherence lease (3 s, docs/consistency.md): the longest a replica may honour a removed
	 * peer even when every invalidation path fails; the message path takes milliseconds.
	 */
	@Test
	void afterTheOtherRemovesItTheSameCallIsRefusedByEveryReplicaWithinThreeSeconds() {
		peered();
		assertThat(relay("GET", "/peer/inbox", null).statusCode()).isEqualTo(200);
		Instant removed = Instant.now();
		assertThat(b.admin("DELETE", "/api/peers/" + identityA.get("id").asString(), null).statusCode()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> everyReplicaOfBAnswers(401));
		System.out.printf("removal of A seen by every replica of B after %d ms%n",
				Duration.between(removed, Instant.now()).toMillis());
		List<Integer> after = List.of(relay("GET", "/peer/inbox", null).statusCode(),
				relay("POST", "/peer/orders", "{}").statusCode(), relay("GET", "/peer/inbox", null).statusCode());
		assertThat(after).containsOnly(401);
	}

	/**
	 * Each installation knows the other, whatever an earlier test removed, and every replica of B admits
	 * A's calls: a registration made here reaches them within the coherence lease (3 s, docs/consistency.md).
	 */
	private static void peered() {
		if (a.admin("GET", "/api/peers/" + identityB.get("id").asString(), null).statusCode() == 404) {
			addById(a, identityB, "Installation B");
		}
		if (b.admin("GET", "/api/peers/" + identityA.get("id").asString(), null).statusCode() == 404) {
			addById(b, identityA, "Installation A");
		}
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> everyReplicaOfBAnswers(200));
	}

	/** The installation no longer knows the other, whether it did or not. */
	private static void forget(LocalCluster cluster, JsonNode other) {
		assertThat(cluster.admin("DELETE", "/api/peers/" + other.get("id").asString(), null).statusCode()).isIn(204, 404);
	}

	/** Three replicas, round robin: six calls in a row with this status mean every replica answers it. */
	private static boolean everyReplicaOfBAnswers(int status) {
		for (int i = 0; i < 6; i++) {
			if (relay("GET", "/peer/inbox", null).statusCode() != status) {
				return false;
			}
		}
		return true;
	}

	/** A adds the other installation with its id, a name and its domain: no key. */
	private static JsonNode addById(LocalCluster cluster, JsonNode other, String name) {
		HttpResponse<String> response = cluster.admin("PUT", "/api/peers/" + other.get("id").asString(),
				json.writeValueAsString(Map.of("name", name, "domain", other.get("domain").asString())));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json.readTree(response.body());
	}

	/** An app of A calls B's app {@code partners} through A's relay. */
	private static HttpResponse<String> relay(String method, String target, String body) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(a.adminUrl() + "/internal/peers/" + identityB.get("id").asString() + "/apps/partners"
					+ target))
			.header("Authorization", "Bearer " + RELAY_TOKEN_A)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return a.send(request);
	}

	/** A short id that is not this one: the same length and alphabet. */
	private static String otherShortId(String shortId) {
		return (shortId.charAt(0) == 'a' ? "b" : "a") + shortId.substring(1);
	}

	private static String token() {
		byte[] bytes = new byte[20];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}

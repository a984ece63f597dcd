package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.identity.PortalIdentity;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peering through the real proxy (README, Peering): the local cluster of {@code infra/local/cluster.sh}
 * behind Traefik, other installations played by this test (signing with Gatehouse's own {@link Signer}) and by
 * the Python reference implementation of RFC 9421 ({@link PythonReference}). What Traefik forwards to the
 * auth tier ({@code X-Forwarded-Method/-Proto/-Host/-Uri}, {@code Signature}, {@code Signature-Input},
 * {@code Content-Digest}) must rebuild exactly the request the peer signed, port included; the demo app echoes
 * what reached it. The admin's outbound relay is pointed at a Python server that verifies with the reference
 * library. No test depends on another's state or order: the one that removes a peer removes its own.
 */
class PeeringEndToEndIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> COMPONENTS = List.of("@method", "@authority", "@target-uri");

	private static final SecureRandom random = new SecureRandom();

	private static final String RELAY_TOKEN = token();

	/** Where the reference peer's apps are, as the relay addresses them: {@code <app>.<domain>}. */
	private static final String REFERENCE_PEER_DOMAIN = "reference-peer.localhost";

	private static PythonReference python;

	private static LoopbackNames names;

	private static int referencePeerPort;

	private static LocalCluster cluster;

	private static TestPeer partner;

	@BeforeAll
	static void startCluster() {
		python = PythonReference.prepare();
		names = new LoopbackNames();
		referencePeerPort = ephemeralPort();
		names.add("echo." + REFERENCE_PEER_DOMAIN);
		cluster = new LocalCluster("peering", Map.of("GATEHOUSE_JAVA_OPTS", names.javaOptions(),
				"GATEHOUSE_ADMIN_OUTBOUND_TOKEN", RELAY_TOKEN, "GATEHOUSE_ADMIN_OUTBOUND_APP_URL",
				"http://{app}.{domain}:" + referencePeerPort));
		cluster.up(3);
		assertThat(cluster.admin("PUT", "/api/apps/partners", """
				{"paths": {"/": {"access": "public"},
				           "/peer": {"access": "peer", "headers": {"X-Ptl-Peer": "{{ auth.client_name }}"}}}}
				""").statusCode()).isEqualTo(201);
		partner = TestPeer.generate(SignatureAlgorithm.ED25519, "Partner portal");
		register(partner, "partner.example.org");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
		if (names != null) {
			names.delete();
		}
	}

	@Test
	void identityDocumentIsServedThroughTraefikOnThePortalsOwnDomainOnly() {
		JsonNode identity = cluster.identity();
		String domain = identity.get("domain").asString();
		assertThat(domain).isEqualTo(identity.get("short_id").asString() + "." + cluster.portalZone());

		HttpResponse<String> document = cluster.viaProxyAs("GET", domain, "/public/identity");
		assertThat(document.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(document.body());
		assertThat(body.get("id").asString()).isEqualTo(identity.get("id").asString());
		assertThat(body.get("public_key_pem").asString()).isEqualTo(identity.get("public_key_pem").asString());
		assertThat(body.properties()).extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrder("id", "short_id", "name", "domain", "public_key_pem");

		// that path only: the admin API stays off the proxy, whatever the credentials
		assertThat(cluster.viaProxyAs("GET", domain, "/api/identities/default", "Authorization",
				"Bearer " + cluster.adminToken()).statusCode()).isEqualTo(404);
		// an app's own /public/identity is the app's, behind forwardAuth
		HttpResponse<String> app = cluster.viaProxy("partners", "/public/identity");
		assertThat(app.statusCode()).isEqualTo(200);
		assertThat(echoedHeaders(app).path("x-ptl-client-type").asString()).isEqualTo("anonymous");
	}

	@Test
	void signedRequestThroughTraefikReachesThePeerPathAsThePeer() {
		String authority = appAuthority("partners");
		String target = "/peer/reports/2026?format=csv&lang=en";
		HttpResponse<String> response = send(partner, "GET", authority, target, authority, target);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode headers = echoedHeaders(response);
		assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("peer");
		assertThat(headers.path("x-ptl-client-id").asString()).isEqualTo(partner.id());
		assertThat(headers.path("x-ptl-client-name").asString()).isEqualTo("Partner portal");
		assertThat(headers.path("x-ptl-peer").asString()).as("the rule's template").isEqualTo("Partner portal");
		assertThat(json.readTree(response.body()).get("uri").asString()).isEqualTo(target);

		assertThat(cluster.viaProxyAs("GET", authority, target).statusCode()).as("unsigned").isEqualTo(401);
		// the signature makes a peer, nothing more: a public path sees it as such, a private one stays shut
		assertThat(echoedHeaders(send(partner, "GET", authority, "/", authority, "/")).path("x-ptl-client-type").asString())
			.isEqualTo("peer");
		String demo = appAuthority("demo");
		assertThat(send(partner, "GET", demo, "/private/notes", demo, "/private/notes").statusCode()).isEqualTo(401);
	}

	@Test
	void aComponentChangedInTransitIsRefusedThroughTraefik() {
		String authority = appAuthority("partners");
		String unported = "partners." + cluster.zone();
		// signed and sent: the path, then the authority (the port is part of it), then the method
		assertThat(send(partner, "GET", authority, "/peer/a", authority, "/peer/b").statusCode()).isEqualTo(401);
		assertThat(send(partner, "GET", authority, "/peer/a", unported, "/peer/a").statusCode()).isEqualTo(401);
		assertThat(send(partner, "GET", unported, "/peer/a", authority, "/peer/a").statusCode()).isEqualTo(401);
		assertThat(send(partner, "GET", authority, "/peer/a?q=1", authority, "/peer/a?q=2").statusCode()).isEqualTo(401);
		SignatureHeaders signed = sign(partner, "GET", "http://" + authority + "/peer/a");
		assertThat(cluster.viaProxyAs("DELETE", authority, "/peer/a", "Signature-Input", signed.signatureInput(),
				"Signature", signed.signature()).statusCode()).isEqualTo(401);
		// each of them, unchanged, is admitted: a client without a port signs an authority without one
		assertThat(send(partner, "GET", unported, "/peer/a", unported, "/peer/a").statusCode()).isEqualTo(200);
		assertThat(send(partner, "GET", authority, "/peer/a?q=1", authority, "/peer/a?q=1").statusCode()).isEqualTo(200);
	}

	@Test
	void aReplayedNonceIsRefusedByTheOtherReplicasToo() {
		String authority = appAuthority("partners");
		SignatureHeaders signed = sign(partner, "GET", "http://" + authority + "/peer/once");
		int mark = cluster.accessLog().size();
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			statuses.add(cluster.viaProxyAs("GET", authority, "/peer/once", "Signature-Input",
					signed.signatureInput(), "Signature", signed.signature()).statusCode());
		}
		assertThat(statuses).containsExactly(200, 401, 401, 401);
		// Traefik balances round robin: the replays were refused by replicas other than the one that admitted it
		await().atMost(Duration.ofSeconds(2)).until(() -> authReplicas(mark).size() >= 4);
		List<String> replicas = authReplicas(mark);
		System.out.println("the signed request and its replays, by replica: " + replicas);
		Set<String> replayedOn = new LinkedHashSet<>(replicas.subList(1, 4));
		replayedOn.remove(replicas.get(0));
		assertThat(replayedOn).as("replicas other than the first that refused the replay").isNotEmpty();
	}

	@ParameterizedTest(name = "{0}, body: {1}")
	@CsvSource(nullValues = "none", value = { "ED25519, none", "RSA_PSS_SHA512, none", "RSA_PSS_SHA512, '{\"order\": 42}'" })
	void requestsSignedByThePythonReferenceLibraryAreAdmittedThroughTraefik(SignatureAlgorithm algorithm, String body)
			throws IOException {
		python.assumeAvailable();
		TestPeer peer = TestPeer.generate(algorithm, "Reference " + algorithm.id());
		register(peer, "reference.example.org");
		Path key = Files.createTempFile("peer", ".pem");
		try {
			Files.writeString(key, peer.privateKeyPem());
			String authority = appAuthority("partners");
			List<String> arguments = new ArrayList<>(List.of("send", key.toString(), algorithm.id(), peer.shortId(),
					"http://" + authority + "/peer/python?x=1", "127.0.0.1:" + cluster.proxyPort(), "--times", "2"));
			if (body != null) {
				arguments.addAll(List.of("--body", body));
			}
			JsonNode answers = json.readTree(python.run(arguments.toArray(String[]::new)));
			assertThat(answers.get(0).get("status").asInt()).as("signed by the library: %s", answers.get(0)).isEqualTo(200);
			JsonNode echo = json.readTree(answers.get(0).get("body").asString());
			assertThat(echo.get("headers").path("x-ptl-client-type").asString()).isEqualTo("peer");
			assertThat(echo.get("headers").path("x-ptl-client-id").asString()).isEqualTo(peer.id());
			assertThat(echo.get("method").asString()).isEqualTo((body != null) ? "POST" : "GET");
			if (body != null) {
				assertThat(echo.get("headers").path("signature-input").asString()).contains("\"content-digest\"");
			}
			assertThat(answers.get(1).get("status").asInt()).as("the same request again (its nonce)").isEqualTo(401);
		}
		finally {
			Files.deleteIfExists(key);
		}
	}

	@Test
	void relayedCallsVerifyInThePythonReferenceLibrary() throws IOException {
		python.assumeAvailable();
		JsonNode identity = cluster.identity();
		Path key = Files.createTempFile("identity", ".pem");
		Files.writeString(key, identity.get("public_key_pem").asString());
		// registered like any peer (the relay calls known peers only), with a key of its own
		TestPeer referencePeer = TestPeer.generate(SignatureAlgorithm.ED25519, "Reference peer");
		register(referencePeer, REFERENCE_PEER_DOMAIN);
		Process server = python.start("serve", Integer.toString(referencePeerPort), identity.get("short_id").asString(),
				key.toString());
		try {
			String relay = cluster.adminUrl() + "/internal/peers/" + referencePeer.id() + "/apps/echo";
			HttpResponse<String> get = cluster.send(HttpRequest.newBuilder(URI.create(relay + "/peer/x?y=1"))
				.header("Authorization", "Bearer " + RELAY_TOKEN)
				.GET());
			assertThat(get.statusCode()).as("relayed GET: %s", get.body()).isEqualTo(200);
			JsonNode verified = json.readTree(get.body());
			// covered: the serialized component identifiers and the values the library signed over
			assertThat(verified.get("keyid").asString()).isEqualTo(identity.get("short_id").asString());
			assertThat(verified.get("alg").asString()).isEqualTo("ed25519");
			assertThat(verified.get("covered").get("\"@authority\"").asString())
				.isEqualTo("echo." + REFERENCE_PEER_DOMAIN + ":" + referencePeerPort);
			assertThat(verified.get("covered").get("\"@target-uri\"").asString())
				.isEqualTo("http://echo." + REFERENCE_PEER_DOMAIN + ":" + referencePeerPort + "/peer/x?y=1");

			HttpResponse<String> post = cluster.send(HttpRequest.newBuilder(URI.create(relay + "/peer/orders"))
				.header("Authorization", "Bearer " + RELAY_TOKEN)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"order\": 42}")));
			assertThat(post.statusCode()).as("relayed POST: %s", post.body()).isEqualTo(200);
			assertThat(json.readTree(post.body()).get("body_verified").asBoolean()).as("content-digest checked against the body")
				.isTrue();

			// the verifier is no pushover: an unsigned request to it is refused
			HttpResponse<String> unsigned = cluster.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + referencePeerPort + "/peer/x"))
				.header("Host", "echo." + REFERENCE_PEER_DOMAIN + ":" + referencePeerPort)
				.GET());
			assertThat(unsigned.statusCode()).isEqualTo(401);
		}
		finally {
			server.destroy();
			Files.deleteIfExists(key);
		}
	}

	/**
	 * A peer of its own, so the other tests keep theirs whatever the order. The bound is the coherence lease
	 * (3 s, docs/consistency.md): the longest a replica may honour a removed peer even when every
	 * invalidation path fails; the message path takes milliseconds.
	 */
	@Test
	void aRemovedPeerIsRefusedThroughTraefikByEveryReplicaWithinThreeSeconds() {
		TestPeer leaving = TestPeer.generate(SignatureAlgorithm.ED25519, "Leaving portal");
		register(leaving, "leaving.example.org");
		String authority = appAuthority("partners");
		for (int i = 0; i < 6; i++) {
			assertThat(send(leaving, "GET", authority, "/peer/x", authority, "/peer/x").statusCode()).isEqualTo(200);
		}
		Instant removed = Instant.now();
		assertThat(cluster.admin("DELETE", "/api/peers/" + leaving.id(), null).statusCode()).isEqualTo(204);
		// round robin over three replicas: six refusals in a row means every replica refuses
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
			for (int i = 0; i < 6; i++) {
				if (send(leaving, "GET", authority, "/peer/x", authority, "/peer/x").statusCode() != 401) {
					return false;
				}
			}
			return true;
		});
		System.out.printf("peer removal seen through Traefik by every replica after %d ms%n",
				Duration.between(removed, Instant.now()).toMillis());
	}

	/** A free port outside the range {@code cluster.sh} picks its processes' ports from. */
	private static int ephemeralPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String token() {
		byte[] bytes = new byte[20];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/** {@code <app>.<zone>:<proxy port>}: what a client addressing the proxy's port sends as Host. */
	private static String appAuthority(String app) {
		return app + "." + cluster.zone() + ":" + cluster.proxyPort();
	}

	/** Signs GET/... {@code http://<signedAuthority><signedTarget>} and sends it with another Host or target. */
	private static HttpResponse<String> send(TestPeer peer, String method, String signedAuthority, String signedTarget,
			String sentAuthority, String sentTarget) {
		SignatureHeaders signed = sign(peer, method, "http://" + signedAuthority + signedTarget);
		return cluster.viaProxyAs(method, sentAuthority, sentTarget, "Signature-Input", signed.signatureInput(),
				"Signature", signed.signature());
	}

	private static SignatureHeaders sign(TestPeer peer, String method, String uri) {
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		return peer.signer()
			.sign(SignedRequest.of(method, uri, HeaderFields.none()), "sig1", COMPONENTS, Instant.now(), null,
					Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
	}

	private static void register(TestPeer peer, String domain) {
		HttpResponse<String> response = cluster.admin("PUT", "/api/peers/" + peer.id(),
				json.writeValueAsString(Map.of("name", peer.name(), "domain", domain, "public_key_pem", peer.publicKeyPem())));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

	/** The replicas that answered the forwardAuth calls logged after {@code mark}, in order. */
	private static List<String> authReplicas(int mark) {
		List<JsonNode> log = cluster.accessLog();
		return log.subList(Math.min(mark, log.size()), log.size())
			.stream()
			.filter((entry) -> "auth".equals(entry.path("entryPointName").asString()))
			.map((entry) -> entry.path("ServiceURL").asString())
			.toList();
	}

	private static JsonNode echoedHeaders(HttpResponse<String> response) {
		return json.readTree(response.body()).get("headers");
	}

	/**
	 * Another installation: a key pair, the id it is registered under (its fingerprint) and a name.
	 */
	private record TestPeer(String id, String name, KeyPair keys, SignatureAlgorithm algorithm) {

		static TestPeer generate(SignatureAlgorithm algorithm, String name) {
			try {
				KeyPairGenerator generator;
				if (algorithm == SignatureAlgorithm.ED25519) {
					generator = KeyPairGenerator.getInstance("Ed25519");
				}
				else {
					// the original platform's RSA keys
					generator = KeyPairGenerator.getInstance("RSA");
					generator.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4));
				}
				KeyPair keys = generator.generateKeyPair();
				return new TestPeer(IdentityIds.of(keys.getPublic().getEncoded()), name, keys, algorithm);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		String shortId() {
			return PortalIdentity.shortIdOf(this.id);
		}

		Signer signer() {
			return new Signer(shortId(), this.keys.getPrivate(), this.algorithm);
		}

		String publicKeyPem() {
			return new PeerKey(this.keys.getPublic(), this.algorithm).pem();
		}

		/** PKCS #8, as the Python library loads it. */
		String privateKeyPem() {
			return "-----BEGIN PRIVATE KEY-----\n"
					+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(this.keys.getPrivate().getEncoded())
					+ "\n-----END PRIVATE KEY-----\n";
		}

	}

}

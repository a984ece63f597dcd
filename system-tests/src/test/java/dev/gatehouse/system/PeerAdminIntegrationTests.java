package dev.gatehouse.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.model.identity.IdentityIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers API: ids bound to keys, keys resolved from identity documents within a timeout, the public
 * identity document itself.
 */
class PeerAdminIntegrationTests {

	private static final KeyPair REMOTE = keyPair("Ed25519");

	private static HttpServer documents;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void start() throws IOException {
		documents = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		documents.createContext("/remote.example.org/", exchange -> answer(exchange.getResponseBody(), exchange, 200,
				"{\"id\": \"%s\", \"public_key_pem\": \"%s\"}".formatted(IdentityIds.of(REMOTE.getPublic().getEncoded()),
						pem(REMOTE).replace("\n", "\\n"))));
		documents.createContext("/slow.example.org/", exchange -> {
			// the slow server is the thing under test, not a wait: it answers after 3 s, well past the 1 s
			// resolve timeout set below, so the admin must give up at its timeout
			try {
				Thread.sleep(3_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			answer(exchange.getResponseBody(), exchange, 200, "{}");
		});
		documents.createContext("/broken.example.org/", exchange -> answer(exchange.getResponseBody(), exchange, 500, "oops"));
		documents.setExecutor(Executors.newCachedThreadPool());
		documents.start();
		String url = "http://127.0.0.1:%d/{domain}/identity".formatted(documents.getAddress().getPort());
		cluster = GatehouseCluster.start(0, GatehouseCluster.Options.DEFAULTS.withAdminProperties(
				Map.of("gatehouse.admin.peers.identity-url", url, "gatehouse.admin.peers.resolve-timeout", "1s")));
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
		if (documents != null) {
			documents.stop(0);
		}
	}

	@Test
	void peerWithAKeyIsAddedReplacedAndRemoved() {
		KeyPair keys = keyPair("Ed25519");
		String id = IdentityIds.of(keys.getPublic().getEncoded());
		String body = "{\"name\": \"Alice's portal\", \"domain\": \"%s.example.org\", \"public_key_pem\": \"%s\"}"
			.formatted(id.substring(0, 6), pem(keys).replace("\n", "\\n"));
		HttpResponse<String> created = cluster.admin("PUT", "/api/peers/" + id, body);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode peer = Json.read(created.body());
		assertThat(peer.get("short_id").asString()).isEqualTo(id.substring(0, 6));
		assertThat(peer.get("key_source").asString()).isEqualTo("given");
		assertThat(cluster.admin("PUT", "/api/peers/" + id, body.replace("Alice's", "Alice's new")).statusCode()).isEqualTo(200);
		assertThat(Json.read(cluster.admin("GET", "/api/peers/" + id, null).body()).get("name").asString())
			.isEqualTo("Alice's new portal");
		assertThat(Json.read(cluster.admin("GET", "/api/peers", null).body()).findValuesAsString("id")).contains(id);
		assertThat(cluster.admin("DELETE", "/api/peers/" + id, null).statusCode()).isEqualTo(204);
		assertThat(cluster.admin("GET", "/api/peers/" + id, null).statusCode()).isEqualTo(404);
		assertThat(cluster.admin("DELETE", "/api/peers/" + id, null).statusCode()).isEqualTo(404);
	}

	@Test
	void anIdMustBeBoundToTheKey() {
		KeyPair keys = keyPair("Ed25519");
		String id = IdentityIds.of(keys.getPublic().getEncoded());
		String other = IdentityIds.of(keyPair("Ed25519").getPublic().getEncoded());
		String body = "{\"name\": \"Mallory\", \"domain\": \"m.example.org\", \"public_key_pem\": \"%s\"}"
			.formatted(pem(keys).replace("\n", "\\n"));
		HttpResponse<String> stolenId = cluster.admin("PUT", "/api/peers/" + other, body);
		assertThat(stolenId.statusCode()).isEqualTo(422);
		assertThat(stolenId.body()).contains("not bound to this key");
		assertThat(cluster.admin("PUT", "/api/peers/" + id.substring(0, 5), body).statusCode()).isEqualTo(422);
		// a prefix of at least 6 is an id too, but two ids with one short id would make keyid ambiguous
		assertThat(cluster.admin("PUT", "/api/peers/" + id.substring(0, 8), body).statusCode()).isEqualTo(201);
		assertThat(cluster.admin("PUT", "/api/peers/" + id, body).statusCode()).isEqualTo(409);
		KeyPair weak = keyPair("RSA", 1024);
		assertThat(cluster.admin("PUT", "/api/peers/" + IdentityIds.of(weak.getPublic().getEncoded()),
				"{\"name\": \"Old\", \"domain\": \"o.example.org\", \"public_key_pem\": \"%s\"}".formatted(pem(weak).replace("\n", "\\n")))
			.statusCode()).isEqualTo(422);
	}

	@Test
	void keyIsResolvedFromThePeersIdentityDocumentWithinTheTimeout() {
		String id = IdentityIds.of(REMOTE.getPublic().getEncoded());
		HttpResponse<String> resolved = cluster.admin("PUT", "/api/peers/" + id.substring(0, 6),
				"{\"name\": \"Remote\", \"domain\": \"remote.example.org\"}");
		assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(201);
		assertThat(Json.read(resolved.body()).get("key_source").asString()).isEqualTo("identity-document");

		long start = System.nanoTime();
		HttpResponse<String> slow = cluster.admin("PUT", "/api/peers/abcdef", "{\"name\": \"Slow\", \"domain\": \"slow.example.org\"}");
		assertThat(slow.statusCode()).isEqualTo(422);
		assertThat(slow.body()).contains("did not answer within");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the promised bound: the 1 s timeout, plus slack")
			.isLessThan(Duration.ofMillis(2_500));
		assertThat(cluster.admin("PUT", "/api/peers/abcdef", "{\"name\": \"Broken\", \"domain\": \"broken.example.org\"}")
			.statusCode()).isEqualTo(422);
		assertThat(cluster.admin("GET", "/api/peers/abcdef", null).statusCode()).isEqualTo(404);
	}

	@Test
	void publicIdentityDocumentNeedsNoTokenAndShowsNoSecret() {
		Scenarios.createIdentity(cluster, "Portal owner");
		HttpResponse<String> document = cluster.adminAs(null, "GET", "/public/identity", null);
		assertThat(document.statusCode()).isEqualTo(200);
		JsonNode body = Json.read(document.body());
		assertThat(body.get("public_key_pem").asString()).startsWith("-----BEGIN PUBLIC KEY-----");
		assertThat(body.get("id").asString()).startsWith(body.get("short_id").asString());
		assertThat(document.body()).doesNotContain("PRIVATE", "owner@example.org");
	}

	private static void answer(OutputStream out, com.sun.net.httpserver.HttpExchange exchange, int status, String body)
			throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		out.write(bytes);
		out.close();
	}

	private static KeyPair keyPair(String algorithm) {
		return keyPair(algorithm, 0);
	}

	private static KeyPair keyPair(String algorithm, int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (bits > 0) {
				generator.initialize(bits);
			}
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(KeyPair keys) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

}

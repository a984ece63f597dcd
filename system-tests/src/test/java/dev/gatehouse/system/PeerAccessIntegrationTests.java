package dev.gatehouse.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureHeaders;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers: other installations' signed requests (RFC 9421) admitted on {@code peer} paths, verified by every
 * replica from its caches, refused for every way a signature can be wrong, and refused everywhere once the
 * peer is removed.
 */
class PeerAccessIntegrationTests {

	private static final List<String> COVERED = List.of("@method", "@authority", "@target-uri");

	private static GatehouseCluster cluster;

	private static Remote alice;

	@BeforeAll
	static void start() {
		cluster = GatehouseCluster.start(2);
		Scenarios.createIdentity(cluster, "Portal owner");
		assertThat(cluster.admin("PUT", "/api/apps/inbox", """
				{"paths": {"/": {"access": "public"}, "/private": {"access": "private"},
				 "/peer": {"access": "peer", "headers": {"X-Ptl-Foo": "from {{ auth.client_name }}"}}}}
				""").statusCode()).isEqualTo(201);
		alice = Remote.added("Alice's portal", "Ed25519", 0, SignatureAlgorithm.ED25519);
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void aPeersSignedRequestIsAdmittedByEveryReplicaAsThatPeer() {
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			HttpResponse<String> response = send(replica, "GET", "/peer/messages?since=3", alice.sign("GET", "/peer/messages?since=3"));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Client-Type")).isEqualTo("peer");
			assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Client-Id")).isEqualTo(alice.id());
			assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Client-Name")).isEqualTo("Alice's portal");
			assertThat(ForwardAuthIntegrationTests.header(response, "X-Ptl-Foo")).isEqualTo("from Alice's portal");
		}
	}

	@Test
	void theOriginalPlatformsRsaPssKeysWork() {
		Remote legacy = Remote.added("Legacy portal", "RSA", 2048, SignatureAlgorithm.RSA_PSS_SHA512);
		assertThat(send(0, "GET", "/peer/x", legacy.sign("GET", "/peer/x")).statusCode()).isEqualTo(200);
	}

	@Test
	void aRequestChangedInTransitIsRefused() {
		SignatureHeaders signed = alice.sign("GET", "/peer/messages?since=3");
		assertThat(send(0, "GET", "/peer/other", signed).statusCode()).as("path").isEqualTo(401);
		assertThat(send(0, "GET", "/peer/messages?since=4", signed).statusCode()).as("query").isEqualTo(401);
		assertThat(send(0, "POST", "/peer/messages?since=3", signed).statusCode()).as("method").isEqualTo(401);
		assertThat(sendTo(0, "other.example.org", "GET", "/peer/messages?since=3", signed).statusCode()).as("host")
			.isIn(401, 404);
		assertThat(send(0, "GET", "/peer/messages?since=3", signed).statusCode()).as("untouched").isEqualTo(200);
	}

	@Test
	void signaturesOutsideTheirTimeAreRefused() {
		Instant now = Instant.now();
		assertThat(send(0, "GET", "/peer/x", alice.sign("GET", "/peer/x", COVERED, now.minusSeconds(600), null, null)).statusCode())
			.as("created too long ago").isEqualTo(401);
		assertThat(send(0, "GET", "/peer/x", alice.sign("GET", "/peer/x", COVERED, now.plusSeconds(600), null, null)).statusCode())
			.as("created in the future").isEqualTo(401);
		assertThat(send(0, "GET", "/peer/x", alice.sign("GET", "/peer/x", COVERED, now.minusSeconds(120), now.minusSeconds(60), null))
			.statusCode()).as("expired (longer ago than the 30 s clock skew)").isEqualTo(401);
	}

	@Test
	void aNonceIsAcceptedOnceAcrossReplicas() {
		SignatureHeaders once = alice.sign("GET", "/peer/x", COVERED, Instant.now(), null, UUID.randomUUID().toString());
		assertThat(send(0, "GET", "/peer/x", once).statusCode()).isEqualTo(200);
		assertThat(send(1, "GET", "/peer/x", once).statusCode()).isEqualTo(401);
		assertThat(send(0, "GET", "/peer/x", once).statusCode()).isEqualTo(401);
	}

	@Test
	void signaturesThatDoNotCoverTheRequestOrNameNoUsableKeyAreRefused() {
		assertThat(send(0, "GET", "/peer/x", alice.sign("GET", "/peer/x", List.of("@method", "@target-uri"), Instant.now(), null, null))
			.statusCode()).as("no @authority").isEqualTo(401);
		SignatureHeaders valid = alice.sign("GET", "/peer/x");
		SignatureHeaders hmac = new SignatureHeaders(valid.signatureInput().replace("alg=\"ed25519\"", "alg=\"hmac-sha256\""),
				valid.signature());
		assertThat(send(0, "GET", "/peer/x", hmac).statusCode()).as("unsupported alg").isEqualTo(401);
		Remote stranger = Remote.unknown("Ed25519", 0, SignatureAlgorithm.ED25519);
		assertThat(send(0, "GET", "/peer/x", stranger.sign("GET", "/peer/x")).statusCode()).as("unknown keyid").isEqualTo(401);
		Remote impostor = new Remote(alice.id(), stranger.keys(), SignatureAlgorithm.ED25519);
		assertThat(send(0, "GET", "/peer/x", impostor.sign("GET", "/peer/x")).statusCode()).as("wrong key").isEqualTo(401);
	}

	@Test
	void malformedSignatureHeadersAreNoError() {
		String[][] malformed = { { "garbage", "garbage" }, { "sig1=(", "sig1=:AAAA:" }, { "sig1=();created=1", "sig1=:!!:" },
				{ "sig1=(\"@method\");keyid=\"" + alice.shortId() + "\";created=" + Instant.now().getEpochSecond(), "" },
				{ "", "" }, { "sig1=(\"@method\" \"@method\");created=1", "sig1=:AA==:" } };
		for (String[] headers : malformed) {
			int status = send(0, "GET", "/peer/x", new SignatureHeaders(headers[0], headers[1])).statusCode();
			assertThat(status).as(headers[0]).isEqualTo(401);
		}
		assertThat(send(0, "GET", "/", new SignatureHeaders("garbage", "garbage")).statusCode()).as("public path").isEqualTo(200);
	}

	@Test
	void aPeerOpensPeerPathsOnlyAndATerminalNoPeerPath() {
		assertThat(send(0, "GET", "/private/x", alice.sign("GET", "/private/x")).statusCode()).isEqualTo(401);
		Scenarios.Paired paired = Scenarios.pair(cluster, "Laptop");
		assertThat(cluster.auth(0, "inbox.example.org", "/peer/x", ForwardAuthIntegrationTests.cookie(paired.token())).statusCode())
			.isEqualTo(401);
	}

	@Test
	void aRemovedPeerIsRefusedByEveryReplica() {
		Remote bob = Remote.added("Bob's portal", "Ed25519", 0, SignatureAlgorithm.ED25519);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(send(replica, "GET", "/peer/x", bob.sign("GET", "/peer/x")).statusCode()).isEqualTo(200);
		}
		assertThat(cluster.admin("DELETE", "/api/peers/" + bob.id(), null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).until(() -> send(index, "GET", "/peer/x", bob.sign("GET", "/peer/x")).statusCode() == 401);
		}
	}

	private HttpResponse<String> send(int replica, String method, String target, SignatureHeaders signature) {
		return sendTo(replica, "inbox.example.org", method, target, signature);
	}

	/** A forwardAuth call as Traefik makes it for a signed request to {@code https://<host><target>}. */
	private HttpResponse<String> sendTo(int replica, String host, String method, String target, SignatureHeaders signature) {
		List<String> headers = new ArrayList<>(List.of("X-Forwarded-Host", host, "X-Forwarded-Uri", target,
				"X-Forwarded-Method", method, "X-Forwarded-Proto", "https"));
		if (!signature.signatureInput().isEmpty()) {
			headers.addAll(List.of("Signature-Input", signature.signatureInput()));
		}
		if (!signature.signature().isEmpty()) {
			headers.addAll(List.of("Signature", signature.signature()));
		}
		HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.replicaUrl(replica) + "/internal/auth"))
			.timeout(Duration.ofSeconds(10))
			.headers(headers.toArray(String[]::new))
			.GET()
			.build();
		return cluster.send(request);
	}

	/**
	 * Another installation: its identity id (the fingerprint of its key), its key pair and algorithm.
	 */
	private record Remote(String id, KeyPair keys, SignatureAlgorithm algorithm) {

		static Remote added(String name, String keyAlgorithm, int bits, SignatureAlgorithm algorithm) {
			Remote remote = unknown(keyAlgorithm, bits, algorithm);
			String pem = new PeerKey(remote.keys().getPublic(), algorithm).pem();
			HttpResponse<String> added = cluster.admin("PUT", "/api/peers/" + remote.id(),
					"{\"name\": \"%s\", \"domain\": \"%s.example.org\", \"public_key_pem\": \"%s\"}".formatted(name,
							remote.shortId(), pem.replace("\n", "\\n")));
			assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
			return remote;
		}

		static Remote unknown(String keyAlgorithm, int bits, SignatureAlgorithm algorithm) {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
				if (bits > 0) {
					generator.initialize(bits);
				}
				KeyPair keys = generator.generateKeyPair();
				return new Remote(IdentityIds.of(keys.getPublic().getEncoded()), keys, algorithm);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		String shortId() {
			return this.id.substring(0, 6);
		}

		SignatureHeaders sign(String method, String target) {
			return sign(method, target, COVERED, Instant.now(), null, null);
		}

		SignatureHeaders sign(String method, String target, List<String> components, Instant created, Instant expires,
				String nonce) {
			return new Signer(shortId(), this.keys.getPrivate(), this.algorithm).sign(
					SignedRequest.of(method, "https://inbox.example.org" + target, HeaderFields.none()), "sig1", components,
					created, expires, nonce);
		}

	}

}

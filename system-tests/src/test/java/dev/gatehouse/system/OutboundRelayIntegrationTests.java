package dev.gatehouse.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.model.identity.IdentityIds;
import dev.gatehouse.model.signature.HeaderFields;
import dev.gatehouse.model.signature.PeerKey;
import dev.gatehouse.model.signature.SignatureAlgorithm;
import dev.gatehouse.model.signature.SignatureVerifier;
import dev.gatehouse.model.signature.SignedRequest;
import dev.gatehouse.model.signature.Verification;
import dev.gatehouse.model.signature.VerificationPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The outbound relay: an app's call to a peer's app goes out signed as this installation (the peer, a JDK
 * server here, verifies it with the key from {@code GET /public/identity}), and the answer comes back; only
 * with the relay token, only to registered peers, within the timeout and the size limit, never following a
 * redirect.
 */
class OutboundRelayIntegrationTests {

	private static final String RELAY_TOKEN = "system-test-relay-token-0123456789";

	private static final int MAX_RESPONSE_BYTES = 64 * 1024;

	private static final VerificationPolicy POLICY = VerificationPolicy.of(Duration.ofMinutes(1), Duration.ofSeconds(5));

	private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private static HttpServer peerApps;

	private static GatehouseCluster cluster;

	private static PeerKey ourKey;

	private static String ourKeyId;

	/** A registered peer whose apps the JDK server plays: its domain, 127.0.0.1, is where the server listens. */
	private static String bob;

	/** A registered peer nothing answers for: 127.0.0.2 is loopback, but the server listens on 127.0.0.1 only. */
	private static String gone;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws IOException {
		peerApps = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		peerApps.createContext("/", OutboundRelayIntegrationTests::peerApp);
		peerApps.setExecutor(Executors.newCachedThreadPool());
		peerApps.start();
		// routed by the peer's domain as in production, to this JVM's server: {domain} is 127.0.0.1 for bob
		String appUrl = "http://{domain}:%d/{app}".formatted(peerApps.getAddress().getPort());
		cluster = GatehouseCluster.start(0, GatehouseCluster.Options.DEFAULTS.withAdminProperties(Map.of(
				"gatehouse.admin.outbound.token", RELAY_TOKEN, "gatehouse.admin.outbound.app-url", appUrl,
				"gatehouse.admin.outbound.connect-timeout", "500ms", "gatehouse.admin.outbound.timeout", "1s",
				"gatehouse.admin.outbound.max-response-size", MAX_RESPONSE_BYTES + "B")));
		Scenarios.createIdentity(cluster, "Portal owner");
		JsonNode identity = Json.read(cluster.adminAs(null, "GET", "/public/identity", null).body());
		ourKey = PeerKey.fromPem(identity.get("public_key_pem").asString());
		ourKeyId = identity.get("short_id").asString();
		bob = addPeer("Bob's portal", "127.0.0.1");
		gone = addPeer("Gone portal", "127.0.0.2");
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
		if (peerApps != null) {
			peerApps.stop(0);
		}
	}

	@BeforeEach
	void forgetEarlierCalls() {
		received.clear();
	}

	@Test
	void aGetIsSignedAsThisInstallationAndTheAnswerComesBack() throws InterruptedException {
		HttpResponse<String> answer = relay("GET", "/internal/peers/" + bob + "/apps/inbox/messages?since=3&q=a%20b", null,
				"Accept", "application/json", "Accept-Language", "de", "Cookie", "session=secret", "X-Ptl-User", "me");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(answer.body()).isEqualTo("{\"messages\": []}");

		Received call = received.poll(5, TimeUnit.SECONDS);
		assertThat(call).isNotNull();
		assertThat(call.method()).isEqualTo("GET");
		assertThat(call.target()).isEqualTo("/inbox/messages?since=3&q=a%20b");
		assertThat(call.verification()).as("the peer verifies our signature with our public identity's key")
			.isInstanceOfSatisfying(Verification.Verified.class, verified -> {
				assertThat(verified.keyId()).isEqualTo(ourKeyId);
				assertThat(verified.nonce()).isPresent();
				assertThat(verified.expires()).hasValue(verified.created().plusSeconds(60));
			});
		assertThat(call.headers().get("accept")).containsExactly("application/json");
		assertThat(call.headers().get("accept-language")).containsExactly("de");
		assertThat(call.headers()).as("the app's credentials stay here").doesNotContainKeys("cookie", "authorization", "x-ptl-user");
		assertThat(call.headers().get("signature-input").get(0)).startsWith("sig1=(\"@method\" \"@authority\" \"@target-uri\")");
	}

	@Test
	void aPostIsSignedOverItsBodysDigestAndThePeersAnswerComesBack() throws InterruptedException {
		String body = "{\"text\": \"hello, Bob\"}";
		HttpResponse<String> answer = relay("POST", "/internal/peers/" + bob + "/apps/inbox/echo", body,
				"Content-Type", "application/json");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).isEqualToIgnoringWhitespace("text/plain; charset=utf-8"));
		assertThat(answer.body()).isEqualTo("echo: " + body);

		Received call = received.poll(5, TimeUnit.SECONDS);
		assertThat(call).isNotNull();
		assertThat(call.headers().get("content-type")).containsExactly("application/json");
		assertThat(call.headers().get("content-digest")).containsExactly(digest(body.getBytes(StandardCharsets.UTF_8)));
		assertThat(call.verification()).isInstanceOf(Verification.Verified.class);
		assertThat(call.headers().get("signature-input").get(0)).contains("\"content-digest\"");
	}

	@Test
	void aHeadIsRelayedAsAHead() throws InterruptedException {
		HttpResponse<String> answer = relay("HEAD", "/internal/peers/" + bob + "/apps/inbox/messages", null);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(answer.body()).isEmpty();
		Received call = received.poll(5, TimeUnit.SECONDS);
		assertThat(call.method()).isEqualTo("HEAD");
		assertThat(call.verification()).isInstanceOf(Verification.Verified.class);
	}

	@Test
	void aPeerIsReachedByItsShortIdToo() {
		assertThat(relay("GET", "/internal/peers/" + bob.substring(0, 6) + "/apps/inbox/messages", null).statusCode())
			.isEqualTo(200);
	}

	@Test
	void onlyRegisteredPeersAreReachable() {
		HttpResponse<String> answer = relay("GET", "/internal/peers/abcdefgh/apps/inbox/messages", null);
		assertThat(answer.statusCode()).isEqualTo(404);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(received).isEmpty();
	}

	@Test
	void onlyTheRelayTokenOpensTheRelay() {
		String path = "/internal/peers/" + bob + "/apps/inbox/messages";
		assertThat(relayAs(null, "GET", path).statusCode()).as("no token").isEqualTo(401);
		assertThat(relayAs("Bearer not-the-relay-token-0123456789", "GET", path).statusCode()).as("wrong token").isEqualTo(401);
		assertThat(relayAs("Bearer " + GatehouseCluster.ADMIN_TOKEN, "GET", path).statusCode()).as("admin token").isEqualTo(401);
		assertThat(relayAs(RELAY_TOKEN, "GET", path).statusCode()).as("without Bearer").isEqualTo(401);
		// another spelling of the path must not reach the relay with the admin token either
		assertThat(relayAs("Bearer " + GatehouseCluster.ADMIN_TOKEN, "GET", path.replace("/internal", "/%69nternal"))
			.statusCode()).isIn(400, 401);
		assertThat(received).isEmpty();
	}

	@Test
	void theRelayTokenOpensNothingElse() {
		for (String route : List.of("GET /api/apps", "GET /api/peers", "GET /api/identities", "POST /api/pairing-codes",
				"GET /actuator/prometheus", "GET /internal/auth")) {
			String[] parts = route.split(" ");
			assertThat(cluster.adminAs("Bearer " + RELAY_TOKEN, parts[0], parts[1], null).statusCode()).as(route)
				.isEqualTo(401);
		}
	}

	@Test
	void theRelayIsClosedWhenNoTokenIsSet() {
		try (GatehouseCluster unset = GatehouseCluster.start(0)) {
			Scenarios.createIdentity(unset, "Portal owner");
			HttpResponse<String> answer = unset.adminAs("Bearer " + RELAY_TOKEN, "GET",
					"/internal/peers/abcdefgh/apps/inbox/messages", null);
			assertThat(answer.statusCode()).isEqualTo(401);
			assertThat(answer.body()).contains("disabled");
			assertThat(unset.admin("GET", "/internal/peers/abcdefgh/apps/inbox/messages", null).statusCode())
				.as("the admin token").isEqualTo(401);
		}
	}

	@Test
	void pathsAnAppCouldRouteDifferentlyAreRefused() {
		String base = "/internal/peers/" + bob + "/apps/";
		for (String path : List.of(base + "inbox/a/../b", base + "inbox/%2e%2e/b", base + "inbox/a%2Fb", base + "inbox/a;b",
				base + "inbox//a", base + "inbox/%61dmin", base + "Inbox/a", base + "in_box/a",
				"/internal/peers/BOB/apps/inbox/a")) {
			HttpResponse<String> answer = relay("GET", path, null);
			assertThat(answer.statusCode()).as(path).isEqualTo(400);
		}
		assertThat(received).isEmpty();
	}

	@Test
	void aSlowPeerIsAGatewayTimeoutWithinTheTimeout() {
		long start = System.nanoTime();
		HttpResponse<String> answer = relay("GET", "/internal/peers/" + bob + "/apps/inbox/slow", null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(504);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 1 s timeout, plus slack")
			.isLessThan(Duration.ofMillis(2_500));
	}

	@Test
	void anAnswerThatStallsIsCutOffAtTheDeadline() throws IOException, InterruptedException {
		long start = System.nanoTime();
		HttpResponse<InputStream> answer = http.send(request("GET", "/internal/peers/" + bob + "/apps/inbox/stall", null)
			.header("Authorization", "Bearer " + RELAY_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThatExceptionOfType(IOException.class).as("the app sees the answer broken, not complete")
			.isThrownBy(() -> answer.body().readAllBytes());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
	}

	@Test
	void anAnswerLargerThanTheLimitNeverReachesTheApp() throws IOException, InterruptedException {
		HttpResponse<String> announced = relay("GET", "/internal/peers/" + bob + "/apps/inbox/large?length=true", null);
		assertThat(announced.statusCode()).as("Content-Length over the limit").isEqualTo(502);
		assertThat(announced.body()).contains("more than");

		HttpResponse<InputStream> chunked = http.send(request("GET", "/internal/peers/" + bob + "/apps/inbox/large", null)
			.header("Authorization", "Bearer " + RELAY_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(chunked.statusCode()).isEqualTo(200);
		long read = 0;
		boolean broken = false;
		try (InputStream body = chunked.body()) {
			byte[] buffer = new byte[8192];
			for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
				read += n;
			}
		}
		catch (IOException ex) {
			broken = true;
		}
		assertThat(read).isLessThanOrEqualTo(MAX_RESPONSE_BYTES);
		assertThat(broken).as("the app sees the answer broken, not complete").isTrue();

		assertThat(relay("GET", "/internal/peers/" + bob + "/apps/inbox/large?bytes=" + MAX_RESPONSE_BYTES, null).body())
			.as("at the limit").hasSize(MAX_RESPONSE_BYTES);
	}

	@Test
	void aRedirectIsPassedBackNotFollowed() throws InterruptedException {
		HttpResponse<String> answer = relay("GET", "/internal/peers/" + bob + "/apps/inbox/moved", null);
		assertThat(answer.statusCode()).isEqualTo(302);
		assertThat(answer.headers().firstValue("Location"))
			.hasValueSatisfying(location -> assertThat(location).endsWith("/elsewhere"));
		// a redirect followed would have been sent before the answer came back, and its 404 come back instead
		assertThat(received.poll(5, TimeUnit.SECONDS).target()).isEqualTo("/inbox/moved");
		assertThat(received).as("nothing followed the redirect").isEmpty();
	}

	@Test
	void anUnreachablePeerIsABadGateway() {
		HttpResponse<String> answer = relay("GET", "/internal/peers/" + gone + "/apps/inbox/messages", null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	/** The peer's apps: each call is verified as a Gatehouse peer would, recorded, and answered by its path. */
	private static void peerApp(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		String target = exchange.getRequestURI().toString();
		Map<String, List<String>> headers = new TreeMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
		SignedRequest signed = SignedRequest.of(exchange.getRequestMethod(), "http", exchange.getRequestHeaders().getFirst("Host"),
				target, HeaderFields.of(headers));
		VerificationPolicy policy = (body.length > 0) ? POLICY.withRequiredComponents(
				List.of("@method", "@authority", "@target-uri", "content-digest")) : POLICY;
		Verification verification = new SignatureVerifier(policy).verify(signed, null,
				keyId -> keyId.equals(ourKeyId) ? Optional.of(ourKey) : Optional.empty(), Instant.now());
		boolean digestMatches = body.length == 0 || List.of(digest(body)).equals(headers.get("content-digest"));
		received.add(new Received(exchange.getRequestMethod(), target, headers, verification));
		if (!(verification instanceof Verification.Verified) || !digestMatches) {
			answer(exchange, 401, "text/plain", "refused: " + verification);
			return;
		}
		String path = exchange.getRequestURI().getPath();
		String query = String.valueOf(exchange.getRequestURI().getQuery());
		switch (path) {
			case "/inbox/messages" -> answer(exchange, 200, "application/json", "{\"messages\": []}");
			case "/inbox/echo" ->
				answer(exchange, 201, "text/plain; charset=utf-8", "echo: " + new String(body, StandardCharsets.UTF_8));
			case "/inbox/moved" -> {
				exchange.getResponseHeaders()
					.add("Location", "http://127.0.0.1:%d/elsewhere".formatted(peerApps.getAddress().getPort()));
				answer(exchange, 302, "text/plain", "");
			}
			// the slow and the stalling peer are the things under test, not waits: 3 s, well past the relay's
			// 1 s timeout set in start(), so the relay must give up at its deadline
			case "/inbox/slow" -> {
				pause(3_000);
				answer(exchange, 200, "text/plain", "too late");
			}
			case "/inbox/stall" -> {
				exchange.getResponseHeaders().add("Content-Type", "text/plain");
				exchange.sendResponseHeaders(200, 0);
				OutputStream out = exchange.getResponseBody();
				out.write("the beginning".getBytes(StandardCharsets.UTF_8));
				out.flush();
				pause(3_000);
				out.close();
			}
			case "/inbox/large" -> {
				int bytes = query.startsWith("bytes=") ? Integer.parseInt(query.substring(6)) : 4 * MAX_RESPONSE_BYTES;
				exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
				exchange.sendResponseHeaders(200, query.equals("length=true") || query.startsWith("bytes=") ? bytes : 0);
				try (OutputStream out = exchange.getResponseBody()) {
					byte[] chunk = new byte[4096];
					for (int sent = 0; sent < bytes; sent += chunk.length) {
						out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
						out.flush();
					}
				}
				catch (IOException ex) {
					// the relay hung up: what it should do past the limit
				}
			}
			default -> answer(exchange, 404, "text/plain", "no such path");
		}
	}

	private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", contentType);
		boolean head = exchange.getRequestMethod().equals("HEAD");
		exchange.sendResponseHeaders(status, (bytes.length > 0 && !head) ? bytes.length : -1);
		try (OutputStream out = exchange.getResponseBody()) {
			if (!head) {
				out.write(bytes);
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private HttpResponse<String> relay(String method, String path, String body, String... headers) {
		HttpRequest.Builder request = request(method, path, body).header("Authorization", "Bearer " + RELAY_TOKEN);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	private HttpResponse<String> relayAs(String authorization, String method, String path) {
		HttpRequest.Builder request = request(method, path, null);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	private static HttpRequest.Builder request(String method, String path, String body) {
		return HttpRequest.newBuilder(URI.create(cluster.adminUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String addPeer(String name, String domain) {
		KeyPair keys;
		try {
			keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		String id = IdentityIds.of(keys.getPublic().getEncoded());
		HttpResponse<String> added = cluster.admin("PUT", "/api/peers/" + id,
				"{\"name\": \"%s\", \"domain\": \"%s\", \"public_key_pem\": \"%s\"}".formatted(name, domain,
						new PeerKey(keys.getPublic(), SignatureAlgorithm.ED25519).pem().replace("\n", "\\n")));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		return id;
	}

	/** RFC 9530's {@code Content-Digest}, computed here independently of the relay. */
	private static String digest(byte[] body) {
		try {
			return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A call a peer's app received.
	 *
	 * @param method its method
	 * @param target its raw request target
	 * @param headers its header fields by lower-case name
	 * @param verification what verifying its signature found
	 */
	record Received(String method, String target, Map<String, List<String>> headers, Verification verification) {
	}

}

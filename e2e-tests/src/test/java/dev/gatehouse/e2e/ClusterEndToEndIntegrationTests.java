package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole tier as it runs on a host without Docker: the admin and three auth replicas as processes
 * behind a real Traefik configured from {@code infra/traefik/} by {@code infra/local/cluster.sh}, with
 * the demo app that echoes what it receives. Everything goes through Traefik, as a browser's requests
 * would; Traefik's JSON access log shows what it did on the way (which replica answered, retries, the
 * X-Forwarded-Uri forwardAuth sent, durations).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern IDENTITY_HEADER = Pattern.compile("(?i)^x[-_]ptl[-_].*");

	private static final String TABLE_MARKER = "<!-- X-Forwarded-Uri table: generated and checked by ClusterEndToEndIntegrationTests -->";

	private static LocalCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = new LocalCluster();
		cluster.up(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void publicPathReachesTheAppWithIdentityHeaders() {
		HttpResponse<String> response = cluster.viaProxy("demo", "/index.html?lang=en");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode headers = echoedHeaders(response.body());
		assertThat(headers.path("x-ptl-client-type").asString()).isEqualTo("anonymous");
		assertThat(headers.path("x-ptl-client-id").asString()).isEmpty();
		assertThat(headers.path("x-ptl-foo").asString()).isEqualTo("baz");
		assertThat(headers.path("x-ptl-id").asString()).isEqualTo(defaultIdentity().get("id").asString());
	}

	@ParameterizedTest
	@Order(2)
	@ValueSource(strings = { "X-Ptl-Client-Id: forged", "X_Ptl_Client_Id: forged", "X-Ptl_Client-Id: forged",
			"x-ptl-client-id: forged", "X-PTL-CLIENT-TYPE: forged", "X-Ptl-Client-Id: forged\r\nX-Ptl-Client-Id: forged",
			"X-Ptl-Anything: forged", "X_Ptl_Anything: forged", "x_ptl-client-name: forged" })
	void forgedIdentityHeadersNeverReachTheApp(String forged) {
		String cookie = "Cookie: authorization=Bearer%20" + terminalToken();
		for (String path : List.of("/", "/private/notes")) {
			LocalCluster.RawResponse response = cluster.raw("demo", path, forged, cookie);
			assertThat(response.status()).as(path).isEqualTo(200);
			JsonNode echo = json.readTree(response.body());
			List<String> identityHeaders = new ArrayList<>();
			for (JsonNode header : echo.get("header_list")) {
				String name = header.get(0).asString();
				if (IDENTITY_HEADER.matcher(name).matches()) {
					identityHeaders.add(name + ": " + header.get(1).asString());
				}
			}
			assertThat(identityHeaders).as("identity headers the app got for %s", path)
				.noneMatch((header) -> header.contains("forged"))
				.filteredOn((header) -> header.toLowerCase(Locale.ROOT).startsWith("x-ptl-client-"))
				.hasSize(3);
		}
		JsonNode privateEcho = json.readTree(cluster.raw("demo", "/private/notes", forged, cookie).body());
		assertThat(echoedHeaders(privateEcho.toString()).path("x-ptl-client-type").asString()).isEqualTo("terminal");
		assertThat(echoedHeaders(privateEcho.toString()).path("x-ptl-client-name").asString()).isEqualTo("Forger");
	}

	@Test
	@Order(3)
	void privatePathNeedsPairingAndRevocationIsSeenThroughTraefikWithinThreeSeconds() {
		assertThat(cluster.viaProxy("demo", "/private/notes").statusCode()).isEqualTo(401);
		String[] paired = pair("Laptop");
		String cookie = "authorization=Bearer%20" + paired[1];
		HttpResponse<String> allowed = cluster.viaProxy("demo", "/private/notes", "Cookie", cookie);
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(echoedHeaders(allowed.body()).path("x-ptl-client-name").asString()).isEqualTo("Laptop");
		assertThat(echoedHeaders(allowed.body()).path("x-ptl-foo").asString()).isEqualTo("bar Laptop");
		for (int i = 0; i < 6; i++) {
			assertThat(cluster.viaProxy("demo", "/private/notes", "Cookie", cookie).statusCode()).isEqualTo(200);
		}

		Instant revoked = Instant.now();
		assertThat(cluster.admin("DELETE", "/api/terminals/" + paired[0], null).statusCode()).isEqualTo(204);
		// round robin over three replicas: six refusals in a row means every replica refuses
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
			for (int i = 0; i < 6; i++) {
				if (cluster.viaProxy("demo", "/private/notes", "Cookie", cookie).statusCode() != 401) {
					return false;
				}
			}
			return true;
		});
		System.out.printf("revocation seen through Traefik by every replica after %d ms%n",
				Duration.between(revoked, Instant.now()).toMillis());
	}

	@Test
	@Order(4)
	void unknownAppIsNotFoundAndAmbiguousPathsAreRefused() {
		assertThat(cluster.viaProxy("nope", "/").statusCode()).isEqualTo(404);
		assertThat(cluster.viaProxy("demo", "/public/%2e%2e/private").statusCode()).isEqualTo(401);
		assertThat(cluster.viaProxy("demo", "/a%2fb").statusCode()).isEqualTo(400);
	}

	@Test
	@Order(5)
	void everyMutationIsSeenByEveryReplicaAndThroughTheProxy() {
		assertThat(cluster.admin("PUT", "/api/apps/notes", """
				{"paths": {"/": {"access": "public", "headers": {"X-Ptl-Portal": "{{ portal.name }}"}}}}
				""").statusCode()).isEqualTo(201);
		expectEverywhere("notes", defaultIdentity().get("name").asString());

		String id = defaultIdentity().get("id").asString();
		assertThat(cluster.admin("PUT", "/api/identities/" + id, "{\"name\": \"Renamed portal\"}").statusCode()).isEqualTo(200);
		expectEverywhere("notes", "Renamed portal");

		assertThat(cluster.admin("DELETE", "/api/apps/notes", null).statusCode()).isEqualTo(204);
		for (String replica : cluster.authUrls()) {
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.auth(replica, "notes", "/").statusCode() == 404);
		}
		assertThat(cluster.viaProxy("notes", "/").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(6)
	void burstOfParallelAssetRequestsFromOneBrowserAllSucceed() throws Exception {
		String cookie = "authorization=Bearer%20" + pair("Browser")[1];
		List<Future<HttpResponse<String>>> assets = new ArrayList<>();
		try (ExecutorService browser = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 30; i++) {
				String path = "/private/assets/chunk-" + i + ".js";
				assets.add(browser.submit(() -> cluster.viaProxy("demo", path, "Cookie", cookie)));
			}
		}
		for (Future<HttpResponse<String>> asset : assets) {
			assertThat(asset.get().statusCode()).isEqualTo(200);
		}
	}

	@Test
	@Order(7)
	void traefikBalancesTheDecisionsOverEveryReplica() {
		int mark = cluster.accessLog().size();
		for (int i = 0; i < 30; i++) {
			assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(2)).until(() -> authEntries(mark).size() >= 30);
		Map<String, Integer> perReplica = new LinkedHashMap<>();
		for (JsonNode entry : authEntries(mark)) {
			perReplica.merge(entry.path("ServiceURL").asString(), 1, Integer::sum);
		}
		System.out.println("decisions per replica: " + perReplica);
		assertThat(perReplica.keySet()).containsExactlyInAnyOrderElementsOf(cluster.authUrls());
		assertThat(perReplica.values()).allMatch((count) -> count >= 5);
	}

	@Test
	@Order(8)
	void traefikKeepsItsConnectionsToTheReplicasAlive() {
		Set<Integer> replicaPorts = new HashSet<>();
		for (String url : cluster.authUrls()) {
			replicaPorts.add(Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
		}
		Set<Integer> before = TcpTable.clientPortsConnectedTo(replicaPorts);
		int requests = 300;
		Instant start = Instant.now();
		for (int i = 0; i < requests; i++) {
			assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
		}
		long seconds = Duration.between(start, Instant.now()).toSeconds() + 1;
		Set<Integer> opened = TcpTable.clientPortsConnectedTo(replicaPorts);
		opened.removeAll(before);
		// every connection opened in the meantime is still listed (open or TIME_WAIT, which lasts 60 s).
		// One per request would show 300; keep-alive shows a couple per replica, plus at most one per
		// health check (one a second per replica), which is not a decision's
		System.out.printf("%d requests through Traefik in %d s opened %d connections to the %d replicas%n", requests,
				seconds, opened.size(), replicaPorts.size());
		assertThat(opened.size()).isLessThanOrEqualTo(replicaPorts.size() * (2 + (int) seconds));
	}

	@Test
	@Order(9)
	void xForwardedUriTableInTheDocsIsWhatTraefikSendsAndGatehouseDecides() throws IOException {
		List<String> targets = List.of("/", "/private", "/Private/notes", "/a/../private", "/public/%2e%2e/private",
				"/%2e%2e/private", "/a/./b", "//private", "/a%2fb", "/a;b", "/a%3Bb", "/a%3Fb", "/a%23b", "/a%252fb",
				"/caf%C3%A9", "/café", "/a?q=1", "/a?q=%23x", "/a?q=1#frag", "/a#frag");
		List<String> rows = new ArrayList<>();
		rows.add("| request line | X-Forwarded-Uri Gatehouse receives | client gets |");
		rows.add("|---|---|---|");
		for (String target : targets) {
			int mark = cluster.accessLog().size();
			int status = cluster.raw("demo", target).status();
			String forwarded = "(no auth call)";
			List<JsonNode> entries = awaitWebEntry(mark);
			for (JsonNode entry : entries) {
				if ("auth".equals(entry.path("entryPointName").asString()) && entry.has("request_X-Forwarded-Uri")) {
					forwarded = "`" + entry.path("request_X-Forwarded-Uri").asString() + "`";
				}
			}
			rows.add("| `GET %s` | %s | %d |".formatted(target, forwarded, status));
		}
		String table = String.join("\n", rows);
		Path generated = cluster.runDir().resolveSibling("x-forwarded-uri-table.md");
		Files.writeString(generated, table + "\n");
		String docs = Files.readString(repoFile("docs/traefik.md"));
		assertThat(docs).as("docs/traefik.md after %s (generated: %s)", TABLE_MARKER, generated)
			.contains(TABLE_MARKER + "\n\n" + table + "\n");
	}

	/**
	 * A planned stop (scale, a rolling update) takes the replica out of Traefik's list first, then stops it
	 * gracefully: nothing in flight is lost.
	 */
	@Test
	@Order(10)
	void replicaScaledAwayUnderSteadyTrafficFailsNoRequest() throws Exception {
		Traffic traffic = new Traffic(4);
		Thread.sleep(500);
		cluster.script("scale", "2");
		Thread.sleep(1000);
		traffic.stop();
		assertThat(cluster.authUrls()).hasSize(2);
		assertThat(traffic.served.get()).isGreaterThan(100);
		assertThat(traffic.failures).as("requests failed while a replica was scaled away").isEmpty();
	}

	/**
	 * Traefik retries a decision on another replica only while it has not written the request yet
	 * (retry.WrapHandler: a refused or failed dial); a request already written to a replica that dies is
	 * answered 502, never replayed. So under kill -9 the requests in flight on the dying replica may fail,
	 * and no other: every request that starts after the process is gone is retried or routed around it.
	 */
	@Test
	@Order(11)
	void killedReplicaUnderSteadyTrafficFailsNoRequestThatStartsAfterItDied() throws Exception {
		int mark = cluster.accessLog().size();
		String victim = "http://127.0.0.1:" + cluster.port("auth-2");
		Traffic traffic = new Traffic(4);
		Thread.sleep(500);
		ProcessHandle replica = ProcessHandle.of(cluster.pid("auth-2")).orElseThrow();
		Instant killed = Instant.now();
		replica.destroyForcibly();
		replica.onExit().get();
		Instant gone = Instant.now();
		await().atMost(Duration.ofSeconds(3)).until(() -> cluster.get(cluster.traefikApiUrl() + "/http/services/gatehouse-auth@file")
			.body()
			.contains("\"" + victim + "\":\"DOWN\""));
		Thread.sleep(1000);
		traffic.stop();
		assertThat(traffic.served.get()).isGreaterThan(100);
		assertThat(traffic.failures).as("requests that started after the replica was gone and failed")
			.noneMatch((failure) -> failure.start().isAfter(gone));
		// a request takes a few milliseconds here: the ones that failed were on their way to or in the replica
		assertThat(traffic.failures).as("requests in flight on the dying replica")
			.allMatch((failure) -> failure.outcome().equals("502"))
			.allMatch((failure) -> failure.start().isAfter(killed.minusMillis(200)));
		long retried = authEntries(mark).stream().filter((entry) -> entry.path("RetryAttempts").asInt() > 0).count();
		System.out.printf("kill -9 of auth-2 under %d requests: %d in flight on it failed (502), %d decisions retried "
				+ "on another replica, the health check took it out%n", traffic.served.get(), traffic.failures.size(), retried);
	}

	/**
	 * A replica stopped the ordinary way (SIGTERM) keeps serving for its shutdown delay after its readiness
	 * turned down, so Traefik's health check takes it out before its connector closes: nothing fails.
	 */
	@Test
	@Order(11)
	void terminatedReplicaUnderSteadyTrafficFailsNoRequest() throws Exception {
		cluster.script("scale", "3");
		Traffic traffic = new Traffic(4);
		Thread.sleep(500);
		ProcessHandle replica = ProcessHandle.of(cluster.pid("auth-3")).orElseThrow();
		replica.destroy();
		replica.onExit().get();
		Thread.sleep(500);
		traffic.stop();
		assertThat(traffic.served.get()).isGreaterThan(100);
		assertThat(traffic.failures).as("requests failed while a replica shut down").isEmpty();
	}

	@Test
	@Order(12)
	void aNewReplicaJoinsOnlyOnceReadyAndWarmsUpFromL2() throws Exception {
		int mark = cluster.accessLog().size();
		AtomicReference<Instant> firstReady = new AtomicReference<>();
		Traffic traffic = new Traffic(2);
		try (ExecutorService watcher = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<?> watch = watcher.submit(() -> {
				Instant deadline = Instant.now().plusSeconds(120);
				while (firstReady.get() == null && Instant.now().isBefore(deadline)) {
					int port = cluster.port("auth-4");
					if (port > 0 && readiness(port) == 200) {
						firstReady.set(Instant.now());
					}
					pause(25);
				}
			});
			cluster.script("scale", "4");
			watch.get();
		}
		assertThat(firstReady.get()).as("auth-4 turned ready").isNotNull();
		Thread.sleep(1500);
		traffic.stop();
		assertThat(traffic.failures).as("requests failed while a replica joined").isEmpty();

		String fourth = "http://127.0.0.1:" + cluster.port("auth-4");
		List<JsonNode> toFourth = authEntries(mark).stream()
			.filter((entry) -> fourth.equals(entry.path("ServiceURL").asString()))
			.toList();
		assertThat(toFourth).as("decisions Traefik sent to the new replica").isNotEmpty();
		Instant firstRouted = toFourth.stream().map((entry) -> Instant.parse(entry.get("StartUTC").asString())).min(Instant::compareTo).orElseThrow();
		assertThat(firstRouted).as("first decision routed to auth-4").isAfter(firstReady.get());
		assertThat(toFourth).allMatch((entry) -> entry.path("OriginStatus").asInt() == 200);

		double loadsBefore = cluster.metric(fourth, "gatehouse_source_loads_total", "kind=\"app\"");
		for (int i = 0; i < 10; i++) {
			assertThat(cluster.auth(fourth, "demo", "/").statusCode()).isEqualTo(200);
		}
		assertThat(cluster.metric(fourth, "gatehouse_source_loads_total", "kind=\"app\"") - loadsBefore)
			.as("the new replica found the app in L2, not PostgreSQL").isZero();
		assertThat(cluster.metric(fourth, "gatehouse_l2_hits_total", "kind=\"app\"")).isPositive();
	}

	@Test
	@Order(13)
	void withEveryReplicaDownTraefikAnswers503NotTheUnknownApp404() {
		for (int i = 1; i <= 4; i++) {
			ProcessHandle.of(cluster.pid("auth-" + i)).ifPresent(ProcessHandle::destroyForcibly);
		}
		List<Integer> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
			seen.add(cluster.viaProxy("demo", "/").statusCode());
			return seen.getLast() == 503;
		});
		// before the health checks mark the last replica down, a decision can fail as 502 (no retry left)
		assertThat(seen).as("statuses while the replicas died").doesNotContain(404).isSubsetOf(200, 502, 503);
		assertThat(cluster.viaProxy("nope", "/").statusCode()).isEqualTo(503);

		cluster.script("up");
		assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(14)
	void noRequestCameNearTheThirtySecondForwardAuthTimeout() {
		List<JsonNode> entries = cluster.accessLog();
		long longest = entries.stream().mapToLong((entry) -> entry.path("Duration").asLong()).max().orElseThrow();
		System.out.printf("%d requests in Traefik's access log, the longest took %d ms%n", entries.size(), longest / 1_000_000);
		assertThat(Duration.ofNanos(longest)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	@Order(15)
	void traefikLoggedNoErrorOnTheLocalConfiguration() throws IOException {
		assertThat(Files.readAllLines(cluster.runDir().resolve("logs/traefik.log"))
			.stream()
			.map((line) -> line.replaceAll("\u001B\\[[0-9;]*m", ""))
			.filter((line) -> line.contains(" ERR ") || line.contains("field not found")))
			.isEmpty();
	}

	/** Clients sending requests through Traefik in a loop (bounded) until stopped; records every non-200. */
	private static final class Traffic {

		private static final int MAX_REQUESTS_PER_CLIENT = 5000;

		final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicInteger served = new AtomicInteger();

		final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

		private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

		Traffic(int clientCount) {
			for (int client = 0; client < clientCount; client++) {
				this.clients.submit(() -> {
					for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && this.running.get(); i++) {
						Instant start = Instant.now();
						try {
							int status = cluster.viaProxy("demo", "/").statusCode();
							if (status != 200) {
								this.failures.add(new Failure(start, Integer.toString(status)));
							}
						}
						catch (RuntimeException ex) {
							this.failures.add(new Failure(start, ex.toString()));
						}
						this.served.incrementAndGet();
					}
				});
			}
		}

		void stop() {
			this.running.set(false);
			this.clients.close();
		}

		record Failure(Instant start, String outcome) {
		}

	}

	private static int readiness(int port) {
		try {
			return cluster.get("http://127.0.0.1:" + port + "/actuator/health/readiness").statusCode();
		}
		catch (RuntimeException ex) {
			return 0;
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

	/** The access log entries of the auth entrypoint (one per forwardAuth call) after the first {@code mark}. */
	private static List<JsonNode> authEntries(int mark) {
		List<JsonNode> entries = cluster.accessLog();
		return entries.subList(Math.min(mark, entries.size()), entries.size())
			.stream()
			.filter((entry) -> "auth".equals(entry.path("entryPointName").asString()))
			.toList();
	}

	/**
	 * The access log entries after {@code mark} once one of the web entrypoint is there, or after a second
	 * when Traefik rejected the request before its router (no entry).
	 */
	private static List<JsonNode> awaitWebEntry(int mark) {
		Instant deadline = Instant.now().plusSeconds(1);
		while (true) {
			List<JsonNode> entries = cluster.accessLog();
			List<JsonNode> fresh = entries.subList(Math.min(mark, entries.size()), entries.size());
			if (Instant.now().isAfter(deadline)
					|| fresh.stream().anyMatch((entry) -> "web".equals(entry.path("entryPointName").asString()))) {
				return fresh;
			}
			pause(20);
		}
	}

	private static Path repoFile(String relative) {
		return Path.of(System.getProperty("gatehouse.repo", "..")).resolve(relative);
	}

	private static void expectEverywhere(String app, String portalName) {
		for (String replica : cluster.authUrls()) {
			await().atMost(Duration.ofSeconds(3)).until(
					() -> portalName.equals(cluster.auth(replica, app, "/").headers().firstValue("X-Ptl-Portal").orElse(null)));
		}
		assertThat(echoedHeaders(cluster.viaProxy(app, "/").body()).path("x-ptl-portal").asString()).isEqualTo(portalName);
	}

	private static String terminalToken;

	private static String terminalToken() {
		if (terminalToken == null) {
			terminalToken = pair("Forger")[1];
		}
		return terminalToken;
	}

	private static String[] pair(String name) {
		String code = json.readTree(cluster.admin("POST", "/api/pairing-codes", null).body()).get("code").asString();
		HttpResponse<String> paired = cluster.post(cluster.adminUrl() + "/api/terminals/pair",
				"{\"code\": \"%s\", \"name\": \"%s\"}".formatted(code, name));
		assertThat(paired.statusCode()).as(paired.body()).isEqualTo(201);
		JsonNode body = json.readTree(paired.body());
		return new String[] { body.get("terminal").get("id").asString(), body.get("token").asString() };
	}

	private static JsonNode defaultIdentity() {
		return json.readTree(cluster.admin("GET", "/api/identities/default", null).body());
	}

	private static JsonNode echoedHeaders(String body) {
		return json.readTree(body).get("headers");
	}

	/** The kernel's table of IPv4 TCP sockets ({@code /proc/net/tcp}): open ones and those in TIME_WAIT. */
	private static final class TcpTable {

		/** Local ports of the sockets whose remote end is one of these ports on loopback. */
		static Set<Integer> clientPortsConnectedTo(Set<Integer> remotePorts) {
			Set<Integer> ports = new HashSet<>();
			try {
				List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
				for (String line : lines.subList(1, lines.size())) {
					String[] fields = line.trim().split("\\s+");
					int remotePort = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
					if (remotePorts.contains(remotePort)) {
						ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return ports;
		}

	}

}

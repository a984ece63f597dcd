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
import java.util.concurrent.TimeUnit;
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
 * <p>
 * The tests share one cluster but not its state: each one that counts on the replicas (how many, each
 * one reachable) establishes them first with {@link #replicas(int)}, whatever an earlier test scaled,
 * killed or stopped, so they pass in any order. Only the two checks of Traefik's logs are ordered: they
 * read what every other test left there, so they run last (run alone, they check this run's requests).
 * What the tests wait for is a condition (traffic answered, a replica ready or marked down), never a
 * fixed time; docs/testing.md gives the reason of every bound they assert.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern IDENTITY_HEADER = Pattern.compile("(?i)^x[-_]ptl[-_].*");

	private static final String TABLE_MARKER = "<!-- X-Forwarded-Uri table: generated and checked by ClusterEndToEndIntegrationTests -->";

	/**
	 * Answers a steady-traffic test waits for before its event (traffic flows) and after it (traffic flows on
	 * in the new state): conditions on the traffic, not a time, so a slow machine only takes longer. At a few
	 * milliseconds a request, a fraction of a second either way.
	 */
	private static final int BEFORE_EVENT = 50;

	private static final int AFTER_EVENT = 100;

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

	/**
	 * The bound is the coherence lease (3 s, docs/consistency.md): the longest a replica may honour a revoked
	 * terminal even when every invalidation path fails; the message path takes milliseconds.
	 */
	@Test
	void privatePathNeedsPairingAndRevocationIsSeenThroughTraefikWithinThreeSeconds() {
		replicas(3);
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
	void unknownAppIsNotFoundAndAmbiguousPathsAreRefused() {
		assertThat(cluster.viaProxy("nope", "/").statusCode()).isEqualTo(404);
		assertThat(cluster.viaProxy("demo", "/public/%2e%2e/private").statusCode()).isEqualTo(401);
		assertThat(cluster.viaProxy("demo", "/a%2fb").statusCode()).isEqualTo(400);
	}

	@Test
	void everyMutationIsSeenByEveryReplicaAndThroughTheProxy() {
		replicas(3);
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
	void traefikBalancesTheDecisionsOverEveryReplica() {
		replicas(3);
		long mark = cluster.accessLogMark();
		for (int i = 0; i < 30; i++) {
			assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> authEntries(mark).size() >= 30);
		Map<String, Integer> perReplica = new LinkedHashMap<>();
		for (JsonNode entry : authEntries(mark)) {
			perReplica.merge(entry.path("ServiceURL").asString(), 1, Integer::sum);
		}
		System.out.println("decisions per replica: " + perReplica);
		assertThat(perReplica.keySet()).containsExactlyInAnyOrderElementsOf(cluster.authUrls());
		assertThat(perReplica.values()).allMatch((count) -> count >= 5);
	}

	@Test
	void traefikKeepsItsConnectionsToTheReplicasAlive() {
		replicas(3);
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
	void xForwardedUriTableInTheDocsIsWhatTraefikSendsAndGatehouseDecides() throws IOException {
		List<String> targets = List.of("/", "/private", "/Private/notes", "/a/../private", "/public/%2e%2e/private",
				"/%2e%2e/private", "/a/./b", "//private", "/a%2fb", "/a;b", "/a%3Bb", "/a%3Fb", "/a%23b", "/a%252fb",
				"/caf%C3%A9", "/café", "/a?q=1", "/a?q=%23x", "/a?q=1#frag", "/a#frag");
		List<String> rows = new ArrayList<>();
		rows.add("| request line | X-Forwarded-Uri Gatehouse receives | client gets |");
		rows.add("|---|---|---|");
		for (String target : targets) {
			long mark = cluster.accessLogMark();
			int status = cluster.raw("demo", target).status();
			String forwarded = "(no auth call)";
			for (JsonNode entry : entriesOfOneRequest(mark)) {
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
	void replicaScaledAwayUnderSteadyTrafficFailsNoRequest() {
		replicas(3);
		try (Traffic traffic = new Traffic(4)) {
			traffic.awaitMore(BEFORE_EVENT);
			int before = traffic.served.get();
			cluster.script("scale", "2");
			int during = traffic.served.get() - before;
			traffic.awaitMore(AFTER_EVENT);
			traffic.stop();
			assertThat(cluster.authUrls()).hasSize(2);
			assertThat(during).as("requests answered while the replica was scaled away").isPositive();
			assertThat(traffic.served.get()).isGreaterThan(100);
			assertThat(traffic.failures).as("requests failed while a replica was scaled away").isEmpty();
		}
	}

	/**
	 * Traefik retries a decision on another replica only while it has not written the request yet
	 * (retry.WrapHandler: a refused or failed dial); a request already written to a replica that dies is
	 * answered 502, never replayed. So under kill -9 the requests in flight on the dying replica may fail,
	 * and no other: every request that starts after the process is gone is retried or routed around it.
	 */
	@Test
	void killedReplicaUnderSteadyTrafficFailsNoRequestThatStartsAfterItDied() throws Exception {
		replicas(3);
		long mark = cluster.accessLogMark();
		String victim = "http://127.0.0.1:" + cluster.port("auth-2");
		try (Traffic traffic = new Traffic(4)) {
			traffic.awaitMore(BEFORE_EVENT);
			ProcessHandle replica = cluster.process("auth-2").orElseThrow();
			Instant killed = Instant.now();
			replica.destroyForcibly();
			replica.onExit().get(1, TimeUnit.MINUTES);
			Instant gone = Instant.now();
			// the health check's interval and timeout (1 s each, infra/traefik/local/routes.yml), plus slack
			await().atMost(Duration.ofSeconds(3)).until(() -> cluster.get(cluster.traefikApiUrl() + "/http/services/gatehouse-auth@file")
				.body()
				.contains("\"" + victim + "\":\"DOWN\""));
			traffic.awaitMore(AFTER_EVENT);
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
	}

	/**
	 * A replica stopped the ordinary way (SIGTERM) keeps serving for its shutdown delay after its readiness
	 * turned down, so Traefik's health check takes it out before its connector closes: nothing fails.
	 */
	@Test
	void terminatedReplicaUnderSteadyTrafficFailsNoRequest() throws Exception {
		replicas(3);
		try (Traffic traffic = new Traffic(4)) {
			traffic.awaitMore(BEFORE_EVENT);
			ProcessHandle replica = cluster.process("auth-3").orElseThrow();
			int before = traffic.served.get();
			replica.destroy();
			replica.onExit().get(1, TimeUnit.MINUTES);
			int during = traffic.served.get() - before;
			traffic.awaitMore(AFTER_EVENT);
			traffic.stop();
			assertThat(during).as("requests answered while the replica shut down").isPositive();
			assertThat(traffic.served.get()).isGreaterThan(100);
			assertThat(traffic.failures).as("requests failed while a replica shut down").isEmpty();
		}
	}

	@Test
	void aNewReplicaJoinsOnlyOnceReadyAndWarmsUpFromL2() throws Exception {
		replicas(3);
		long mark = cluster.accessLogMark();
		AtomicReference<Instant> firstReady = new AtomicReference<>();
		String fourth;
		try (Traffic traffic = new Traffic(2); ExecutorService script = Executors.newVirtualThreadPerTaskExecutor()) {
			traffic.awaitMore(BEFORE_EVENT);
			Future<?> scaling = script.submit(() -> cluster.script("scale", "4"));
			// the first moment auth-4 answers ready, polled more often than the script's own wait (0.5 s)
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(25)).until(() -> {
				int port = cluster.port("auth-4");
				if (port > 0 && readiness(port) == 200) {
					firstReady.set(Instant.now());
					return true;
				}
				if (scaling.isDone()) {
					scaling.get(); // the script failed: its error, now rather than at the timeout
				}
				return false;
			});
			scaling.get();
			String url = "http://127.0.0.1:" + cluster.port("auth-4");
			fourth = url;
			// traffic runs on until Traefik has sent the new replica decisions of its own
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> decisionsTo(url, mark).size() >= 20);
			traffic.stop();
			assertThat(traffic.failures).as("requests failed while a replica joined").isEmpty();
		}

		List<JsonNode> toFourth = decisionsTo(fourth, mark);
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
	void withEveryReplicaDownTraefikAnswers503NotTheUnknownApp404() {
		replicas(3);
		for (int i = 1; i <= 3; i++) {
			cluster.process("auth-" + i).orElseThrow().destroyForcibly();
		}
		List<Integer> seen = new ArrayList<>();
		// the health checks mark every replica down within their interval and timeout (1 s each), plus slack
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
			seen.add(cluster.viaProxy("demo", "/").statusCode());
			return seen.getLast() == 503;
		});
		// before the health checks mark the last replica down, a decision can fail as 502 (no retry left)
		assertThat(seen).as("statuses while the replicas died").doesNotContain(404).isSubsetOf(200, 502, 503);
		assertThat(cluster.viaProxy("nope", "/").statusCode()).isEqualTo(503);

		// they come back, for whatever test runs next
		cluster.script("up");
		assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
	}

	/**
	 * Over every request of the class (it runs last): 5 s is far above any decision (a cold one waits at most
	 * the 900 ms load timeout; a refused dial is retried at once) and far below forwardAuth's 30 s timeout.
	 */
	@Test
	@Order(Order.DEFAULT + 1)
	void noRequestCameNearTheThirtySecondForwardAuthTimeout() {
		// run alone, the log holds only this one
		assertThat(cluster.viaProxy("demo", "/").statusCode()).isEqualTo(200);
		List<JsonNode> entries = cluster.accessLog();
		long longest = entries.stream().mapToLong((entry) -> entry.path("Duration").asLong()).max().orElseThrow();
		System.out.printf("%d requests in Traefik's access log, the longest took %d ms%n", entries.size(), longest / 1_000_000);
		assertThat(Duration.ofNanos(longest)).isLessThan(Duration.ofSeconds(5));
	}

	/** Over everything the class made Traefik do: it runs last. */
	@Test
	@Order(Order.DEFAULT + 2)
	void traefikLoggedNoErrorOnTheLocalConfiguration() throws IOException {
		assertThat(Files.readAllLines(cluster.runDir().resolve("logs/traefik.log"))
			.stream()
			.map((line) -> line.replaceAll("\u001B\\[[0-9;]*m", ""))
			.filter((line) -> line.contains(" ERR ") || line.contains("field not found")))
			.isEmpty();
	}

	/**
	 * Clients sending requests through Traefik in a loop until stopped (at the latest when closed); records
	 * every non-200.
	 */
	private static final class Traffic implements AutoCloseable {

		final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicInteger served = new AtomicInteger();

		final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

		private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

		Traffic(int clientCount) {
			for (int client = 0; client < clientCount; client++) {
				this.clients.submit(() -> {
					while (this.running.get()) {
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

		/**
		 * Waits until the clients have had {@code requests} more answers (or failures) from now: the
		 * traffic flowed for as long as that took, however fast or slow this machine is.
		 * @param requests how many more
		 */
		void awaitMore(int requests) {
			int target = this.served.get() + requests;
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.served.get() >= target);
		}

		void stop() {
			this.running.set(false);
			this.clients.close();
		}

		@Override
		public void close() {
			stop();
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

	/**
	 * Exactly {@code count} replicas, each running, ready and in Traefik's list, whatever an earlier test
	 * left (a replica scaled away, killed or stopped, or one more): every test that counts the replicas or
	 * addresses each one establishes them first: the script runs only when they are not already there.
	 */
	private static void replicas(int count) {
		if (!replicasAre(count)) {
			cluster.script("scale", Integer.toString(count));
		}
	}

	/** The script's last list has {@code count} replicas, auth-1 to auth-count run, and Traefik has each UP. */
	private static boolean replicasAre(int count) {
		List<String> urls = cluster.authUrls();
		if (urls.size() != count) {
			return false;
		}
		for (int i = 1; i <= count; i++) {
			if (cluster.process("auth-" + i).isEmpty()) {
				return false;
			}
		}
		String servers = cluster.get(cluster.traefikApiUrl() + "/http/services/gatehouse-auth@file").body();
		return urls.stream().allMatch((url) -> servers.contains("\"" + url + "\":\"UP\""));
	}

	/** The decisions Traefik sent to this replica after the access log mark. */
	private static List<JsonNode> decisionsTo(String replicaUrl, long mark) {
		return authEntries(mark).stream().filter((entry) -> replicaUrl.equals(entry.path("ServiceURL").asString())).toList();
	}

	/** The access log entries of the auth entrypoint (one per forwardAuth call) after the mark. */
	private static List<JsonNode> authEntries(long mark) {
		return cluster.accessLogSince(mark)
			.stream()
			.filter((entry) -> "auth".equals(entry.path("entryPointName").asString()))
			.toList();
	}

	private static final AtomicInteger markers = new AtomicInteger();

	/**
	 * The access log entries of the one request sent after the mark. A request Traefik
	 * answers itself, before its router, leaves no entry to wait for; so a marker request follows it, and
	 * the entries are those written before the marker's. Traefik writes an entry before it closes the
	 * connection ({@link LocalCluster#raw} reads to the close), so the request's entries come first.
	 */
	private static List<JsonNode> entriesOfOneRequest(long mark) {
		String marker = "table-marker=" + markers.incrementAndGet();
		assertThat(cluster.raw("demo", "/?" + marker).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> cluster.accessLogSince(mark).stream()
			.anyMatch((entry) -> "web".equals(entry.path("entryPointName").asString()) && mentions(entry, marker)));
		List<JsonNode> entries = new ArrayList<>();
		for (JsonNode entry : cluster.accessLogSince(mark)) {
			if (mentions(entry, marker)) {
				break;
			}
			entries.add(entry);
		}
		return entries;
	}

	private static boolean mentions(JsonNode entry, String marker) {
		return entry.path("RequestPath").asString().contains(marker)
				|| entry.path("request_X-Forwarded-Uri").asString().contains(marker);
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

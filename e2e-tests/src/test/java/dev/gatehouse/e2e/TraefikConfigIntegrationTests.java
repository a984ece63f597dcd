package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compose deployment's Traefik configuration, loaded by the pinned Traefik binary
 * ({@code infra/local/traefik.sh}): the static file {@code infra/traefik/traefik.yml} (only its
 * addresses, the Docker endpoint and the config directory rewritten for this host), the shared
 * middlewares, and the routers Traefik's Docker provider builds from the labels in
 * {@code docker-compose.yml}, served by a {@link FakeDockerEngine}. An unknown option name stops Traefik
 * (static file) or is logged as an error (dynamic file, labels); a missing middleware is an error too. So
 * a clean log and the expected routes prove every option name against that release.
 */
class TraefikConfigIntegrationTests {

	private static final Path REPO = Path.of(System.getProperty("gatehouse.repo", "..")).toAbsolutePath().normalize();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static String binary;

	private Process traefik;

	private Path log;

	private int webPort;

	private final ConcurrentLinkedQueue<String> decisions = new ConcurrentLinkedQueue<>();

	@BeforeAll
	static void findTraefik() throws Exception {
		Process process = new ProcessBuilder(REPO.resolve("infra/local/traefik.sh").toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		// the first run on a machine builds Traefik from its Go module: a few minutes
		assertThat(process.waitFor(15, TimeUnit.MINUTES)).isTrue();
		binary = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.exitValue()).as("infra/local/traefik.sh").isZero();
	}

	@AfterEach
	void stopTraefik() throws InterruptedException {
		if (this.traefik != null) {
			this.traefik.destroy();
			this.traefik.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void composeLabelsRouteAStoppedAppThroughForwardAuthToTheReplicas() throws Exception {
		HttpServer replica = fakeReplica();
		try (FakeDockerEngine docker = new FakeDockerEngine()) {
			docker.container("gatehouse-auth-service-1", "auth-service", labels("auth-service"), "running", "healthy", "127.0.0.2", 8080)
				// stopped for idleness: its router stays (traefik.docker.allownonrunning), so the request
				// reaches Gatehouse, which records the access and starts the app
				.container("gatehouse-whoami-1", "whoami", labels("whoami"), "exited", null, "", 80)
				.container("canary", "canary", canaryLabels(), "running", null, "127.0.0.5", 80);
			start(docker);

			assertThat(get("demo.localhost").statusCode()).as("stopped app with its router kept").isEqualTo(503);
			assertThat(this.decisions).as("forwardAuth calls the replica reached").contains("demo.localhost /");
			assertThat(get("nope.localhost").statusCode()).as("no router").isEqualTo(404);
			assertThat(errors()).isEmpty();
		}
		finally {
			replica.stop(0);
		}
	}

	@Test
	void withEveryReplicaUnhealthyForwardAuthAnswers503NotTheUnknownApp404() throws Exception {
		try (FakeDockerEngine docker = new FakeDockerEngine()) {
			docker.container("gatehouse-auth-service-1", "auth-service", labels("auth-service"), "running", "unhealthy", "127.0.0.2", 8080)
				.container("gatehouse-auth-service-2", "auth-service", labels("auth-service"), "running", "unhealthy", "127.0.0.3", 8080)
				.container("gatehouse-whoami-1", "whoami", labels("whoami"), "running", null, "127.0.0.4", 80)
				.container("canary", "canary", canaryLabels(), "running", null, "127.0.0.5", 80);
			start(docker);

			assertThat(get("demo.localhost").statusCode()).isEqualTo(503);
			assertThat(errors()).isEmpty();
		}
	}

	@Test
	void composeLabelsRouteThePortalsIdentityDocumentAndNothingElseToTheAdmin() throws Exception {
		HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.6", 8081), 0);
		admin.createContext("/", (exchange) -> {
			byte[] body = ("admin " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		admin.start();
		try (FakeDockerEngine docker = new FakeDockerEngine()) {
			docker.container("gatehouse-admin-service-1", "admin-service", interpolated(labels("admin-service")), "running",
					"healthy", "127.0.0.6", 8081)
				.container("canary", "canary", canaryLabels(), "running", null, "127.0.0.5", 80);
			start(docker);

			HttpResponse<String> document = get("25gql6.gatehouse.localhost", "/public/identity");
			assertThat(document.statusCode()).isEqualTo(200);
			assertThat(document.body()).isEqualTo("admin /public/identity");
			// nothing else of the admin, on no other host
			assertThat(get("25gql6.gatehouse.localhost", "/api/identities").statusCode()).isEqualTo(404);
			assertThat(get("25gql6.gatehouse.localhost", "/public/identity/x").statusCode()).isEqualTo(404);
			assertThat(get("demo.localhost", "/public/identity").statusCode()).isEqualTo(404);
			assertThat(get("a.b.gatehouse.localhost", "/public/identity").statusCode()).isEqualTo(404);
			assertThat(errors()).isEmpty();
		}
		finally {
			admin.stop(0);
		}
	}

	/** Starts Traefik on the compose configuration and waits until the Docker provider's routes are live. */
	private void start(FakeDockerEngine docker) throws IOException {
		Path dir = Files.createTempDirectory("traefik-config");
		Files.createDirectories(dir.resolve("dynamic"));
		int authPort = freePort();
		int pingPort = freePort();
		this.webPort = freePort();
		Files.writeString(dir.resolve("dynamic/middlewares.yml"), replace(
				Files.readString(REPO.resolve("infra/traefik/dynamic/middlewares.yml")), "127.0.0.1:9000", "127.0.0.1:" + authPort));
		String config = Files.readString(REPO.resolve("infra/traefik/traefik.yml"));
		config = replace(config, "address: \":80\"", "address: \"127.0.0.1:" + this.webPort + "\"");
		config = replace(config, "127.0.0.1:9000", "127.0.0.1:" + authPort);
		config = replace(config, "127.0.0.1:8082", "127.0.0.1:" + pingPort);
		config = replace(config, "unix:///var/run/docker.sock", docker.endpoint());
		config = replace(config, "/etc/traefik/dynamic", dir.resolve("dynamic").toString());
		Files.writeString(dir.resolve("traefik.yml"), config);
		this.log = dir.resolve("traefik.log");
		this.traefik = new ProcessBuilder(binary, "--configFile=" + dir.resolve("traefik.yml"))
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			assertThat(this.traefik.isAlive()).as("Traefik runs; its log: %s", Files.readString(this.log)).isTrue();
			assertThat(get("canary.localhost").statusCode()).as("the Docker provider's routes are live").isNotEqualTo(404);
		});
	}

	private static String replace(String text, String target, String replacement) {
		assertThat(text).as("the configuration names %s", target).contains(target);
		return text.replace(target, replacement);
	}

	/** Traefik's error lines, and warnings about its configuration. */
	private List<String> errors() throws IOException {
		return Files.readAllLines(this.log)
			.stream()
			.map((line) -> line.replaceAll("\u001B\\[[0-9;]*m", ""))
			.filter((line) -> line.contains(" ERR ") || line.contains("field not found")
					|| line.contains("maxResponseBodySize") || line.contains("deprecated"))
			.toList();
	}

	/** An auth replica at 127.0.0.2:8080 (the compose label's port): ready, allows every request. */
	private HttpServer fakeReplica() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 8080), 0);
		server.createContext("/", (exchange) -> {
			if (exchange.getRequestURI().getPath().equals("/internal/auth")) {
				this.decisions.add(exchange.getRequestHeaders().getFirst("X-Forwarded-Host") + " "
						+ exchange.getRequestHeaders().getFirst("X-Forwarded-Uri"));
				exchange.getResponseHeaders().add("X-Ptl-Client-Type", "anonymous");
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		return server;
	}

	private HttpResponse<String> get(String host) {
		return get(host, "/");
	}

	private HttpResponse<String> get(String host, String path) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.webPort + path))
				.header("Host", host)
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> labels(String service) {
		try (Reader reader = Files.newBufferedReader(REPO.resolve("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			Map<String, Object> services = (Map<String, Object>) compose.get("services");
			return (Map<String, String>) ((Map<String, Object>) services.get(service)).get("labels");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Labels as compose passes them on: {@code ${NAME:-default}} with its default (the variables are unset
	 * here), {@code $$} as {@code $}.
	 */
	private static Map<String, String> interpolated(Map<String, String> labels) {
		Map<String, String> result = new LinkedHashMap<>();
		labels.forEach((name, value) -> result.put(name,
				value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1").replace("$$", "$")));
		return result;
	}

	/** A router without forwardAuth, to see when the Docker provider's configuration is live. */
	private static Map<String, String> canaryLabels() {
		return Map.of("traefik.enable", "true", "traefik.http.routers.canary.rule", "Host(`canary.localhost`)",
				"traefik.http.routers.canary.entrypoints", "web");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

package dev.gatehouse.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local cluster of {@code infra/local/cluster.sh} (admin, auth replicas, Traefik and the demo app as
 * real processes) in a run directory, database and Redis namespace of its own. Several run side by side
 * when each has its own name.
 */
final class LocalCluster implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path repo = Path.of(System.getProperty("gatehouse.repo", "..")).toAbsolutePath().normalize();

	private final Path runDir;

	private final Map<String, String> environment;

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Map<String, String> env = Map.of();

	/** The cluster in {@code target/cluster}, configured as {@code cluster.sh} does by default. */
	LocalCluster() {
		this(null, Map.of());
	}

	/**
	 * A cluster of its own.
	 * @param name its run directory is {@code target/cluster-<name>}; null for {@code target/cluster}
	 * @param environment for {@code cluster.sh} and the processes it starts, e.g. {@code GATEHOUSE_PROXY_PORT}
	 * or {@code GATEHOUSE_ADMIN_*} settings
	 */
	LocalCluster(String name, Map<String, String> environment) {
		Path base = Path.of(System.getProperty("gatehouse.run-dir", "target/cluster")).toAbsolutePath();
		this.runDir = (name != null) ? base.resolveSibling(base.getFileName() + "-" + name) : base;
		this.environment = Map.copyOf(environment);
	}

	LocalCluster up(int replicas) {
		script("up", Integer.toString(replicas));
		return this;
	}

	void script(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.repo.resolve("infra/local/cluster.sh").toString());
		command.addAll(Arrays.asList(arguments));
		Path log = this.runDir.resolveSibling("cluster-script.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.repo.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().put("GATEHOUSE_RUN_DIR", this.runDir.toString());
		builder.environment().put("GATEHOUSE_DB", database());
		builder.environment().put("GATEHOUSE_NAMESPACE", "e2e-" + this.suffix);
		builder.environment().putAll(this.environment);
		try {
			Files.createDirectories(this.runDir.getParent());
			Process process = builder.start();
			// the first run on a machine may build Traefik (infra/local/traefik.sh): a few minutes
			if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException("cluster.sh %s failed; see %s".formatted(String.join(" ", arguments), log));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not run cluster.sh", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (Files.exists(this.runDir.resolve("cluster.env"))) {
			readEnv();
		}
	}

	private String database() {
		return "gatehouse_e2e_" + this.suffix;
	}

	private void readEnv() {
		Map<String, String> values = new HashMap<>();
		try {
			for (String line : Files.readAllLines(this.runDir.resolve("cluster.env"))) {
				int equals = line.indexOf('=');
				if (equals > 0 && !line.startsWith("#")) {
					values.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no cluster.env", ex);
		}
		this.env = values;
	}

	String proxyUrl() {
		return this.env.get("PROXY_URL");
	}

	int proxyPort() {
		return URI.create(proxyUrl()).getPort();
	}

	String zone() {
		return this.env.getOrDefault("APP_ZONE", "localhost");
	}

	/** The zone of identity domains, {@code <short id>.<portal zone>}. */
	String portalZone() {
		return this.env.getOrDefault("PORTAL_ZONE", "gatehouse.localhost");
	}

	/** The first admin that runs, the one {@link #admin(String, String, String)} calls. */
	String adminUrl() {
		return this.env.get("ADMIN_URL");
	}

	/** Every admin that ran when the script last wrote cluster.env ({@code GATEHOUSE_ADMINS}: one by default). */
	List<String> adminUrls() {
		return List.of(this.env.get("ADMIN_URLS").trim().split("\\s+"));
	}

	String adminToken() {
		return this.env.get("ADMIN_TOKEN");
	}

	/**
	 * A free loopback port for {@code GATEHOUSE_PROXY_PORT}, in the range {@code cluster.sh} picks from
	 * (below the kernel's ephemeral ports, which outgoing connections take).
	 */
	static int freeProxyPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("no free port from 20000 to 31999");
	}

	/** The default identity, as {@code GET /api/identities/default} shows it. */
	JsonNode identity() {
		HttpResponse<String> response = admin("GET", "/api/identities/default", null);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("no default identity: " + response.statusCode() + " " + response.body());
		}
		return json.readTree(response.body());
	}

	String traefikApiUrl() {
		return this.env.get("TRAEFIK_API_URL");
	}

	List<String> authUrls() {
		return List.of(this.env.get("AUTH_URLS").trim().split("\\s+"));
	}

	Path runDir() {
		return this.runDir;
	}

	Path repo() {
		return this.repo;
	}

	/** The pid of a process the script started (auth-1, traefik, ...), from its pid file. */
	long pid(String name) {
		try {
			return Long.parseLong(Files.readString(this.runDir.resolve("pids/" + name + ".pid")).trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no pid file for " + name, ex);
		}
	}

	/**
	 * A service process the script started (auth-1, admin, ...) while it runs. A killed replica keeps its
	 * pid file until the script starts or stops it again, and its pid may be reused meanwhile: the process
	 * counts only when its command line carries the script's marker for that name and this run directory.
	 * Empty when there is no such process (or no pid file: the script stopped it).
	 */
	Optional<ProcessHandle> process(String name) {
		if (!Files.exists(this.runDir.resolve("pids/" + name + ".pid"))) {
			return Optional.empty();
		}
		List<String> marker = List.of("-Dgatehouse.local.process=" + name, "-Dgatehouse.local.run-dir=" + this.runDir);
		return ProcessHandle.of(pid(name))
			.filter((process) -> process.info().arguments().map((arguments) -> List.of(arguments).containsAll(marker)).orElse(false));
	}

	/** The port of a process the script started, from its port file, or -1 before it has one. */
	int port(String name) {
		try {
			Path file = this.runDir.resolve("pids/" + name + ".port");
			return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A request through the proxy to {@code <app>.<zone>}. */
	HttpResponse<String> viaProxy(String app, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxyUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.header("Host", app + "." + zone())
			.GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	/**
	 * A request through the proxy with a Host header of the caller's choice, such as
	 * {@code app.localhost:PORT} (what a client that addresses {@code http://app.localhost:PORT/} sends).
	 * @param method the method
	 * @param host the Host header
	 * @param target the path and query
	 * @param headers more headers, as name and value pairs
	 * @return the answer
	 */
	HttpResponse<String> viaProxyAs(String method, String host, String target, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxyUrl() + target))
			.timeout(Duration.ofSeconds(10))
			.header("Host", host)
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	/**
	 * A request through the proxy written byte for byte, for request targets and header spellings an
	 * HTTP client library would refuse or normalize: one connection, closed after the answer.
	 * @param target the request target as sent (raw UTF-8 allowed)
	 * @param headerLines extra header lines, e.g. {@code "X_Ptl_Client_Id: forged"}
	 * @return the status code and the body
	 */
	RawResponse raw(String app, String target, String... headerLines) {
		return raw(proxyPort(), app, target, headerLines);
	}

	/** As {@link #raw(String, String, String...)}, through another proxy listening on this port. */
	RawResponse raw(int port, String app, String target, String... headerLines) {
		StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
		request.append("Host: ").append(app).append('.').append(zone()).append("\r\n");
		for (String line : headerLines) {
			request.append(line).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			in.transferTo(received);
			String response = received.toString(StandardCharsets.UTF_8);
			int status = Integer.parseInt(response.substring(9, 12));
			int bodyStart = response.indexOf("\r\n\r\n");
			return new RawResponse(status, (bodyStart < 0) ? "" : response.substring(bodyStart + 4));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record RawResponse(int status, String body) {
	}

	/** A forwardAuth request straight to one replica. */
	HttpResponse<String> auth(String replicaUrl, String app, String uri, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replicaUrl + "/internal/auth"))
			.timeout(Duration.ofSeconds(10))
			.header("X-Forwarded-Host", app + "." + zone())
			.header("X-Forwarded-Uri", uri)
			.GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	HttpResponse<String> admin(String method, String path, String body) {
		return admin(adminUrl(), method, path, body);
	}

	/** A request with the admin token to one admin of several, e.g. {@code http://127.0.0.1:} + {@code port("admin-2")}. */
	HttpResponse<String> admin(String adminUrl, String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + adminToken())
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return send(request.build());
	}

	HttpResponse<String> post(String url, String body) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
	}

	/** A request to any URL, answered as a string. */
	HttpResponse<String> send(HttpRequest.Builder request) {
		return send(request.timeout(Duration.ofSeconds(10)).build());
	}

	/** Sums the samples of a Prometheus counter on one service, e.g. {@code gatehouse_source_loads_total{kind="app"}}. */
	double metric(String baseUrl, String name, String labelFilter) {
		double total = 0;
		for (String line : get(baseUrl + "/actuator/prometheus").body().split("\n")) {
			if (line.startsWith(name) && (labelFilter == null || line.contains(labelFilter))) {
				total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return total;
	}

	/**
	 * Sums the samples of a Prometheus metric on one admin, whose {@code /actuator/prometheus} needs the
	 * admin token (unlike a replica's), e.g. {@code gatehouse_admin_leader}.
	 */
	double adminMetric(String adminUrl, String name) {
		HttpResponse<String> response = admin(adminUrl, "GET", "/actuator/prometheus", null);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("%s/actuator/prometheus answered %d".formatted(adminUrl, response.statusCode()));
		}
		double total = 0;
		for (String line : response.body().split("\n")) {
			if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
				total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return total;
	}

	/** A connection to the cluster's database, as the admin logs in (cluster.env's DATABASE_*). */
	Connection connectToDatabase() throws SQLException {
		return DriverManager.getConnection(this.env.get("DATABASE_URL"), this.env.get("DATABASE_USER"),
				this.env.getOrDefault("DATABASE_PASSWORD", ""));
	}

	/** Traefik's access log so far: one JSON object a request, on every entrypoint. */
	List<JsonNode> accessLog() {
		try {
			List<JsonNode> entries = new ArrayList<>();
			for (String line : Files.readAllLines(this.runDir.resolve("logs/traefik-access.log"))) {
				if (line.startsWith("{")) {
					entries.add(json.readTree(line));
				}
			}
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where Traefik's access log ends now (after its last complete line), a mark for {@link #accessLogSince}:
	 * reading only what follows stays cheap however long the log has grown.
	 */
	long accessLogMark() {
		try (FileChannel log = FileChannel.open(accessLogPath(), StandardOpenOption.READ)) {
			long end = log.size();
			ByteBuffer tail = ByteBuffer.allocate(64 * 1024);
			while (end > 0) {
				long start = Math.max(0, end - tail.capacity());
				tail.clear().limit((int) (end - start));
				log.read(tail, start);
				for (int i = tail.position() - 1; i >= 0; i--) {
					if (tail.get(i) == '\n') {
						return start + i + 1;
					}
				}
				end = start;
			}
			return 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The access log entries Traefik wrote after the mark, complete lines only (one being written is
	 * left for the next read).
	 * @param mark from {@link #accessLogMark()}
	 */
	List<JsonNode> accessLogSince(long mark) {
		try (FileChannel log = FileChannel.open(accessLogPath(), StandardOpenOption.READ)) {
			long size = log.size();
			if (size <= mark) {
				return List.of();
			}
			ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - mark));
			while (bytes.hasRemaining() && log.read(bytes, mark + bytes.position()) > 0) {
				// until the size read above
			}
			String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
			List<JsonNode> entries = new ArrayList<>();
			for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
				if (line.startsWith("{")) {
					entries.add(json.readTree(line));
				}
			}
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path accessLogPath() {
		return this.runDir.resolve("logs/traefik-access.log");
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

	@Override
	public void close() {
		// the cluster's credentials, or the tests' (a cluster that failed to start wrote no cluster.env)
		String user = this.env.getOrDefault("DATABASE_USER", System.getenv("GATEHOUSE_TEST_POSTGRES_USER"));
		String password = this.env.getOrDefault("DATABASE_PASSWORD",
				Objects.requireNonNullElse(System.getenv("GATEHOUSE_TEST_POSTGRES_PASSWORD"), "")).replace("'", "");
		script("down");
		// leave PostgreSQL and Redis as they were found (a failure leaves names no later run reuses)
		String database = database();
		run(Map.of("PGPASSWORD", password), "psql", "-h", "127.0.0.1", "-U", (user != null) ? user : "postgres", "-d",
				"postgres", "-c", "drop database if exists " + database + " with (force)", "-c",
				"drop role if exists " + database + "_auth", "-c", "drop role if exists " + database + "_reader");
		run(Map.of(), "sh", "-c", "redis-cli --scan --pattern 'e2e-" + this.suffix + ":*' | xargs -r redis-cli del");
	}

	private static void run(Map<String, String> environment, String... command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD);
			builder.environment().putAll(environment);
			builder.start().waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// nothing cleaned; nothing depends on it
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

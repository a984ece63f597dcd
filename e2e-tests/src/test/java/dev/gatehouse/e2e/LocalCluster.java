package dev.gatehouse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster of {@code infra/local/cluster.sh} (admin, auth replicas and the proxy as real
 * processes) in a run directory, database and Redis namespace of its own.
 */
final class LocalCluster implements AutoCloseable {

	private final Path repo = Path.of(System.getProperty("gatehouse.repo", "..")).toAbsolutePath().normalize();

	private final Path runDir = Path.of(System.getProperty("gatehouse.run-dir", "target/cluster")).toAbsolutePath();

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Map<String, String> env = Map.of();

	LocalCluster up(int replicas) {
		script("up", Integer.toString(replicas));
		readEnv();
		return this;
	}

	void script(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.repo.resolve("infra/local/cluster.sh").toString());
		command.addAll(Arrays.asList(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.repo.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.runDir.resolveSibling("cluster-script.log").toFile()));
		builder.environment().put("GATEHOUSE_RUN_DIR", this.runDir.toString());
		builder.environment().put("GATEHOUSE_DB", "gatehouse_e2e_" + this.suffix);
		builder.environment().put("GATEHOUSE_NAMESPACE", "e2e-" + this.suffix);
		try {
			Files.createDirectories(this.runDir.getParent());
			Process process = builder.start();
			if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException("cluster.sh %s failed; see %s".formatted(String.join(" ", arguments),
						this.runDir.resolveSibling("cluster-script.log")));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run cluster.sh", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (Files.exists(this.runDir.resolve("cluster.env"))) {
			readEnv();
		}
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
			throw new IllegalStateException("no cluster.env", ex);
		}
		this.env = values;
	}

	String proxyUrl() {
		return this.env.get("PROXY_URL");
	}

	String zone() {
		return this.env.getOrDefault("APP_ZONE", "localhost");
	}

	String adminUrl() {
		return this.env.get("ADMIN_URL");
	}

	String adminToken() {
		return this.env.get("ADMIN_TOKEN");
	}

	List<String> authUrls() {
		return List.of(this.env.get("AUTH_URLS").trim().split("\\s+"));
	}

	/** The pid of a replica, from the script's pid files. */
	long replicaPid(int number) {
		try {
			return Long.parseLong(Files.readString(this.runDir.resolve("pids/auth-" + number + ".pid")).trim());
		}
		catch (IOException ex) {
			throw new IllegalStateException("no pid file for auth-" + number, ex);
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

	HttpResponse<String> admin(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + adminToken())
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return send(request.build());
	}

	HttpResponse<String> post(String url, String json) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
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

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		script("down");
		// leave PostgreSQL and Redis as they were found (a failure leaves names no later run reuses)
		run("psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
				"drop database if exists gatehouse_e2e_" + this.suffix + " with (force)");
		run("sh", "-c", "redis-cli --scan --pattern 'e2e-" + this.suffix + ":*' | xargs -r redis-cli del");
	}

	private static void run(String... command) {
		try {
			new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// nothing cleaned; nothing depends on it
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

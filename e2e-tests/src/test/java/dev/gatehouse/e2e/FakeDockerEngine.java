package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just enough of the Docker Engine API for Traefik's Docker provider to list containers: ping, version,
 * the container list, inspect, and an event stream that stays open. Each container is a compose service's
 * labels with a state, a health and an address, so Traefik turns the real compose labels into routers.
 */
final class FakeDockerEngine implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern INSPECT = Pattern.compile(".*/containers/([^/]+)/json");

	private final Map<String, Container> containers = new LinkedHashMap<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private final HttpServer server;

	FakeDockerEngine() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** The endpoint for Traefik's {@code providers.docker.endpoint}. */
	String endpoint() {
		return "tcp://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Adds a container.
	 * @param status "running" or "exited" (an exited container has no address and no ports)
	 * @param health "healthy", "unhealthy", or null for none
	 * @param address its address on the compose network
	 * @param port the port its image exposes
	 */
	FakeDockerEngine container(String name, String service, Map<String, String> labels, String status, String health,
			String address, int port) {
		Map<String, String> all = new LinkedHashMap<>(labels);
		all.put("com.docker.compose.project", "gatehouse");
		all.put("com.docker.compose.service", service);
		this.containers.put(Integer.toHexString(name.hashCode()), new Container(name, all, status, health, address, port));
		return this;
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		Matcher inspect = INSPECT.matcher(path);
		if (path.endsWith("/_ping")) {
			exchange.getResponseHeaders().add("Api-Version", "1.47");
			exchange.getResponseHeaders().add("Ostype", "linux");
			respond(exchange, "HEAD".equals(exchange.getRequestMethod()) ? null : "OK");
		}
		else if (path.endsWith("/version")) {
			respond(exchange, json.writeValueAsString(Map.of("Version", "27.5.1", "ApiVersion", "1.47", "MinAPIVersion",
					"1.24", "Os", "linux", "Arch", "amd64")));
		}
		else if (path.endsWith("/containers/json")) {
			List<Map<String, Object>> list = new ArrayList<>();
			this.containers.forEach((id, container) -> list.add(Map.of("Id", id, "Names", List.of("/" + container.name()),
					"State", container.status(), "Labels", container.labels())));
			respond(exchange, json.writeValueAsString(list));
		}
		else if (inspect.matches() && this.containers.containsKey(inspect.group(1))) {
			respond(exchange, json.writeValueAsString(inspect(inspect.group(1), this.containers.get(inspect.group(1)))));
		}
		else if (path.endsWith("/events")) {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			try {
				this.closed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		}
		else {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		}
	}

	private static Map<String, Object> inspect(String id, Container container) {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("Status", container.status());
		state.put("Running", "running".equals(container.status()));
		if (container.health() != null) {
			state.put("Health", Map.of("Status", container.health()));
		}
		boolean running = "running".equals(container.status());
		Map<String, Object> ports = new LinkedHashMap<>();
		if (running) {
			ports.put(container.port() + "/tcp", null);
		}
		Map<String, Object> network = Map.of("NetworkID", "gatehouse", "IPAddress", running ? container.address() : "");
		return Map.of("Id", id, "Name", "/" + container.name(), "State", state, "Config",
				Map.of("Labels", container.labels(), "ExposedPorts", Map.of(container.port() + "/tcp", Map.of())), "HostConfig",
				Map.of("NetworkMode", "gatehouse"), "NetworkSettings",
				Map.of("Ports", ports, "Networks", Map.of("gatehouse", network)));
	}

	private static void respond(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, (body != null) ? bytes.length : -1);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
	}

	private record Container(String name, Map<String, String> labels, String status, String health, String address,
			int port) {
	}

}

package dev.gatehouse.system;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.gatehouse.admin.AdminApplication;
import dev.gatehouse.admin.leader.Leadership;
import dev.gatehouse.auth.AuthApplication;
import dev.gatehouse.auth.invalidation.ChangeMessageFilter;
import dev.gatehouse.testsupport.TestDatabase;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * A whole Gatehouse in this JVM: the admin and several auth replicas, each its own Spring context on its
 * own port, sharing one private database and one private Redis namespace.
 */
final class GatehouseCluster implements AutoCloseable {

	static final String ADMIN_TOKEN = "system-test-admin-token-0123456789";

	static final String MANAGEMENT_SECRET = "system-test-management-secret";

	private static final List<String> REPLICA_EXCLUDES = List.of(
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final TestDatabase database;

	private final String namespace;

	/** The first admin, then those {@link #startAdmin(Map)} started. */
	private final List<ConfigurableApplicationContext> admins = new ArrayList<>();

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private final Options options;

	private final String replicaPassword;

	private GatehouseCluster(int replicas, Options options) {
		this.options = options;
		this.database = TestServices.newDatabase();
		this.namespace = (options.namespace() != null) ? options.namespace() : TestServices.newNamespace();
		this.admins.add(runAdmin(options.adminBeans()));
		// the only admin leads; tests that call its singleton work directly need it to know that already
		await().atMost(Duration.ofSeconds(5)).until(() -> admin().getBean(Leadership.class).isLeader());
		// replicas log in as the production role does: a member of the reader role the migrations grant to
		this.replicaPassword = this.database.replicaLogin("gatehouse_reader");
		for (int i = 0; i < replicas; i++) {
			startReplica(null);
		}
	}

	private ConfigurableApplicationContext runAdmin(Map<String, Object> beans) {
		Map<String, Object> adminProperties = new LinkedHashMap<>(common());
		adminProperties.put("gatehouse.admin.token", ADMIN_TOKEN);
		// no Docker engine in these tests: lifecycle tests bring their own in-memory runtime
		adminProperties.put("gatehouse.admin.lifecycle.runtime", "none");
		adminProperties.putAll(this.options.adminProperties());
		SpringApplicationBuilder adminApplication = AdminApplication.application();
		beans.forEach((name, bean) -> adminApplication
			.initializers(context -> context.getBeanFactory().registerSingleton(name, bean)));
		return adminApplication.run(arguments(adminProperties));
	}

	/**
	 * Starts one more admin on the same database and Redis namespace, as a second instance of an
	 * installation (it serves the API and follows the first one's lead).
	 * @param beans beans it gets before its own, instead of the options' admin beans
	 * @return its index ({@link #admin(int)}); the first admin is 0
	 */
	int startAdmin(Map<String, Object> beans) {
		this.admins.add(runAdmin(beans));
		return this.admins.size() - 1;
	}

	static GatehouseCluster start(int replicas) {
		return new GatehouseCluster(replicas, Options.DEFAULTS);
	}

	static GatehouseCluster start(int replicas, Options options) {
		return new GatehouseCluster(replicas, options);
	}

	/**
	 * Starts one more auth replica.
	 * @param filter drops the change messages it refuses (fault injection), or null
	 * @return its index
	 */
	int startReplica(ChangeMessageFilter filter) {
		Map<String, Object> properties = new LinkedHashMap<>(common());
		properties.put("spring.flyway.enabled", false);
		properties.put("spring.datasource.url", this.options.replicaDatabaseUrl().apply(this.database.url()));
		// the admin's Spring Security shares this JVM's class path; the replica's own class path has none
		properties.put("spring.autoconfigure.exclude", String.join(",", REPLICA_EXCLUDES));
		properties.put("spring.datasource.username", TestDatabase.REPLICA_USER);
		properties.put("spring.datasource.password", this.replicaPassword);
		properties.put("gatehouse.management.secret", MANAGEMENT_SECRET);
		properties.put("gatehouse.auth.replica-id", "replica-" + this.replicas.size());
		properties.put("gatehouse.auth.activity-flush-interval", "200ms");
		properties.putAll(this.options.replicaProperties());
		SpringApplicationBuilder application = AuthApplication.application();
		if (filter != null) {
			application.initializers(context -> context.getBeanFactory().registerSingleton("changeMessageFilter", filter));
		}
		this.options.replicaBeans().forEach((name, bean) -> application
			.initializers(context -> context.getBeanFactory().registerSingleton(name, bean)));
		this.replicas.add(application.run(arguments(properties)));
		int index = this.replicas.size() - 1;
		// as behind a proxy: traffic only once the replica reports ready (its first catch-up is done)
		await().atMost(Duration.ofSeconds(15)).until(() -> get(replicaUrl(index) + "/actuator/health/readiness").statusCode() == 200);
		return index;
	}

	/**
	 * How to start a cluster.
	 *
	 * @param redis the Redis every service uses, or null for the test Redis (a Redis Cluster in
	 * {@link TestServices#clusterMode() cluster mode})
	 * @param namespace the Redis namespace, or null for a fresh one
	 * @param replicaDatabaseUrl maps the test database's URL to the one replicas use (e.g. through a proxy)
	 * @param adminProperties further admin settings
	 * @param adminBeans beans registered in the admin before its own
	 * @param replicaProperties further replica settings
	 * @param replicaBeans beans registered in every replica before its own
	 */
	record Options(InetSocketAddress redis, String namespace, UnaryOperator<String> replicaDatabaseUrl,
			Map<String, Object> adminProperties, Map<String, Object> adminBeans, Map<String, Object> replicaProperties,
			Map<String, Object> replicaBeans) {

		static final Options DEFAULTS = new Options(null, null, UnaryOperator.identity(), Map.of(), Map.of(), Map.of(),
				Map.of());

		Options withRedis(InetSocketAddress redis) {
			return new Options(redis, this.namespace, this.replicaDatabaseUrl, this.adminProperties,
					this.adminBeans, this.replicaProperties, this.replicaBeans);
		}

		/** A given Redis namespace instead of a fresh one. */
		Options withNamespace(String namespace) {
			return new Options(this.redis, namespace, this.replicaDatabaseUrl, this.adminProperties,
					this.adminBeans, this.replicaProperties, this.replicaBeans);
		}

		Options withReplicaDatabaseUrl(UnaryOperator<String> replicaDatabaseUrl) {
			return new Options(this.redis, this.namespace, replicaDatabaseUrl, this.adminProperties,
					this.adminBeans, this.replicaProperties, this.replicaBeans);
		}

		Options withAdminProperties(Map<String, Object> adminProperties) {
			return new Options(this.redis, this.namespace, this.replicaDatabaseUrl, adminProperties,
					this.adminBeans, this.replicaProperties, this.replicaBeans);
		}

		/** Beans the admin gets before its own, e.g. an in-memory app runtime or a clock the test sets. */
		Options withAdminBeans(Map<String, Object> adminBeans) {
			return new Options(this.redis, this.namespace, this.replicaDatabaseUrl, this.adminProperties,
					adminBeans, this.replicaProperties, this.replicaBeans);
		}

		Options withReplicaProperties(Map<String, Object> replicaProperties) {
			return new Options(this.redis, this.namespace, this.replicaDatabaseUrl, this.adminProperties,
					this.adminBeans, replicaProperties, this.replicaBeans);
		}

		/** Beans every replica gets before its own, e.g. a clock the test sets. */
		Options withReplicaBeans(Map<String, Object> replicaBeans) {
			return new Options(this.redis, this.namespace, this.replicaDatabaseUrl, this.adminProperties,
					this.adminBeans, this.replicaProperties, replicaBeans);
		}

	}

	/** Command-line arguments, so they outrank the services' own application.yaml. */
	private static String[] arguments(Map<String, Object> properties) {
		return properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new);
	}

	private Map<String, Object> common() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", 0);
		properties.put("spring.jmx.enabled", false);
		properties.put("spring.datasource.url", this.database.url());
		properties.put("spring.datasource.username", this.database.user());
		properties.put("spring.datasource.password", this.database.password());
		if (this.options.redis() == null && TestServices.clusterMode()) {
			properties.put("spring.data.redis.cluster.nodes", TestServices.redisCluster().nodeList());
		}
		else {
			InetSocketAddress redis = (this.options.redis() != null) ? this.options.redis() : TestServices.redis();
			properties.put("spring.data.redis.host", redis.getHostString());
			properties.put("spring.data.redis.port", redis.getPort());
		}
		properties.put("gatehouse.namespace", this.namespace);
		return properties;
	}

	int replicaCount() {
		return this.replicas.size();
	}

	String namespace() {
		return this.namespace;
	}

	TestDatabase database() {
		return this.database;
	}

	/** The password the replicas log in to PostgreSQL with. */
	String replicaPassword() {
		return this.replicaPassword;
	}

	ConfigurableApplicationContext admin() {
		return admin(0);
	}

	ConfigurableApplicationContext replica(int index) {
		return this.replicas.get(index);
	}

	MeterRegistry replicaMeters(int index) {
		return replica(index).getBean(MeterRegistry.class);
	}

	/** An admin by index: 0 is the first, then those {@link #startAdmin(Map)} started. */
	ConfigurableApplicationContext admin(int index) {
		return this.admins.get(index);
	}

	String adminUrl() {
		return adminUrl(0);
	}

	String adminUrl(int index) {
		return baseUrl(admin(index));
	}

	String replicaUrl(int index) {
		return baseUrl(replica(index));
	}

	/** Calls the admin API with the admin token. */
	HttpResponse<String> admin(String method, String path, String json) {
		return adminAs("Bearer " + ADMIN_TOKEN, method, path, json);
	}

	/** Calls the admin API with the given Authorization header (or none when null). */
	HttpResponse<String> adminAs(String authorization, String method, String path, String json) {
		return adminAt(0, authorization, method, path, json);
	}

	/** Calls the API of the admin of that index with the given Authorization header (or none when null). */
	HttpResponse<String> adminAt(int index, String authorization, String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl(index) + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	/** Calls the admin API without credentials and with the given {@code Content-Type}. */
	HttpResponse<String> adminWithContentType(String contentType, String method, String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(adminUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/**
	 * Asks a replica for a forwardAuth decision, as Traefik would.
	 * @param replica the replica's index
	 * @param host {@code X-Forwarded-Host}, or null to leave it out
	 * @param uri {@code X-Forwarded-Uri}
	 * @param headers further request headers, as name, value, name, value...
	 */
	HttpResponse<String> auth(int replica, String host, String uri, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replicaUrl(replica) + "/internal/auth"))
			.timeout(Duration.ofSeconds(10))
			.GET();
		if (host != null) {
			request.header("X-Forwarded-Host", host);
		}
		if (uri != null) {
			request.header("X-Forwarded-Uri", uri);
		}
		request.header("X-Forwarded-Method", "GET");
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	HttpResponse<String> get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	/** Sends any request, for tests that need headers or methods the helpers above do not set. */
	HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		// both the admin's servlet container and a replica's own listener publish the port they bound
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		return "http://127.0.0.1:" + port;
	}

	/**
	 * Stops a replica (its context closes; in-flight requests are drained).
	 * @param index the replica's index
	 */
	void stopReplica(int index) {
		replica(index).close();
	}

	@Override
	public void close() {
		this.replicas.stream().filter(ConfigurableApplicationContext::isActive).forEach(ConfigurableApplicationContext::close);
		try {
			// leave the shared Redis as it was found
			admin().getBean(RedissonClient.class).getKeys().deleteByPattern(this.namespace + ":*");
		}
		catch (RuntimeException ex) {
			// Redis already gone (a test killed it): nothing to clean
		}
		this.admins.stream().filter(ConfigurableApplicationContext::isActive).forEach(ConfigurableApplicationContext::close);
		this.database.close();
	}

}

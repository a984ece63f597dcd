package dev.gatehouse.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Decides which real PostgreSQL and Redis the tests use, in this order:
 * <ol>
 * <li>the environment: {@code GATEHOUSE_TEST_POSTGRES_URL} (a JDBC URL of a database the tests may create
 * databases from, with {@code GATEHOUSE_TEST_POSTGRES_USER} and {@code GATEHOUSE_TEST_POSTGRES_PASSWORD})
 * and {@code GATEHOUSE_TEST_REDIS_URL} ({@code redis://host:port});</li>
 * <li>Testcontainers, where a Docker engine answers;</li>
 * <li>the conventional local services on 127.0.0.1:5432 (user {@code postgres}) and 127.0.0.1:6379, if
 * they answer.</li>
 * </ol>
 * Otherwise the calling test is skipped, visibly. Every test gets its own database and Redis namespace,
 * so tests never see each other's state or an earlier run's.
 * <p>
 * With the system property {@value #REDIS_TOPOLOGY}{@code =cluster}, tests that can run on a Redis Cluster
 * ask {@link #redisCluster()} for one: a {@link RedisClusterProcesses} started on first use and shared by
 * the whole JVM (namespaces keep the tests apart there too), killed when the JVM exits.
 */
public final class TestServices {

	private static final String POSTGRES_IMAGE = "postgres:17.6-alpine";

	private static final String REDIS_IMAGE = "redis:7.4.6-alpine";

	/**
	 * The system property that chooses the Redis topology: {@code cluster} for a Redis Cluster, anything else
	 * (or nothing) for the single Redis above.
	 */
	public static final String REDIS_TOPOLOGY = "gatehouse.test.redis-topology";

	private static Services services;

	private static RedisClusterProcesses redisCluster;

	private TestServices() {
	}

	/**
	 * Creates an empty database for one test.
	 * @return the database; {@link TestDatabase#close()} drops it
	 */
	public static TestDatabase newDatabase() {
		Services current = services();
		String name = "gatehouse_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		execute(current, "create database " + name);
		int slash = current.postgresUrl().lastIndexOf('/');
		String url = current.postgresUrl().substring(0, slash + 1) + name;
		return new TestDatabase(url, current.postgresUser(), current.postgresPassword(),
				() -> execute(current, "drop database if exists " + name + " with (force)"));
	}

	/**
	 * A fresh Redis namespace, so a test's keys and channels are its own.
	 * @return the namespace
	 */
	public static String newNamespace() {
		return "test-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
	}

	/**
	 * The PostgreSQL server the tests use, for tests that put a proxy in front of it.
	 * @return its address
	 */
	public static InetSocketAddress postgres() {
		URI uri = URI.create(services().postgresUrl().substring("jdbc:".length()));
		return new InetSocketAddress(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432);
	}

	/**
	 * The single Redis server the tests use; in cluster mode still there, for tests that need exactly one
	 * server.
	 * @return its address
	 */
	public static InetSocketAddress redis() {
		return services().redis();
	}

	/**
	 * Whether the tests run on a Redis Cluster ({@value #REDIS_TOPOLOGY}{@code =cluster}).
	 * @return true in cluster mode
	 */
	public static boolean clusterMode() {
		return "cluster".equals(System.getProperty(REDIS_TOPOLOGY));
	}

	/**
	 * The Redis Cluster of this JVM, started on first use; only in {@link #clusterMode() cluster mode}.
	 * @return the running cluster
	 */
	public static synchronized RedisClusterProcesses redisCluster() {
		if (!clusterMode()) {
			throw new IllegalStateException("no Redis Cluster unless -D%s=cluster".formatted(REDIS_TOPOLOGY));
		}
		services();
		if (redisCluster == null) {
			RedisClusterProcesses started = RedisClusterProcesses.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-cluster-shutdown"));
			redisCluster = started;
		}
		return redisCluster;
	}

	private static synchronized Services services() {
		if (services == null) {
			services = discover();
		}
		Assumptions.assumeTrue(services.available(), services.why());
		return services;
	}

	private static Services discover() {
		String postgresUrl = System.getenv("GATEHOUSE_TEST_POSTGRES_URL");
		String redisUrl = System.getenv("GATEHOUSE_TEST_REDIS_URL");
		if (postgresUrl != null && redisUrl != null) {
			URI redis = URI.create(redisUrl);
			return Services.of(postgresUrl, env("GATEHOUSE_TEST_POSTGRES_USER", "postgres"),
					env("GATEHOUSE_TEST_POSTGRES_PASSWORD", ""), new InetSocketAddress(redis.getHost(), redis.getPort()));
		}
		if (dockerAvailable()) {
			PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE);
			postgres.start();
			GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
			redis.start();
			return Services.of(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(),
					new InetSocketAddress(redis.getHost(), redis.getMappedPort(6379)));
		}
		if (answers("127.0.0.1", 5432) && answers("127.0.0.1", 6379)) {
			return Services.of("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "",
					new InetSocketAddress("127.0.0.1", 6379));
		}
		return Services.unavailable("No PostgreSQL and Redis for tests: set GATEHOUSE_TEST_POSTGRES_URL and "
				+ "GATEHOUSE_TEST_REDIS_URL, run a Docker engine, or run both locally on their default ports");
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void execute(Services current, String sql) {
		try (Connection connection = DriverManager.getConnection(current.postgresUrl(), current.postgresUser(),
				current.postgresPassword()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not run '%s' on the test PostgreSQL".formatted(sql), ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private record Services(boolean available, String why, String postgresUrl, String postgresUser,
			String postgresPassword, InetSocketAddress redis) {

		static Services of(String postgresUrl, String user, String password, InetSocketAddress redis) {
			return new Services(true, "", postgresUrl, user, password, redis);
		}

		static Services unavailable(String why) {
			return new Services(false, why, null, null, null, null);
		}

	}

}

package dev.gatehouse.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A Redis Cluster of six private {@code redis-server} processes on free loopback ports: three primaries,
 * each with one replica, keeping nothing on disk. {@link #start()} returns once every node reports
 * {@code cluster_state:ok}, knows all six nodes and every replica is in sync, so a client connecting then
 * sees the final topology. Tests are skipped, visibly, where {@code redis-server} or {@code redis-cli} is
 * missing.
 */
public final class RedisClusterProcesses implements AutoCloseable {

	private static final int PRIMARIES = 3;

	private static final int NODES = PRIMARIES * 2;

	/** Low, so a failover in a test takes seconds; it is also how long a node may stall before it counts as down. */
	private static final String NODE_TIMEOUT_MILLIS = "2000";

	private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

	private final Path directory;

	private final List<RedisProcess> nodes = new ArrayList<>();

	private RedisClusterProcesses(Path directory) {
		this.directory = directory;
	}

	/**
	 * Starts the nodes and forms the cluster.
	 * @return the running cluster
	 */
	public static RedisClusterProcesses start() {
		RedisProcess.assumeInstalled();
		Assumptions.assumeTrue(cli() != null, "no redis-cli binary on this machine");
		RedisClusterProcesses cluster;
		try {
			cluster = new RedisClusterProcesses(Files.createTempDirectory("gatehouse-redis-cluster"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not create a directory for the Redis Cluster", ex);
		}
		try {
			cluster.startNodes();
			cluster.create();
			cluster.awaitFormed();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * The address of every node, primaries and replicas, in the order they were started (at creation the
	 * first three are the primaries).
	 * @return the addresses
	 */
	public List<InetSocketAddress> nodes() {
		return this.nodes.stream().map(RedisProcess::address).toList();
	}

	/**
	 * The nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code host:port} of every node, comma-separated
	 */
	public String nodeList() {
		return String.join(",", nodes().stream().map(node -> node.getHostString() + ":" + node.getPort()).toList());
	}

	private void startNodes() {
		for (int i = 0; i < NODES; i++) {
			try {
				int port = RedisProcess.freePort();
				Path node = Files.createDirectory(this.directory.resolve("node-" + i));
				// an explicit bus port: the default (port + 10000) may lie beyond 65535 for an ephemeral port
				this.nodes.add(RedisProcess.start(port, node, RedisProcess.serverArguments(port, node,
						List.of("--cluster-enabled", "yes", "--cluster-config-file", node.resolve("nodes.conf").toString(),
								"--cluster-port", Integer.toString(RedisProcess.freePort()), "--cluster-node-timeout",
								NODE_TIMEOUT_MILLIS))));
			}
			catch (IOException ex) {
				throw new IllegalStateException("could not start Redis Cluster node " + i, ex);
			}
		}
	}

	private void create() {
		List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
		nodes().forEach(node -> command.add(node.getHostString() + ":" + node.getPort()));
		command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		Path log = this.directory.resolve("create.log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			if (!process.waitFor(FORMATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("redis-cli --cluster create did not finish; see " + log);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run redis-cli", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while creating the Redis Cluster", ex);
		}
	}

	private void awaitFormed() {
		for (InetSocketAddress node : nodes()) {
			RedisProcess.await(FORMATION_TIMEOUT, "Redis Cluster node %s did not join the cluster".formatted(node), () -> {
				String info = RespClient.text(node, "CLUSTER", "INFO");
				return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + NODES);
			});
			RedisProcess.await(FORMATION_TIMEOUT, "Redis Cluster node %s did not sync".formatted(node), () -> {
				String replication = RespClient.text(node, "INFO", "replication");
				return replication.contains("role:master") || replication.contains("master_link_status:up");
			});
		}
	}

	private static String cli() {
		for (String candidate : List.of("/usr/bin/redis-cli", "/usr/local/bin/redis-cli")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Kills every node and deletes their directories.
	 */
	@Override
	public void close() {
		this.nodes.forEach(RedisProcess::kill);
		RedisProcess.deleteRecursively(this.directory);
	}

}

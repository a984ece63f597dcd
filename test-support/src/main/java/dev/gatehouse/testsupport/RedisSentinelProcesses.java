package dev.gatehouse.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Sentinel deployment of private processes on free loopback ports: a primary, one replica and
 * three sentinels (quorum 2, a primary is down after 1 s without answering), keeping nothing on disk.
 * {@link #start()} returns once the replica is in sync and every sentinel knows the replica and the other
 * two sentinels, so a failover can start at once. Tests are skipped, visibly, where {@code redis-server} is
 * missing.
 * <p>
 * The replica replicates from the primary through a {@link TcpProxy}, {@link #replicationLink()}, so a test
 * can lose writes on the way: {@link TcpProxy#cut() cut} it, write to the primary, then
 * {@link #killPrimary()}; the promoted replica lacks those writes, as after a real failover with
 * replication lag. Sentinels promote only a replica whose link has been down for less than about ten times
 * the down-after period (10 s here), so cut the link just before the failover. The proxy carries only the
 * initial link, from the first primary to the first replica: after a failover the demoted primary
 * replicates from the new one directly (sentinels point it there, a few seconds after it answers again).
 */
public final class RedisSentinelProcesses implements AutoCloseable {

	private static final String MASTER_NAME = "gatehouse";

	private static final String QUORUM = "2";

	private static final String DOWN_AFTER_MILLIS = "1000";

	/**
	 * Long on purpose: a sentinel re-points a replica whose master address is not the one it monitors (the
	 * proxy's) once this has passed since it found the replica ({@code +fix-slave-config}), which would
	 * bypass the replication proxy. It bounds a failover's promotion wait too, and a failed failover is
	 * retried only after twice this, which a forced {@link #failover()} (no election) never needs.
	 */
	private static final String FAILOVER_TIMEOUT_MILLIS = "180000";

	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

	private final Path directory;

	private final List<RedisProcess> servers = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private TcpProxy replication;

	private RedisSentinelProcesses(Path directory) {
		this.directory = directory;
	}

	/**
	 * Starts the primary, the replica and the sentinels.
	 * @return the running deployment
	 */
	public static RedisSentinelProcesses start() {
		RedisProcess.assumeInstalled();
		RedisSentinelProcesses deployment;
		try {
			deployment = new RedisSentinelProcesses(Files.createTempDirectory("gatehouse-redis-sentinel"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not create a directory for Redis Sentinel", ex);
		}
		try {
			deployment.startServers();
			deployment.startSentinels();
			return deployment;
		}
		catch (IOException | RuntimeException ex) {
			deployment.close();
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("could not start Redis Sentinel", ex);
		}
	}

	/**
	 * The name the sentinels monitor the primary under ({@code spring.data.redis.sentinel.master}).
	 * @return the master name
	 */
	public String masterName() {
		return MASTER_NAME;
	}

	/**
	 * The sentinels' addresses.
	 * @return three addresses
	 */
	public List<InetSocketAddress> sentinelAddresses() {
		return this.sentinels.stream().map(RedisProcess::address).toList();
	}

	/**
	 * The sentinels as {@code spring.data.redis.sentinel.nodes} takes them.
	 * @return {@code host:port} of every sentinel, comma-separated
	 */
	public String sentinelNodeList() {
		return String.join(",", sentinelAddresses().stream().map(node -> node.getHostString() + ":" + node.getPort()).toList());
	}

	/**
	 * The two data servers, the first primary first; a test may talk to either directly.
	 * @return their addresses
	 */
	public List<InetSocketAddress> servers() {
		return this.servers.stream().map(RedisProcess::address).toList();
	}

	/**
	 * The primary as the sentinels announce it ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}), asking each
	 * sentinel in turn until one answers.
	 * @return its address
	 */
	public InetSocketAddress currentPrimary() {
		RuntimeException last = null;
		for (InetSocketAddress sentinel : sentinelAddresses()) {
			try {
				return announcedPrimary(sentinel);
			}
			catch (RuntimeException ex) {
				last = ex;
			}
		}
		throw new IllegalStateException("no sentinel answered", last);
	}

	/**
	 * Fails over on purpose ({@code SENTINEL FAILOVER}, which needs no agreement of the sentinels) and waits
	 * until the replica reports itself primary and every sentinel announces it. The old primary keeps
	 * running and becomes its replica a few seconds later.
	 * @return the new primary
	 */
	public InetSocketAddress failover() {
		InetSocketAddress promoted = other(currentPrimary());
		RespClient.call(sentinelAddresses().getFirst(), "SENTINEL", "FAILOVER", MASTER_NAME);
		awaitPrimary(promoted);
		return promoted;
	}

	/**
	 * Kills the current primary ({@code SIGKILL}: whatever it had not replicated is lost) and waits until the
	 * sentinels have agreed it is down, promoted the replica and announce it.
	 * @return the new primary
	 */
	public InetSocketAddress killPrimary() {
		InetSocketAddress primary = currentPrimary();
		InetSocketAddress promoted = other(primary);
		server(primary).kill();
		awaitPrimary(promoted);
		return promoted;
	}

	/**
	 * Starts a killed server again, empty, and waits until the sentinels have made it a replica of the
	 * current primary and it is in sync (they re-point a returning old primary a few seconds after it
	 * answers).
	 * @param server the server's address
	 */
	public void restart(InetSocketAddress server) {
		RedisProcess process = server(server);
		if (process.running()) {
			throw new IllegalStateException("%s still runs".formatted(server));
		}
		process.restart();
		RedisProcess.await(SETTLE_TIMEOUT, "%s did not return as a replica in sync".formatted(server), () -> {
			String replication = RespClient.text(server, "INFO", "replication");
			return replication.contains("role:slave") && replication.contains("master_link_status:up");
		});
		// until then a sentinel still flags it down, and would refuse to promote it
		RedisProcess.await(SETTLE_TIMEOUT, "the sentinels did not see %s up as a replica".formatted(server), () -> {
			for (InetSocketAddress sentinel : sentinelAddresses()) {
				boolean up = false;
				for (Object replica : (List<?>) RespClient.call(sentinel, "SENTINEL", "REPLICAS", MASTER_NAME)) {
					List<?> fields = (List<?>) replica;
					up |= Integer.toString(server.getPort()).equals(field(fields, "port")) && "slave".equals(field(fields, "flags"))
							&& "ok".equals(field(fields, "master-link-status"));
				}
				if (!up) {
					return false;
				}
			}
			return true;
		});
	}

	/**
	 * The proxy the first replica replicates from the first primary through.
	 * @return the proxy
	 */
	public TcpProxy replicationLink() {
		return this.replication;
	}

	private void startServers() throws IOException {
		int primaryPort = RedisProcess.freePort();
		Path primaryDirectory = Files.createDirectory(this.directory.resolve("server-0"));
		RedisProcess primary = RedisProcess.start(primaryPort, primaryDirectory,
				RedisProcess.serverArguments(primaryPort, primaryDirectory, List.of()));
		this.servers.add(primary);
		this.replication = new TcpProxy(primary.address());
		int replicaPort = RedisProcess.freePort();
		Path replicaDirectory = Files.createDirectory(this.directory.resolve("server-1"));
		RedisProcess replica = RedisProcess.start(replicaPort, replicaDirectory, RedisProcess.serverArguments(replicaPort,
				replicaDirectory, List.of("--replicaof", "127.0.0.1", Integer.toString(this.replication.port()))));
		this.servers.add(replica);
		RedisProcess.await(SETTLE_TIMEOUT, "the Redis replica did not sync",
				() -> RespClient.text(replica.address(), "INFO", "replication").contains("master_link_status:up"));
	}

	private void startSentinels() throws IOException {
		InetSocketAddress primary = this.servers.getFirst().address();
		for (int i = 0; i < 3; i++) {
			int port = RedisProcess.freePort();
			Path sentinelDirectory = Files.createDirectory(this.directory.resolve("sentinel-" + i));
			// a sentinel rewrites its configuration file as it learns the topology, so each has its own
			Path config = sentinelDirectory.resolve("sentinel.conf");
			Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + sentinelDirectory,
					"sentinel monitor %s %s %d %s".formatted(MASTER_NAME, primary.getHostString(), primary.getPort(), QUORUM),
					"sentinel down-after-milliseconds %s %s".formatted(MASTER_NAME, DOWN_AFTER_MILLIS),
					"sentinel failover-timeout %s %s".formatted(MASTER_NAME, FAILOVER_TIMEOUT_MILLIS),
					"sentinel parallel-syncs %s 1".formatted(MASTER_NAME), ""));
			this.sentinels.add(RedisProcess.start(port, sentinelDirectory, List.of(config.toString(), "--sentinel")));
		}
		for (InetSocketAddress sentinel : sentinelAddresses()) {
			RedisProcess.await(SETTLE_TIMEOUT, "sentinel %s did not find the replica and the other sentinels".formatted(sentinel),
					() -> {
						List<?> master = (List<?>) RespClient.call(sentinel, "SENTINEL", "MASTER", MASTER_NAME);
						return "1".equals(field(master, "num-slaves")) && "2".equals(field(master, "num-other-sentinels"));
					});
		}
	}

	private void awaitPrimary(InetSocketAddress expected) {
		RedisProcess.await(SETTLE_TIMEOUT, "%s did not become the primary".formatted(expected), () -> {
			if (!"master".equals(((List<?>) RespClient.call(expected, "ROLE")).getFirst())) {
				return false;
			}
			for (InetSocketAddress sentinel : sentinelAddresses()) {
				if (!expected.equals(announcedPrimary(sentinel))) {
					return false;
				}
			}
			return true;
		});
	}

	private static InetSocketAddress announcedPrimary(InetSocketAddress sentinel) {
		List<?> address = (List<?>) RespClient.call(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
		return new InetSocketAddress((String) address.get(0), Integer.parseInt((String) address.get(1)));
	}

	/** A value of a flat field, value, field, value... answer such as {@code SENTINEL MASTER}'s. */
	private static String field(List<?> answer, String name) {
		for (int i = 0; i + 1 < answer.size(); i += 2) {
			if (name.equals(answer.get(i))) {
				return (String) answer.get(i + 1);
			}
		}
		return null;
	}

	private RedisProcess server(InetSocketAddress address) {
		return this.servers.stream()
			.filter(server -> server.address().equals(address))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("%s is none of this deployment's servers".formatted(address)));
	}

	private InetSocketAddress other(InetSocketAddress primary) {
		return servers().stream()
			.filter(server -> !server.equals(primary))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("%s is none of this deployment's servers".formatted(primary)));
	}

	/**
	 * Kills every process, closes the proxy and deletes the directories.
	 */
	@Override
	public void close() {
		this.sentinels.forEach(RedisProcess::kill);
		this.servers.forEach(RedisProcess::kill);
		if (this.replication != null) {
			this.replication.close();
		}
		RedisProcess.deleteRecursively(this.directory);
	}

}

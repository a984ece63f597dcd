package dev.gatehouse.admin.changelog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodeAsync;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/**
 * Identifies the Redis primaries the admin writes to, by their {@code run_id}: a value each
 * {@code redis-server} process draws at start. A restart or a promoted replica shows up as a new one, in
 * every topology (one server, Sentinel, Cluster), so the epoch check catches a promotion that kept the
 * epoch key but lost the writes its old primary had not replicated yet.
 */
final class RedisPrimaries {

	private final RedissonClient redis;

	private final Duration timeout;

	/**
	 * @param redis the client
	 * @param timeout how long one primary's INFO may take: Redisson's node API may open a connection for it
	 */
	RedisPrimaries(RedissonClient redis, Duration timeout) {
		this.redis = redis;
		this.timeout = timeout;
	}

	/**
	 * A short digest of the primaries' run ids, in a fixed order.
	 * @return 16 hex digits
	 */
	String fingerprint() {
		List<String> runIds = nodes().stream().map(this::runId).sorted().toList();
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(String.join(",", runIds).getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	private Collection<? extends RedisNodeAsync> nodes() {
		Config config = this.redis.getConfig();
		if (config.isClusterConfig()) {
			return this.redis.getRedisNodes(RedisNodes.CLUSTER).getMasters();
		}
		if (config.isSentinelConfig()) {
			return List.of(this.redis.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
		}
		if (config.isSingleConfig()) {
			return List.of(this.redis.getRedisNodes(RedisNodes.SINGLE).getInstance());
		}
		return List.of(this.redis.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster());
	}

	/** With the relay's own timeout: the node API would otherwise wait and retry as long as Redisson's defaults. */
	private String runId(RedisNodeAsync node) {
		try {
			Map<String, String> server = node.infoAsync(RedisNode.InfoSection.SERVER)
				.toCompletableFuture()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			String runId = server.get("run_id");
			if (runId == null) {
				throw new IllegalStateException("Redis at %s reports no run_id".formatted(node));
			}
			return runId;
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("could not read the run_id of a Redis primary", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while reading a Redis primary's run_id", ex);
		}
	}

}

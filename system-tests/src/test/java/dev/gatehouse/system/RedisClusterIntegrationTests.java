package dev.gatehouse.system;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import dev.gatehouse.testsupport.RespClient;
import dev.gatehouse.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Gatehouse relies on from a Redis Cluster beyond what the rest of the suite exercises there: change
 * messages reach every replica whichever node they are published on (classic pub/sub is broadcast over the
 * cluster bus), and the namespace claim's delete by pattern reaches every primary. Runs only in the suite's
 * cluster run ({@code -Dgatehouse.test.redis-topology=cluster}); skipped, visibly, otherwise.
 */
class RedisClusterIntegrationTests {

	private static GatehouseCluster cluster;

	@BeforeAll
	static void start() {
		Assumptions.assumeTrue(TestServices.clusterMode(),
				"needs a Redis Cluster: -D%s=cluster".formatted(TestServices.REDIS_TOPOLOGY));
		cluster = GatehouseCluster.start(2);
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyServiceTalksToTheCluster() {
		assertThat(cluster.admin().getBean(RedissonClient.class).getConfig().isClusterConfig()).isTrue();
		assertThat(cluster.replica(0).getBean(RedissonClient.class).getConfig().isClusterConfig()).isTrue();
	}

	@Test
	void aChangePublishedOnAnyNodeReachesEveryReplica() {
		Scenarios.installDemoApp(cluster, "broadcast");
		long seq = JdbcClient.create(cluster.admin().getBean(DataSource.class))
			.sql("select max(seq) from change_log")
			.query(Long.class)
			.single();
		// the change again, as a late duplicate: applying it only drops the key, and each copy is counted
		String message = new ChangeMessage.Invalidation(seq, CacheKind.APP, "broadcast").encode();
		String channel = new RedisKeys(cluster.namespace()).changeChannel();
		for (InetSocketAddress node : TestServices.redisCluster().nodes()) {
			double[] before = applied();
			RespClient.call(node, "PUBLISH", channel, message);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				double[] now = applied();
				for (int replica = 0; replica < now.length; replica++) {
					assertThat(now[replica]).as("replica %d, published on %s", replica, node).isEqualTo(before[replica] + 1);
				}
			});
		}
	}

	@Test
	void deletingByPatternReachesEveryPrimary() {
		RedisKeys keys = new RedisKeys(cluster.namespace());
		RedissonClient redis = cluster.admin().getBean(RedissonClient.class);
		for (int i = 0; i < 30; i++) {
			redis.getBucket(keys.entry(CacheKind.APP, "spread" + i), StringCodec.INSTANCE).set(new L2Entry.Absent(1).encode());
		}
		String pattern = keys.key("cache:*");
		assertThat(primaries().stream().filter(node -> !keysOn(node, pattern).isEmpty()).count())
			.as("primaries holding entries").isEqualTo(3);

		assertThat(redis.getKeys().deleteByPattern(pattern)).isGreaterThanOrEqualTo(30);
		assertThat(primaries()).allSatisfy(node -> assertThat(keysOn(node, pattern)).isEmpty());
	}

	private static double[] applied() {
		double[] counts = new double[cluster.replicaCount()];
		for (int replica = 0; replica < counts.length; replica++) {
			counts[replica] = Metrics.count(cluster.replicaMeters(replica), "gatehouse.invalidations.applied");
		}
		return counts;
	}

	private static List<InetSocketAddress> primaries() {
		return TestServices.redisCluster()
			.nodes()
			.stream()
			.filter(node -> "master".equals(((List<?>) RespClient.call(node, "ROLE")).getFirst()))
			.toList();
	}

	private static List<?> keysOn(InetSocketAddress node, String pattern) {
		return (List<?>) RespClient.call(node, "KEYS", pattern);
	}

}

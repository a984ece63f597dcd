package dev.gatehouse.model.invalidation;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClientSettingsTests {

	@Test
	void clusterReadsFromPrimariesReconnectsWithinASecondAndRereadsItsTopologyEverySecond() {
		Config config = new Config();
		config.useClusterServers().addNodeAddress("redis://127.0.0.1:7000");
		RedisClientSettings.apply(config);
		assertThat(config.useClusterServers().getReadMode()).isEqualTo(ReadMode.MASTER);
		assertThat(config.useClusterServers().getScanInterval()).isEqualTo(1000);
		assertThat(config.useClusterServers().getNodeAddresses()).as("the topology given is kept").hasSize(1);
		assertReconnectsWithinASecond(config.useClusterServers().getReconnectionDelay().calcDelay(30));
	}

	@Test
	void sentinelReadsFromThePrimaryAndReconnectsWithinASecond() {
		Config config = new Config();
		config.useSentinelServers().setMasterName("gatehouse").addSentinelAddress("redis://127.0.0.1:26379");
		RedisClientSettings.apply(config);
		assertThat(config.useSentinelServers().getReadMode()).isEqualTo(ReadMode.MASTER);
		assertThat(config.useSentinelServers().getMasterName()).isEqualTo("gatehouse");
		assertReconnectsWithinASecond(config.useSentinelServers().getReconnectionDelay().calcDelay(30));
	}

	@Test
	void oneServerReconnectsWithinASecond() {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://127.0.0.1:6379");
		RedisClientSettings.apply(config);
		assertThat(config.useSingleServer().getAddress()).isEqualTo("redis://127.0.0.1:6379");
		assertReconnectsWithinASecond(config.useSingleServer().getReconnectionDelay().calcDelay(30));
	}

	/** Redisson's own back-off reaches 10 s after a few attempts; this is the delay after 30. */
	private static void assertReconnectsWithinASecond(Duration delayAfterManyAttempts) {
		assertThat(delayAfterManyAttempts).isLessThanOrEqualTo(Duration.ofSeconds(1));
	}

}

package dev.gatehouse.testsupport;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sentinel deployment does what other tests rely on: a failover promotes the replica with what was
 * replicated, and a cut replication link loses what the primary accepted meanwhile.
 */
class RedisSentinelProcessesIntegrationTests {

	@Test
	void failoverPromotesTheReplicaWithTheDataWrittenBefore() {
		try (RedisSentinelProcesses sentinel = RedisSentinelProcesses.start()) {
			InetSocketAddress first = sentinel.currentPrimary();
			assertThat(first).isEqualTo(sentinel.servers().getFirst());
			RespClient.call(first, "SET", "written-before", "1");
			assertThat(RespClient.call(first, "WAIT", "1", "5000")).as("replicas that acknowledged").isEqualTo(1L);

			InetSocketAddress promoted = sentinel.failover();

			assertThat(promoted).isNotEqualTo(first);
			assertThat(sentinel.currentPrimary()).isEqualTo(promoted);
			assertThat(role(promoted)).isEqualTo("master");
			assertThat(RespClient.call(promoted, "GET", "written-before")).isEqualTo("1");
		}
	}

	@Test
	void killedPrimaryLosesTheWritesTheCutReplicationLinkDidNotCarry() {
		try (RedisSentinelProcesses sentinel = RedisSentinelProcesses.start()) {
			InetSocketAddress first = sentinel.currentPrimary();
			RespClient.call(first, "SET", "replicated", "1");
			assertThat(RespClient.call(first, "WAIT", "1", "5000")).isEqualTo(1L);
			sentinel.replicationLink().cut();
			RespClient.call(first, "SET", "lost", "1");

			InetSocketAddress promoted = sentinel.killPrimary();

			assertThat(promoted).isEqualTo(sentinel.servers().get(1));
			assertThat(RespClient.call(promoted, "GET", "replicated")).isEqualTo("1");
			assertThat(RespClient.call(promoted, "GET", "lost")).isNull();
		}
	}

	private static String role(InetSocketAddress server) {
		return (String) ((List<?>) RespClient.call(server, "ROLE")).getFirst();
	}

}

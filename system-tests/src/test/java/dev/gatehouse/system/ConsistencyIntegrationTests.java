package dev.gatehouse.system;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lost messages: a change reaches every replica even when its invalidation never arrives.
 */
class ConsistencyIntegrationTests {

	/** Replica 1 drops every change message while this is set, as if pub/sub had lost them. */
	private static final AtomicBoolean dropChanges = new AtomicBoolean();

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(1);
		cluster.startReplica(message -> !(dropChanges.get() && message instanceof ChangeMessage.Change));
		Scenarios.createIdentity(cluster, "Owner");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void droppedInvalidationIsCaughtUpThroughTheHeartbeat() {
		Scenarios.installDemoApp(cluster, "dropped");
		Scenarios.Paired paired = Scenarios.pair(cluster, "Dropped");
		assertThat(cluster.auth(1, "dropped.example.org", "/private", cookie(paired.token())).statusCode()).isEqualTo(200);
		double catchUps = Metrics.count(cluster.replicaMeters(1), "gatehouse.catchups", "outcome", "done");
		dropChanges.set(true);
		try {
			assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(
					() -> cluster.auth(1, "dropped.example.org", "/private", cookie(paired.token())).statusCode() == 401);
			assertThat(Metrics.count(cluster.replicaMeters(1), "gatehouse.catchups", "outcome", "done")).isGreaterThan(catchUps);
		}
		finally {
			dropChanges.set(false);
		}
	}

	@Test
	void changeCommittedButNeverPublishedReachesEveryReplica() {
		Scenarios.installDemoApp(cluster, "unpublished");
		Scenarios.Paired paired = Scenarios.pair(cluster, "Unpublished");
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			assertThat(cluster.auth(replica, "unpublished.example.org", "/private", cookie(paired.token())).statusCode())
				.isEqualTo(200);
		}
		// exactly what the admin commits for a revocation, then it "dies" before tombstoning and publishing
		revokeWithoutPublishing(paired.terminalId());
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			int index = replica;
			await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(
					() -> cluster.auth(index, "unpublished.example.org", "/private", cookie(paired.token())).statusCode() == 401);
		}
		int fresh = cluster.startReplica(null);
		assertThat(cluster.auth(fresh, "unpublished.example.org", "/private", cookie(paired.token())).statusCode())
			.as("a replica started later finds no stale entry in L2").isEqualTo(401);
		cluster.stopReplica(fresh);
	}

	private static void revokeWithoutPublishing(String terminalId) {
		JdbcClient jdbc = JdbcClient.create(cluster.admin().getBean(DataSource.class));
		cluster.admin().getBean(TransactionTemplate.class).executeWithoutResult(status -> {
			long seq = jdbc.sql("update change_counter set seq = seq + 1 where id = 1 returning seq").query(Long.class).single();
			jdbc.sql("insert into change_log (seq, kind, key) values (?, ?, ?)")
				.params(seq, CacheKind.TERMINAL.wireName(), terminalId)
				.update();
			jdbc.sql("delete from terminal where id = ?").param(terminalId).update();
		});
	}

}

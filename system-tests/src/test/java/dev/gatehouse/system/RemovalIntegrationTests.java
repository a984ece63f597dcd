package dev.gatehouse.system;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.ChangeMessage;
import dev.gatehouse.model.invalidation.L2Entry;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.gatehouse.system.ForwardAuthIntegrationTests.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletions carry their outcome: the admin announces that the key is absent as of the deletion's seq, so
 * every replica refuses a revoked terminal or a deleted app from the negative entry the message installed,
 * without loading it from L2 or PostgreSQL, and no load that raced the deletion can bring it back.
 */
class RemovalIntegrationTests {

	/** Replicas 0 to 2 are of this release; replica 3 ignores removals, as releases before them do. */
	private static final int CURRENT_REPLICAS = 3;

	private static final int OLDER_REPLICA = 3;

	/** The advisory lock that holds replicas' terminal reads in PostgreSQL while the test owns it. */
	private static final long READ_GATE = 4711;

	private static GatehouseCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = GatehouseCluster.start(CURRENT_REPLICAS);
		cluster.startReplica(message -> !(message instanceof ChangeMessage.Removal));
		Scenarios.createIdentity(cluster, "Owner");
		Scenarios.installDemoApp(cluster, "removals");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void revokedTerminalIsRefusedByEveryReplicaWithoutALoad() {
		Scenarios.Paired paired = Scenarios.pair(cluster, "Revoked");
		Snapshot[] before = new Snapshot[CURRENT_REPLICAS];
		for (int replica = 0; replica < CURRENT_REPLICAS; replica++) {
			assertThat(cluster.auth(replica, "removals.example.org", "/private", cookie(paired.token())).statusCode())
				.isEqualTo(200);
			before[replica] = Snapshot.of(cluster.replicaMeters(replica), CacheKind.TERMINAL);
		}
		assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < CURRENT_REPLICAS; replica++) {
			awaitRemovalInstalled(replica, before[replica]);
			assertThat(cluster.auth(replica, "removals.example.org", "/private", cookie(paired.token())).statusCode())
				.as("replica %d", replica)
				.isEqualTo(401);
			assertThat(Snapshot.of(cluster.replicaMeters(replica), CacheKind.TERMINAL).loads())
				.as("replica %d refused without a load from L2 or PostgreSQL", replica)
				.isEqualTo(before[replica].loads());
		}
		assertThat(l2Entry(CacheKind.TERMINAL, paired.terminalId()))
			.as("L2 holds the absence, not a tombstone: a replica that has not cached the terminal needs no query")
			.isEqualTo(new L2Entry.Absent(lastSeq(CacheKind.TERMINAL, paired.terminalId())));
	}

	@Test
	void deletedAppIsUnknownToEveryReplicaWithoutALoad() {
		Scenarios.installDemoApp(cluster, "doomed");
		Snapshot[] before = new Snapshot[CURRENT_REPLICAS];
		for (int replica = 0; replica < CURRENT_REPLICAS; replica++) {
			assertThat(cluster.auth(replica, "doomed.example.org", "/").statusCode()).isEqualTo(200);
			before[replica] = Snapshot.of(cluster.replicaMeters(replica), CacheKind.APP);
		}
		assertThat(cluster.admin("DELETE", "/api/apps/doomed", null).statusCode()).isEqualTo(204);
		for (int replica = 0; replica < CURRENT_REPLICAS; replica++) {
			awaitRemovalInstalled(replica, before[replica]);
			assertThat(cluster.auth(replica, "doomed.example.org", "/").statusCode()).as("replica %d", replica).isEqualTo(404);
			assertThat(Snapshot.of(cluster.replicaMeters(replica), CacheKind.APP).loads())
				.as("replica %d answered without a load from L2 or PostgreSQL", replica)
				.isEqualTo(before[replica].loads());
		}
		assertThat(l2Entry(CacheKind.APP, "doomed")).isEqualTo(new L2Entry.Absent(lastSeq(CacheKind.APP, "doomed")));
	}

	@Test
	void loadInFlightCannotResurrectARevokedTerminal() throws Exception {
		Scenarios.Paired paired = Scenarios.pair(cluster, "Raced");
		MeterRegistry meters = cluster.replicaMeters(0);
		JdbcClient admin = JdbcClient.create(cluster.admin().getBean(DataSource.class));
		Snapshot before;
		gateReplicaReads(admin);
		try (Connection gate = cluster.admin().getBean(DataSource.class).getConnection()) {
			execute(gate, "select pg_advisory_lock(" + READ_GATE + ")");
			// a cold lookup on replica 0: its PostgreSQL read takes its snapshot, then waits at the gate
			CompletableFuture<HttpResponse<String>> racing = CompletableFuture
				.supplyAsync(() -> cluster.auth(0, "removals.example.org", "/private", cookie(paired.token())));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> admin
				.sql("select count(*) from pg_locks where locktype = 'advisory' and not granted")
				.query(Long.class)
				.single() > 0);
			before = Snapshot.of(meters, CacheKind.TERMINAL);

			assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
			awaitRemovalInstalled(0, before);
			double completed = Metrics.count(meters, "cache.load", "cache", "gatehouse.terminal");
			execute(gate, "select pg_advisory_unlock(" + READ_GATE + ")");
			// the read saw the terminal (its snapshot predates the deletion): the request that was waiting
			// before the revocation may get that answer, or time out; nothing else may
			assertThat(racing.get(10, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> Metrics.count(meters, "cache.load", "cache", "gatehouse.terminal") > completed);
		}
		finally {
			ungateReplicaReads(admin);
		}
		assertThat(cluster.auth(0, "removals.example.org", "/private", cookie(paired.token())).statusCode())
			.as("the stale load did not replace the negative entry")
			.isEqualTo(401);
		assertThat(Snapshot.of(meters, CacheKind.TERMINAL).loads()).as("no load after the raced one")
			.isEqualTo(before.loads());
		assertThat(l2Entry(CacheKind.TERMINAL, paired.terminalId())).as("nor the absence in L2")
			.isEqualTo(new L2Entry.Absent(lastSeq(CacheKind.TERMINAL, paired.terminalId())));
	}

	@Test
	void replicaOfAnOlderReleaseIsToldByTheInvalidationSentBeforeTheRemoval() {
		Scenarios.Paired paired = Scenarios.pair(cluster, "Older");
		MeterRegistry meters = cluster.replicaMeters(OLDER_REPLICA);
		assertThat(cluster.auth(OLDER_REPLICA, "removals.example.org", "/private", cookie(paired.token())).statusCode())
			.isEqualTo(200);
		double messages = Metrics.count(meters, "gatehouse.invalidations.applied");
		assertThat(cluster.admin("DELETE", "/api/terminals/" + paired.terminalId(), null).statusCode()).isEqualTo(204);
		// the removal never reaches it: only the invalidation can (a catch-up applies no message)
		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> Metrics.count(meters, "gatehouse.invalidations.applied") > messages);
		assertThat(cluster.auth(OLDER_REPLICA, "removals.example.org", "/private", cookie(paired.token())).statusCode())
			.isEqualTo(401);
	}

	private static void awaitRemovalInstalled(int replica, Snapshot before) {
		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> Snapshot.of(cluster.replicaMeters(replica), before.kind()).installed() > before.installed());
	}

	/**
	 * Makes replicas' reads of the terminal table wait for {@link #READ_GATE} after their snapshot is taken:
	 * a row-level security policy (which the admin, the table's owner, is exempt from) takes the lock
	 * shared for each row it checks.
	 */
	private static void gateReplicaReads(JdbcClient admin) {
		admin.sql("""
				create function read_gate() returns boolean language plpgsql volatile as $$
				begin perform pg_advisory_xact_lock_shared(%d); return true; end $$""".formatted(READ_GATE)).update();
		admin.sql("create policy gated_reads on terminal for select using (read_gate())").update();
		admin.sql("alter table terminal enable row level security").update();
	}

	private static void ungateReplicaReads(JdbcClient admin) {
		admin.sql("alter table terminal disable row level security").update();
		admin.sql("drop policy gated_reads on terminal").update();
		admin.sql("drop function read_gate()").update();
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static long lastSeq(CacheKind kind, String key) {
		return JdbcClient.create(cluster.admin().getBean(DataSource.class))
			.sql("select max(seq) from change_log where kind = ? and key = ?")
			.params(kind.wireName(), key)
			.query(Long.class)
			.single();
	}

	private static L2Entry l2Entry(CacheKind kind, String key) {
		String stored = cluster.admin()
			.getBean(RedissonClient.class)
			.<String>getBucket(new RedisKeys(cluster.namespace()).entry(kind, key), StringCodec.INSTANCE)
			.get();
		return (stored != null) ? L2Entry.decode(stored) : null;
	}

	/**
	 * A replica's counts for one kind of entry.
	 *
	 * @param kind the kind
	 * @param loads loads from L2 and from PostgreSQL
	 * @param installed negative entries installed from removals (any kind)
	 */
	private record Snapshot(CacheKind kind, double loads, double installed) {

		static Snapshot of(MeterRegistry meters, CacheKind kind) {
			return new Snapshot(kind,
					Metrics.count(meters, "gatehouse.l2.hits", "kind", kind.wireName())
							+ Metrics.count(meters, "gatehouse.source.loads", "kind", kind.wireName()),
					Metrics.count(meters, "gatehouse.removals", "outcome", "installed"));
		}

	}

}

package dev.gatehouse.e2e;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two admins of one installation ({@code GATEHOUSE_ADMINS=2}: {@code admin} and {@code admin-2} on one
 * database, namespace and token) with three auth replicas behind the real Traefik of
 * {@code infra/local/cluster.sh}. Both serve the API at once and exactly one leads (the
 * {@code gatehouse_admin_leader} gauge). Neither the interleaving of their writes nor the death of the
 * leader in the middle of a burst may break the change log's gap-free order or keep an acknowledged change
 * from any replica; the survivor takes the lead and the killed admin, restarted, rejoins as a follower.
 * <p>
 * Each test first makes sure both admins run ({@link #bothAdmins()}), whatever an earlier test killed, so
 * the tests pass in any order. They wait for conditions (answers counted, a gauge, a process exit), never
 * for a time; docs/testing.md gives the reason of every bound they assert.
 */
class TwoAdminsEndToEndIntegrationTests {

	private static final List<String> ADMINS = List.of("admin", "admin-2");

	/** Writers per admin: concurrent transactions on each admin, as well as across the two. */
	private static final int WRITERS_PER_ADMIN = 2;

	/** Mutations each writer sends in the interleaving test: 160 in all, a few seconds on two cores. */
	private static final int MUTATIONS_PER_WRITER = 40;

	/** The apps every writer of the interleaving test updates: both admins change the same keys at once. */
	private static final int SHARED_APPS = 6;

	/** The apps each writer of the burst creates, then updates over and over. */
	private static final int APPS_PER_WRITER = 4;

	/** Acknowledged mutations per admin before the kill: the burst is well under way on both. */
	private static final int BEFORE_KILL = 20;

	/** Acknowledged mutations of the survivor after the takeover: it goes on taking writes as the leader. */
	private static final int AFTER_TAKEOVER = 40;

	/**
	 * Every replica answers as PostgreSQL says within this of the last answer: the catch-up bound of an
	 * admin dead between commit and publish (docs/consistency.md, failure table: 2.5 s) plus 0.5 s of
	 * slack, which is also the coherence lease Δ that bounds staleness whatever else fails.
	 */
	private static final Duration CONVERGENCE = Duration.ofSeconds(3);

	/**
	 * The survivor leads within this of the kill: the lock goes when PostgreSQL sees the dead admin's session
	 * close (on loopback, at once), and a follower tries it every 500 ms.
	 */
	private static final Duration TAKEOVER = Duration.ofSeconds(3);

	private static LocalCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = new LocalCluster("two-admins", Map.of("GATEHOUSE_ADMINS", Integer.toString(ADMINS.size())));
		cluster.up(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void mutationsInterleavedThroughBothAdminsKeepTheChangeLogGapFreeAndEveryReplicaConverges() throws Exception {
		bothAdmins();
		ChangeLogState before = changeLog();
		ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
		AtomicInteger acknowledged = new AtomicInteger();
		try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
			int writerIndex = 0;
			for (String admin : ADMINS) {
				String url = adminUrl(admin);
				for (int w = 0; w < WRITERS_PER_ADMIN; w++) {
					String writer = admin + "-w" + w;
					// seeded: the same sequence of apps each run (the interleaving is the machine's)
					Random random = new Random(writerIndex++);
					writers.submit(() -> {
						for (int i = 0; i < MUTATIONS_PER_WRITER; i++) {
							String app = "mix-" + random.nextInt(SHARED_APPS);
							HttpResponse<String> response = cluster.admin(url, "PUT", "/api/apps/" + app, appBody(writer + "-" + i));
							if (response.statusCode() == 200 || response.statusCode() == 201) {
								acknowledged.incrementAndGet();
							}
							else {
								refused.add("%s PUT %s: %d %s".formatted(admin, app, response.statusCode(), response.body()));
							}
						}
					});
				}
			}
		}
		Instant lastAnswer = Instant.now();
		assertThat(refused).as("mutations an admin refused").isEmpty();
		assertThat(exactlyOneLeader()).as("the leader while both admins took writes").isPresent();

		ChangeLogState after = changeLog();
		assertThat(after.gapFree()).as("change log after the interleaved mutations: %s", after).isTrue();
		assertThat(after.head() - before.head()).as("changes logged").isGreaterThanOrEqualTo(acknowledged.get());

		Map<String, Optional<String>> expected = versionsInDatabase("mix-");
		assertThat(expected).hasSize(SHARED_APPS);
		String agreed = awaitAgreement(expected, lastAnswer);
		System.out.printf("%d mutations through 2 admins (%d writers): change log gap-free up to seq %d; every replica "
				+ "agreed with PostgreSQL %s%n", acknowledged.get(), ADMINS.size() * WRITERS_PER_ADMIN, after.head(), agreed);
	}

	@Test
	void killedLeaderLosesNoAcknowledgedMutationAndTheOtherAdminTakesOver() throws Exception {
		bothAdmins();
		String leader = exactlyOneLeader().orElseThrow();
		String survivor = ADMINS.stream().filter((admin) -> !admin.equals(leader)).findFirst().orElseThrow();
		Map<String, String> urls = new LinkedHashMap<>();
		ADMINS.forEach((admin) -> urls.put(admin, adminUrl(admin)));
		ChangeLogState before = changeLog();

		Instant killed;
		Instant gone;
		Duration takeover;
		Burst burst = new Burst(urls);
		try (burst) {
			burst.awaitMore(leader, BEFORE_KILL);
			burst.awaitMore(survivor, BEFORE_KILL);
			ProcessHandle process = cluster.process(leader).orElseThrow();
			killed = Instant.now();
			process.destroyForcibly(); // SIGKILL: no shutdown hook, the lock's session just ends
			// the first moment the survivor reports leadership, polled often; the bound is asserted below
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> cluster.adminMetric(urls.get(survivor), "gatehouse_admin_leader") == 1);
			takeover = Duration.between(killed, Instant.now());
			process.onExit().get(1, TimeUnit.MINUTES);
			gone = Instant.now();
			burst.awaitMore(survivor, AFTER_TAKEOVER);
			burst.stop();
		}
		Instant lastAnswer = Instant.now();
		List<Outcome> outcomes = new ArrayList<>(burst.outcomes);
		List<Outcome> toLeader = outcomes.stream().filter((outcome) -> outcome.admin().equals(leader)).toList();
		List<Outcome> toSurvivor = outcomes.stream().filter((outcome) -> outcome.admin().equals(survivor)).toList();
		System.out.printf("kill -9 of the leader (%s) in a burst of %d mutations (%d to it, %d acknowledged; %d to %s): "
				+ "%s reported leadership %d ms after the kill%n", leader, outcomes.size(), toLeader.size(),
				toLeader.stream().filter(Outcome::acknowledged).count(), toSurvivor.size(), survivor, survivor, takeover.toMillis());

		assertThat(takeover).as("from the kill to the survivor's gatehouse_admin_leader 1").isLessThanOrEqualTo(TAKEOVER);
		assertThat(toSurvivor).as("mutations sent to the survivor that failed").allMatch(Outcome::acknowledged);
		// each writer of the killed admin stops at its first failure: the request in flight, or the next one
		assertThat(toLeader.stream().filter((outcome) -> !outcome.acknowledged()))
			.as("failed mutations of the killed admin's writers")
			.hasSize(WRITERS_PER_ADMIN)
			.allMatch((outcome) -> outcome.status() == 0, "cut off or refused, not answered")
			.allMatch((outcome) -> outcome.start().isAfter(killed.minusMillis(500)), "started about the kill or later");
		assertThat(toLeader).as("mutations to the killed admin acknowledged after it was gone")
			.noneMatch((outcome) -> outcome.acknowledged() && outcome.start().isAfter(gone));
		assertThatThrownBy(() -> cluster.admin(urls.get(leader), "GET", "/api/apps", null))
			.as("a request to the killed admin")
			.isInstanceOf(RuntimeException.class);

		ChangeLogState after = changeLog();
		assertThat(after.gapFree()).as("change log after the kill: %s", after).isTrue();
		assertThat(after.head() - before.head()).as("changes logged")
			.isGreaterThanOrEqualTo(outcomes.stream().filter(Outcome::acknowledged).count());

		Map<String, Optional<String>> expected = versionsInDatabase("burst-");
		Set<String> apps = new TreeSet<>();
		outcomes.forEach((outcome) -> apps.add(outcome.app()));
		for (String app : apps) {
			expected.putIfAbsent(app, Optional.empty());
			// what PostgreSQL holds is the last acknowledged version, or a later one that committed while its
			// answer was lost with the admin (in flight at the kill); never an older one, never nothing
			int lastAcknowledged = outcomes.stream()
				.filter((outcome) -> outcome.app().equals(app) && outcome.acknowledged())
				.mapToInt(Outcome::version)
				.max()
				.orElse(-1);
			Optional<Integer> stored = expected.get(app).map(TwoAdminsEndToEndIntegrationTests::versionOf);
			if (lastAcknowledged >= 0) {
				assertThat(stored).as("%s in PostgreSQL, last acknowledged version %d", app, lastAcknowledged).isPresent();
			}
			stored.filter((version) -> version > lastAcknowledged)
				.ifPresent((version) -> assertThat(outcomes)
					.as("%s version %d in PostgreSQL, not acknowledged: it must be the one in flight at the kill", app, version)
					.anyMatch((outcome) -> outcome.app().equals(app) && outcome.version() == version && !outcome.acknowledged()));
			assertThat(stored.orElse(-1)).as("%s in PostgreSQL", app).isGreaterThanOrEqualTo(lastAcknowledged);
		}
		String agreed = awaitAgreement(expected, lastAnswer);
		System.out.printf("%d apps of the burst: every replica agreed with PostgreSQL %s; change log gap-free up to seq %d%n",
				expected.size(), agreed, after.head());

		// the killed admin comes back, as a follower: the survivor keeps the lock
		cluster.script("up");
		String restarted = adminUrl(leader);
		assertThat(cluster.adminUrls()).hasSize(ADMINS.size()).contains(restarted);
		await().atMost(Duration.ofSeconds(5)).until(() -> exactlyOneLeader().isPresent());
		// the span is the check: two of the restarted admin's lock attempts (every 500 ms) find the lock held
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
			.until(() -> exactlyOneLeader().equals(Optional.of(survivor)));
		System.out.printf("%s restarted on %s as a follower; %s leads%n", leader, restarted, survivor);
	}

	/**
	 * Both admins run, whatever an earlier test killed ({@code cluster.sh up} restarts a dead one), and one
	 * of them leads.
	 */
	private static void bothAdmins() {
		if (ADMINS.stream().anyMatch((admin) -> cluster.process(admin).isEmpty())) {
			cluster.script("up");
		}
		// a follower tries the lock every 500 ms; 5 s only limits the wait
		await().atMost(Duration.ofSeconds(5)).until(() -> exactlyOneLeader().isPresent());
	}

	private static String adminUrl(String admin) {
		return "http://127.0.0.1:" + cluster.port(admin);
	}

	/**
	 * The admin whose {@code gatehouse_admin_leader} is 1 when every other running admin's is 0; empty when
	 * none or several lead.
	 */
	private static Optional<String> exactlyOneLeader() {
		List<String> leaders = new ArrayList<>();
		for (String admin : ADMINS) {
			if (cluster.process(admin).isPresent() && cluster.adminMetric(adminUrl(admin), "gatehouse_admin_leader") == 1) {
				leaders.add(admin);
			}
		}
		return (leaders.size() == 1) ? Optional.of(leaders.getFirst()) : Optional.empty();
	}

	/** An app with a public root whose header carries the version, so each replica's answer shows which it has. */
	private static String appBody(String version) {
		return """
				{"paths": {"/": {"access": "public", "headers": {"X-Ptl-Version": "%s"}}}}
				""".formatted(version);
	}

	/** The burst's version numbers, the last part of {@code <writer>-<n>}. */
	private static int versionOf(String version) {
		return Integer.parseInt(version.substring(version.lastIndexOf('-') + 1));
	}

	/**
	 * Waits until every replica answers as PostgreSQL says, at most {@link #CONVERGENCE} after the last answer
	 * of the admins (reading PostgreSQL took part of it).
	 * @return when they agreed, for the log
	 */
	private static String awaitAgreement(Map<String, Optional<String>> expected, Instant lastAnswer) {
		Duration firstCheck = Duration.between(lastAnswer, Instant.now());
		AtomicInteger checks = new AtomicInteger();
		await().atMost(CONVERGENCE.minus(firstCheck)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> {
				checks.incrementAndGet();
				assertThat(disagreements(expected)).isEmpty();
			});
		return "%d ms after the last answer (at check %d; the first was at %d ms)".formatted(
				Duration.between(lastAnswer, Instant.now()).toMillis(), checks.get(), firstCheck.toMillis());
	}

	/**
	 * Where a replica answers otherwise than PostgreSQL says: 200 with the stored version for an app that
	 * exists, 404 for one that does not.
	 * @param expected app to its version in PostgreSQL, empty when it does not exist
	 */
	private static List<String> disagreements(Map<String, Optional<String>> expected) {
		List<String> disagreements = new ArrayList<>();
		for (String replica : cluster.authUrls()) {
			expected.forEach((app, version) -> {
				HttpResponse<String> answer = cluster.auth(replica, app, "/");
				String seen = (answer.statusCode() == 200) ? answer.headers().firstValue("X-Ptl-Version").orElse("(none)")
						: Integer.toString(answer.statusCode());
				String wanted = version.orElse("404");
				if (!seen.equals(wanted)) {
					disagreements.add("%s %s: %s, PostgreSQL: %s".formatted(replica, app, seen, wanted));
				}
			});
		}
		return disagreements;
	}

	/** The apps whose names start with the prefix, with the version of their root rule. */
	private static Map<String, Optional<String>> versionsInDatabase(String prefix) throws SQLException {
		Map<String, Optional<String>> versions = new HashMap<>();
		try (Connection db = cluster.connectToDatabase();
				PreparedStatement query = db.prepareStatement(
						"select name, paths -> '/' -> 'headers' ->> 'X-Ptl-Version' from app where starts_with(name, ?)")) {
			query.setString(1, prefix);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					versions.put(rows.getString(1), Optional.of(rows.getString(2)));
				}
			}
		}
		return versions;
	}

	/** The change log in one snapshot: its rows and the counter every mutation increments. */
	private static ChangeLogState changeLog() throws SQLException {
		try (Connection db = cluster.connectToDatabase();
				Statement statement = db.createStatement();
				ResultSet row = statement.executeQuery("""
						select count(*), coalesce(min(seq), 0), coalesce(max(seq), 0), (select seq from change_counter)
						from change_log""")) {
			row.next();
			return new ChangeLogState(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
		}
	}

	/**
	 * @param rows rows in change_log
	 * @param first the lowest seq
	 * @param last the highest seq
	 * @param head change_counter's seq
	 */
	record ChangeLogState(long rows, long first, long last, long head) {

		/** Seqs are a primary key: as many rows as the highest seq, from 1, is every seq from 1 to it, once. */
		boolean gapFree() {
			return this.first == 1 && this.rows == this.last && this.last == this.head;
		}

	}

	/**
	 * One mutation of the burst.
	 * @param admin the admin it was sent to
	 * @param app the app it created or replaced
	 * @param version the version it set
	 * @param start when it was sent
	 * @param status the answer's status; 0 when there was none (refused, or cut off by the kill)
	 */
	record Outcome(String admin, String app, int version, Instant start, int status) {

		boolean acknowledged() {
			return this.status >= 200 && this.status < 300;
		}

	}

	/**
	 * Writers sending mutations to every admin until stopped: each creates its own apps, then replaces them in
	 * turn with increasing versions, and stops at its first failure (a writer of a dead admin would only spin
	 * on refused connections).
	 */
	private static final class Burst implements AutoCloseable {

		final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

		private final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();

		Burst(Map<String, String> adminUrls) {
			adminUrls.forEach((admin, url) -> {
				AtomicInteger count = this.acknowledged.computeIfAbsent(admin, (key) -> new AtomicInteger());
				for (int w = 0; w < WRITERS_PER_ADMIN; w++) {
					String writer = admin + "-w" + w;
					this.writers.submit(() -> write(admin, url, writer, count));
				}
			});
		}

		private void write(String admin, String url, String writer, AtomicInteger count) {
			for (int version = 0; this.running.get(); version++) {
				String app = "burst-" + writer + "-" + (version % APPS_PER_WRITER);
				Instant start = Instant.now();
				int status;
				try {
					status = cluster.admin(url, "PUT", "/api/apps/" + app, appBody(writer + "-" + version)).statusCode();
				}
				catch (RuntimeException ex) {
					status = 0;
				}
				Outcome outcome = new Outcome(admin, app, version, start, status);
				this.outcomes.add(outcome);
				if (!outcome.acknowledged()) {
					return;
				}
				count.incrementAndGet();
			}
		}

		/**
		 * Waits until the admin has acknowledged {@code mutations} more from now: the burst ran for as long as
		 * that took, however fast or slow this machine is.
		 */
		void awaitMore(String admin, int mutations) {
			AtomicInteger count = this.acknowledged.get(admin);
			int target = count.get() + mutations;
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> count.get() >= target);
		}

		void stop() {
			this.running.set(false);
			this.writers.close();
		}

		@Override
		public void close() {
			stop();
		}

	}

}

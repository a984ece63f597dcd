package dev.gatehouse.admin.activity;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.gatehouse.admin.AdminApplication;
import dev.gatehouse.admin.lifecycle.AppRuntime;
import dev.gatehouse.model.app.AppStatus;
import dev.gatehouse.model.invalidation.RedisKeys;
import dev.gatehouse.testsupport.TestDatabase;
import dev.gatehouse.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamConsumer;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The activity consumer itself, in the admin it runs in, against the test PostgreSQL and Redis: what it
 * makes of each event (called directly, with the event's time chosen by the test, so the debounce window
 * passes without waiting) and how it consumes the replicas' stream (entries added with Redis commands).
 * Nothing goes through HTTP; the end-to-end path from a replica is {@code LifecycleIntegrationTests} and
 * {@code ForwardAuthIntegrationTests.activityIsRecordedAndDebounced} in the system tests.
 */
class ActivityConsumerIntegrationTests {

	/** {@code gatehouse.admin.activity-debounce}, as its default. */
	private static final Duration DEBOUNCE = Duration.ofSeconds(60);

	/** When the tests' events happened; any fixed time does, the consumer takes it from the event. */
	private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

	/**
	 * A condition that takes milliseconds; after a lost stream the consumer retries after its 1 s pause, so
	 * 10 s is only a limit on waiting.
	 */
	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final RecordingAppRuntime runtime = new RecordingAppRuntime();

	private static TestDatabase database;

	private static String namespace;

	private static ConfigurableApplicationContext admin;

	@BeforeAll
	static void startAdmin() {
		database = TestServices.newDatabase();
		namespace = TestServices.newNamespace();
		InetSocketAddress redis = TestServices.redis();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", 0);
		properties.put("spring.jmx.enabled", false);
		properties.put("spring.datasource.url", database.url());
		properties.put("spring.datasource.username", database.user());
		properties.put("spring.datasource.password", database.password());
		properties.put("spring.data.redis.host", redis.getHostString());
		properties.put("spring.data.redis.port", redis.getPort());
		properties.put("gatehouse.namespace", namespace);
		properties.put("gatehouse.admin.token", "activity-test-admin-token-0123456789");
		properties.put("gatehouse.admin.activity-debounce", DEBOUNCE.toSeconds() + "s");
		// the control loop stays out of the way; every access may start an app (no throttle to wait out)
		properties.put("gatehouse.admin.lifecycle.period", "1h");
		properties.put("gatehouse.admin.lifecycle.start-throttle", "0s");
		admin = AdminApplication.application()
			.initializers(context -> context.getBeanFactory().registerSingleton("appRuntime", runtime))
			.run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new));
	}

	@AfterAll
	static void stopAdmin() {
		if (admin != null) {
			admin.getBean(RedissonClient.class).getKeys().deleteByPattern(namespace + ":*");
			admin.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@Test
	void recordsEachReportedAppAndTerminalAtTheEventsTime() {
		String app = app();
		String other = app();
		String terminal = terminal();
		Counts before = counts();
		consumer().apply(event(T, app + "," + other, terminal));
		assertThat(lastAccess(app)).isEqualTo(T);
		assertThat(lastAccess(other)).isEqualTo(T);
		assertThat(lastConnection(terminal)).isEqualTo(T);
		assertThat(counts().minus(before)).isEqualTo(new Counts(1, 3));
	}

	@Test
	void writesEachAppAndTerminalAtMostOncePerDebounceWindow() {
		String app = app();
		String terminal = terminal();
		consumer().apply(event(T, app, terminal));
		Counts before = counts();
		consumer().apply(event(T.plusSeconds(30), app, terminal));
		// a row is written only when its time is older than the window: exactly the window is not
		consumer().apply(event(T.plus(DEBOUNCE), app, terminal));
		assertThat(lastAccess(app)).isEqualTo(T);
		assertThat(lastConnection(terminal)).isEqualTo(T);
		assertThat(counts().minus(before)).isEqualTo(new Counts(2, 0));

		Instant past = T.plus(DEBOUNCE).plusSeconds(1);
		consumer().apply(event(past, app, terminal));
		assertThat(lastAccess(app)).isEqualTo(past);
		assertThat(lastConnection(terminal)).isEqualTo(past);
		assertThat(counts().minus(before)).isEqualTo(new Counts(3, 2));
	}

	@Test
	void eachAppAndTerminalHasAWindowOfItsOwn() {
		String seen = app();
		String unseen = app();
		consumer().apply(event(T, seen, null));
		Counts before = counts();
		consumer().apply(event(T.plusSeconds(30), seen + "," + unseen, null));
		assertThat(lastAccess(seen)).isEqualTo(T);
		assertThat(lastAccess(unseen)).isEqualTo(T.plusSeconds(30));
		assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1));
	}

	@Test
	void aLateEventNeverMovesATimeBack() {
		String app = app();
		String terminal = terminal();
		Instant later = T.plus(DEBOUNCE.multipliedBy(3));
		consumer().apply(event(later, app, terminal));
		Counts before = counts();
		// a slow replica's event from before, older than the window
		consumer().apply(event(T, app, terminal));
		assertThat(lastAccess(app)).isEqualTo(later);
		assertThat(lastConnection(terminal)).isEqualTo(later);
		assertThat(counts().minus(before)).isEqualTo(new Counts(1, 0));
	}

	@Test
	void namesAreTheCommaSeparatedValuesAndUnknownOrEmptyOnesWriteNothing() {
		String first = app();
		String second = app();
		String terminal = terminal();
		Counts before = counts();
		consumer().apply(event(T, "," + first + ",,no-such-app," + second + ",", "no-such-terminal," + terminal));
		assertThat(lastAccess(first)).isEqualTo(T);
		assertThat(lastAccess(second)).isEqualTo(T);
		assertThat(lastConnection(terminal)).isEqualTo(T);
		assertThat(counts().minus(before)).isEqualTo(new Counts(1, 3));

		Counts empty = counts();
		consumer().apply(event(T, "", ""));
		consumer().apply(event(T, null, null));
		consumer().apply(Map.of("at", T.toString(), "apps", "no-such-app", "terminals", "no-such-terminal"));
		assertThat(counts().minus(empty)).isEqualTo(new Counts(3, 0));
	}

	@Test
	void eventsWithoutAValidTimeAreCountedAndSkipped() {
		String app = app();
		String terminal = terminal();
		List<Map<String, String>> malformed = new ArrayList<>();
		malformed.add(event(null, app, terminal));
		for (String at : new String[] { "", "yesterday", "2026-01-01", "2026-01-01T12:00:00", "1767268800000",
				"2026-01-01T12:00:00Z,2026-01-01T12:00:01Z" }) {
			Map<String, String> event = event(null, app, terminal);
			event.put("at", at);
			malformed.add(event);
		}
		Counts before = counts();
		malformed.forEach(consumer()::apply);
		assertThat(counts().minus(before)).isEqualTo(new Counts(malformed.size(), 0));
		assertThat(lastAccess(app)).isNull();
		assertThat(lastConnection(terminal)).isNull();
	}

	@Test
	void everyReportedAppIsHandedToTheLifecycleAlsoInsideTheWindow() {
		String app = app();
		String other = app();
		// accessed a second before, as an earlier event recorded
		jdbc().sql("update app set last_access = ? where name in (?, ?)")
			.params(Timestamp.from(T.minusSeconds(1)), app, other)
			.update();
		runtime.install(app, AppStatus.STOPPED);
		runtime.install(other, AppStatus.STOPPED);
		Counts before = counts();
		consumer().apply(event(T, app + "," + other, null));
		assertThat(counts().minus(before)).as("inside the window: nothing written").isEqualTo(new Counts(1, 0));
		await().atMost(WAIT).until(() -> runtime.starts(app) == 1 && runtime.starts(other) == 1);
	}

	@Test
	void theStreamIsConsumedAsTheAdminGroupAndEveryEntryIsAcknowledged() {
		String app = app();
		String terminal = terminal();
		Counts before = counts();
		stream().add(StreamAddArgs.entries(event(null, "malformed-" + app, null)));
		stream().add(StreamAddArgs.entries(event(T, app, null)));
		StreamMessageId last = stream().add(StreamAddArgs.entries(event(T, null, terminal)));
		await().atMost(WAIT).untilAsserted(() -> assertThat(counts().minus(before)).isEqualTo(new Counts(3, 2)));
		assertThat(lastAccess(app)).isEqualTo(T);
		assertThat(lastConnection(terminal)).isEqualTo(T);
		// every entry, the malformed one too, is acknowledged: none waits to be delivered again
		awaitAllAcknowledged(last);
	}

	@Test
	void entriesAddedWhileTheConsumerIsStoppedAreConsumedOnceWhenItStartsAgain() {
		String app = app();
		ActivityConsumer consumer = consumer();
		consumer.stop();
		try {
			assertThat(consumer.isRunning()).isFalse();
			Counts before = counts();
			StreamMessageId added = stream().add(StreamAddArgs.entries(event(T, app, null)));
			consumer.start();
			awaitAllAcknowledged(added);
			// nothing the group had already consumed came again
			await().atMost(WAIT).untilAsserted(() -> assertThat(counts().minus(before)).isEqualTo(new Counts(1, 1)));
			assertThat(lastAccess(app)).isEqualTo(T);
		}
		finally {
			if (!consumer.isRunning()) {
				consumer.start();
			}
		}
	}

	@Test
	void entriesAnotherConsumerTookAndNeverAcknowledgedAreTakenOverAndThatConsumerRemoved() {
		String app = app();
		ActivityConsumer consumer = consumer();
		consumer.stop();
		try {
			StreamMessageId added = stream().add(StreamAddArgs.entries(event(T, app, null)));
			// an admin of an earlier release (consumers named after their pid) took it, then died
			assertThat(stream().readGroup(ActivityConsumer.GROUP, "admin-4242", StreamReadGroupArgs.neverDelivered()))
				.containsKey(added);
			consumer.start();
			await().atMost(WAIT).until(() -> lastAccess(app) != null);
			awaitAllAcknowledged(added);
			assertThat(stream().listConsumers(ActivityConsumer.GROUP)).extracting(StreamConsumer::getName)
				.containsExactly(ActivityConsumer.CONSUMER);
		}
		finally {
			if (!consumer.isRunning()) {
				consumer.start();
			}
		}
	}

	@Test
	void aStreamLostWithRedisIsConsumedFromItsBeginningOnceItExistsAgain() {
		String app = app();
		String earlier = app();
		stream().add(StreamAddArgs.entries(event(T, earlier, null)));
		await().atMost(WAIT).until(() -> lastAccess(earlier) != null);
		// as when Redis restarts empty: the stream and the admin group are gone
		assertThat(stream().delete()).isTrue();
		StreamMessageId added = stream().add(StreamAddArgs.entries(event(T, app, null)));
		await().atMost(WAIT).until(() -> lastAccess(app) != null);
		awaitAllAcknowledged(added);
	}

	@Test
	void aBatchWhoseApplyFailedIsAppliedOnceTheDatabaseIsBackNeverLost() throws Exception {
		String app = app();
		Counts before = counts();
		try (Connection sql = DriverManager.getConnection(database.url(), database.user(), database.password())) {
			// as PostgreSQL failing the write: every apply of the batch fails until the table is back
			sql.createStatement().execute("alter table app rename to app_away");
			StreamMessageId added;
			try {
				added = stream().add(StreamAddArgs.entries(event(T, app, null)));
				await().atMost(WAIT).untilAsserted(() -> assertThat(counts().minus(before).received()).isGreaterThanOrEqualTo(2));
			}
			finally {
				sql.createStatement().execute("alter table app_away rename to app");
			}
			await().atMost(WAIT).until(() -> lastAccess(app) != null);
			assertThat(lastAccess(app)).isEqualTo(T);
			awaitAllAcknowledged(added);
		}
	}

	private static ActivityConsumer consumer() {
		return admin.getBean(ActivityConsumer.class);
	}

	private static RStream<String, String> stream() {
		return admin.getBean(RedissonClient.class).getStream(admin.getBean(RedisKeys.class).activityStream(), StringCodec.INSTANCE);
	}

	/** The admin group has been given every entry up to {@code last} and has acknowledged them all. */
	private static void awaitAllAcknowledged(StreamMessageId last) {
		await().atMost(WAIT).untilAsserted(() -> {
			StreamGroup group = stream().listGroups()
				.stream()
				.filter(candidate -> candidate.getName().equals(ActivityConsumer.GROUP))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no group " + ActivityConsumer.GROUP));
			assertThat(group.getLastDeliveredId()).isEqualTo(last);
			assertThat(group.getPending()).isZero();
		});
	}

	/** An event as a replica reports it ({@code ActivityRecorder}); a null value leaves the field out. */
	private static Map<String, String> event(Instant at, String apps, String terminals) {
		Map<String, String> event = new HashMap<>();
		event.put("replica", "replica-test");
		if (at != null) {
			event.put("at", at.toString());
		}
		if (apps != null) {
			event.put("apps", apps);
		}
		if (terminals != null) {
			event.put("terminals", terminals);
		}
		return event;
	}

	/** A new app, never accessed. */
	private static String app() {
		String name = "app-" + UUID.randomUUID().toString().substring(0, 8);
		jdbc().sql("insert into app (name, status, paths, idle_for_stop_seconds) values (?, 'stopped', '{}', 600)")
			.param(name)
			.update();
		return name;
	}

	/** A new paired terminal, never connected. */
	private static String terminal() {
		String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
		jdbc().sql("insert into terminal (id, name) values (?, 'Test terminal')").param(id).update();
		return id;
	}

	private static Instant lastAccess(String app) {
		return instant(jdbc().sql("select last_access from app where name = ?").param(app));
	}

	private static Instant lastConnection(String terminal) {
		return instant(jdbc().sql("select last_connection from terminal where id = ?").param(terminal));
	}

	/** The one row's time, or null when the row has none. */
	private static Instant instant(JdbcClient.StatementSpec query) {
		List<Timestamp> rows = query.query((row, index) -> row.getTimestamp(1)).list();
		assertThat(rows).hasSize(1);
		return (rows.get(0) != null) ? rows.get(0).toInstant() : null;
	}

	private static JdbcClient jdbc() {
		return JdbcClient.create(admin.getBean(DataSource.class));
	}

	private static Counts counts() {
		MeterRegistry meters = admin.getBean(MeterRegistry.class);
		return new Counts((long) meters.get("gatehouse.activity.received").counter().count(),
				(long) meters.get("gatehouse.activity.writes").counter().count());
	}

	/**
	 * The consumer's counters.
	 *
	 * @param received events received, valid or not
	 * @param writes rows written
	 */
	private record Counts(long received, long writes) {

		Counts minus(Counts earlier) {
			return new Counts(this.received - earlier.received, this.writes - earlier.writes);
		}

	}

	/** Apps in memory: a status each, and every call the lifecycle made. */
	private static final class RecordingAppRuntime implements AppRuntime {

		final List<String> calls = Collections.synchronizedList(new ArrayList<>());

		private final Map<String, AppStatus> statuses = new ConcurrentHashMap<>();

		void install(String app, AppStatus status) {
			this.statuses.put(app, status);
		}

		long starts(String app) {
			synchronized (this.calls) {
				return this.calls.stream().filter(("start " + app)::equals).count();
			}
		}

		@Override
		public AppStatus status(String app) {
			this.calls.add("status " + app);
			return this.statuses.getOrDefault(app, AppStatus.DOWN);
		}

		@Override
		public void start(String app) {
			this.calls.add("start " + app);
			this.statuses.computeIfPresent(app, (name, status) -> AppStatus.RUNNING);
		}

		@Override
		public void stop(String app) {
			this.calls.add("stop " + app);
			this.statuses.computeIfPresent(app, (name, status) -> AppStatus.STOPPED);
		}

		@Override
		public void pause(String app) {
			this.calls.add("pause " + app);
		}

		@Override
		public void unpause(String app) {
			this.calls.add("unpause " + app);
		}

	}

}

package dev.gatehouse.admin.activity;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.admin.app.AppRepository;
import dev.gatehouse.admin.leader.Leadership;
import dev.gatehouse.admin.lifecycle.LifecycleService;
import dev.gatehouse.admin.terminal.TerminalRepository;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamConsumer;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes the replicas' activity stream, on the leader only ({@link Leadership}: starts on access must
 * happen once), as consumer {@value #CONSUMER} of the {@code admin} group, so a restart or a new leader
 * resumes where the group left off, and records {@code last_access} of apps
 * and {@code last_connection} of terminals through their tables' repositories. The database does the
 * debouncing: a row is written only when its recorded time is older than the debounce window, so all
 * replicas together cause at most one write per app or terminal per window. Each reported app is also
 * handed to the {@link LifecycleService}, which starts it if it is not running.
 */
@Component
class ActivityConsumer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ActivityConsumer.class);

	static final String GROUP = "admin";

	/**
	 * The leader's consumer name: a role, not a process, so a new leader reads the entries its predecessor
	 * took and never acknowledged from the same history (a process id would be 1 in every container).
	 */
	static final String CONSUMER = "leader";

	private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private final RStream<String, String> stream;

	private final AppRepository apps;

	private final TerminalRepository terminals;

	private final Duration debounce;

	private final LifecycleService lifecycle;

	private final Leadership leadership;

	private final Counter received;

	private final Counter writes;

	private volatile Thread worker;

	ActivityConsumer(RedissonClient redis, RedisKeys keys, AppRepository apps, TerminalRepository terminals,
			ActivityProperties properties, LifecycleService lifecycle, Leadership leadership, MeterRegistry meters) {
		this.lifecycle = lifecycle;
		this.stream = redis.getStream(keys.activityStream(), StringCodec.INSTANCE);
		this.apps = apps;
		this.terminals = terminals;
		this.debounce = properties.activityDebounce();
		this.leadership = leadership;
		this.received = Counter.builder("gatehouse.activity.received").register(meters);
		this.writes = Counter.builder("gatehouse.activity.writes").register(meters);
	}

	@Override
	public void start() {
		Thread thread = Thread.ofPlatform().name("activity-consumer").daemon().unstarted(this::run);
		this.worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = this.worker;
		this.worker = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	private void run() {
		boolean groupReady = false;
		// entries delivered to this consumer and not acknowledged (a batch whose apply failed: PostgreSQL
		// down) are read again, from its history, before new ones; applying one twice changes nothing
		boolean pendingFirst = true;
		while (this.worker == Thread.currentThread()) {
			if (!this.leadership.isLeader()) {
				groupReady = false;
				pendingFirst = true;
				pause(POLL_INTERVAL);
				continue;
			}
			try {
				if (!groupReady) {
					createGroup();
					adoptOtherConsumers();
					groupReady = true;
				}
				// not a blocking read: Redisson re-sends a blocked command after a reconnect, and against a
				// Redis that restarted empty (no group) it would wait forever
				Map<StreamMessageId, Map<String, String>> batch = this.stream.readGroup(GROUP, CONSUMER,
						(pendingFirst ? StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0))
								: StreamReadGroupArgs.neverDelivered()).count(100));
				if (batch == null || batch.isEmpty()) {
					if (!pendingFirst) {
						pause(POLL_INTERVAL);
					}
					pendingFirst = false;
					continue;
				}
				batch.values().forEach(this::apply);
				this.stream.ack(GROUP, batch.keySet().toArray(StreamMessageId[]::new));
			}
			catch (RuntimeException ex) {
				if (this.worker != Thread.currentThread()) {
					return;
				}
				logger.warn("Activity not applied, retrying in 1 s: {}", ex.toString());
				groupReady = false;
				pendingFirst = true;
				pause(Duration.ofSeconds(1));
			}
		}
	}

	private void createGroup() {
		try {
			// from the stream's beginning: after Redis lost the stream, whatever replicas added before the
			// group came back is still unprocessed
			this.stream.createGroup(StreamCreateGroupArgs.name(GROUP).id(new StreamMessageId(0, 0)).makeStream());
		}
		catch (RuntimeException ex) {
			if (!String.valueOf(ex.getMessage()).contains("BUSYGROUP")) {
				throw ex;
			}
		}
	}

	/**
	 * Takes over the entries other consumers of the group were given and never acknowledged, and removes
	 * those consumers: names of earlier releases ({@code admin-<pid>}), whose entries no one else would read.
	 */
	private void adoptOtherConsumers() {
		List<String> others = this.stream.listConsumers(GROUP)
			.stream()
			.map(StreamConsumer::getName)
			.filter(name -> !name.equals(CONSUMER))
			.toList();
		if (others.isEmpty()) {
			return;
		}
		// XAUTOCLAIM claims every pending entry, whoever holds it; its cursor starts at 0-0 and returns to it
		// once every entry was looked at
		StreamMessageId start = new StreamMessageId(0, 0);
		StreamMessageId next = start;
		do {
			next = this.stream.fastAutoClaim(GROUP, CONSUMER, 0, TimeUnit.MILLISECONDS, next, 100).getNextId();
		}
		while (!next.equals(start));
		others.forEach(other -> this.stream.removeConsumer(GROUP, other));
		logger.info("Took over the activity entries of consumers {}", others);
	}

	void apply(Map<String, String> event) {
		this.received.increment();
		Instant at;
		try {
			at = Instant.parse(event.getOrDefault("at", ""));
		}
		catch (DateTimeParseException ex) {
			logger.warn("Ignoring an activity event without a valid time from {}", event.get("replica"));
			return;
		}
		List<String> apps = names(event.get("apps"));
		this.writes.increment(this.apps.recordAccess(apps, at, this.debounce));
		this.lifecycle.accessed(apps);
		this.writes.increment(this.terminals.recordConnection(names(event.get("terminals")), at, this.debounce));
	}

	private static List<String> names(String joined) {
		return (joined == null || joined.isEmpty()) ? List.of() : Arrays.stream(joined.split(",")).toList();
	}

	private void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package dev.gatehouse.auth.activity;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.auth.config.AuthProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Coalesces the apps and terminals seen by allowed requests in memory and flushes them to the
 * {@link ActivityStream} every {@code gatehouse.auth.activity-flush-interval}, off the request thread: at
 * most one event per interval per replica, however many requests. When Redis is down the batch is dropped
 * and counted; requests never wait for it.
 */
@Component
public class ActivityRecorder {

	private static final Logger logger = LoggerFactory.getLogger(ActivityRecorder.class);

	private final Set<String> apps = ConcurrentHashMap.newKeySet();

	private final Set<String> terminals = ConcurrentHashMap.newKeySet();

	private final ActivityStream stream;

	private final String replicaId;

	private final Clock clock;

	private final Counter dropped;

	/**
	 * Creates the recorder.
	 * @param stream where each batch goes
	 * @param properties the replica's settings (its id names the replica in each event)
	 * @param clock the time of each event
	 * @param meters where dropped batches are counted
	 */
	public ActivityRecorder(ActivityStream stream, AuthProperties properties, Clock clock, MeterRegistry meters) {
		this.stream = stream;
		this.replicaId = properties.replicaId();
		this.clock = clock;
		this.dropped = Counter.builder("gatehouse.activity.dropped").description("Activity batches lost to Redis errors").register(meters);
	}

	/**
	 * Notes an allowed request.
	 * @param app the app name
	 * @param terminalId the terminal, or null for anonymous requests
	 */
	public void record(String app, String terminalId) {
		this.apps.add(app);
		if (terminalId != null) {
			this.terminals.add(terminalId);
		}
	}

	/** Sends what was seen since the last flush; scheduled by {@link ActivityConfiguration}. */
	void flush() {
		Set<String> seenApps = drain(this.apps);
		Set<String> seenTerminals = drain(this.terminals);
		if (seenApps.isEmpty() && seenTerminals.isEmpty()) {
			return;
		}
		try {
			this.stream.add(Map.of("replica", this.replicaId, "at", this.clock.instant().toString(), "apps",
					String.join(",", seenApps), "terminals", String.join(",", seenTerminals)));
			logger.debug("Flushed activity of {} apps and {} terminals", seenApps.size(), seenTerminals.size());
		}
		catch (RuntimeException ex) {
			this.dropped.increment();
			logger.debug("Dropped an activity batch: {}", ex.toString());
		}
	}

	private static Set<String> drain(Set<String> seen) {
		Set<String> drained = new HashSet<>();
		for (String value : seen) {
			if (seen.remove(value)) {
				drained.add(value);
			}
		}
		return drained;
	}

}

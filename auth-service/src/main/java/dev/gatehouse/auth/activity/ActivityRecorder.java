package dev.gatehouse.auth.activity;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.auth.config.AuthProperties;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.PlainOptions;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Coalesces the apps and terminals seen by allowed requests in memory and flushes them to the activity
 * stream every {@code gatehouse.auth.activity-flush-interval}, off the request thread: at most one event
 * per interval per replica, however many requests. When Redis is down the batch is dropped and counted;
 * requests never wait for it.
 */
@Component
public class ActivityRecorder {

	private static final Logger logger = LoggerFactory.getLogger(ActivityRecorder.class);

	/** Keep the stream bounded even if no admin consumes it. */
	private static final int STREAM_MAX_LENGTH = 10_000;

	private final Set<String> apps = ConcurrentHashMap.newKeySet();

	private final Set<String> terminals = ConcurrentHashMap.newKeySet();

	private final RStream<String, String> stream;

	private final String replicaId;

	private final Clock clock;

	private final Counter dropped;

	public ActivityRecorder(RedissonClient redis, RedisKeys keys, AuthProperties properties, Clock clock, MeterRegistry meters) {
		this.stream = redis.getStream(PlainOptions.name(keys.activityStream())
			.codec(StringCodec.INSTANCE)
			.timeout(properties.activityTimeout())
			.retryAttempts(0));
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
			this.stream.add(StreamAddArgs.<String, String>entries(Map.of("replica", this.replicaId, "at",
					this.clock.instant().toString(), "apps", String.join(",", seenApps), "terminals",
					String.join(",", seenTerminals)))
				.trimNonStrict()
				.maxLen(STREAM_MAX_LENGTH)
				.noLimit());
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

package dev.gatehouse.auth.invalidation;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.model.invalidation.ChangeMessage;
import dev.gatehouse.model.invalidation.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Subscribes to the change channel and hands every message to the {@link CoherenceTracker}, whose
 * catch-ups run on this subscriber's own thread.
 */
@Component
class ChangeSubscriber implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeSubscriber.class);

	/** How often the tracker looks for a reason to catch up; also the grace for out-of-order messages. */
	private static final long TICK_MILLIS = 50;

	private final RTopic topic;

	private final CoherenceTracker tracker;

	private final ChangeMessageFilter filter;

	private final Counter applied;

	private final Counter subscriptions;

	private final Counter unreadable;

	private volatile ScheduledExecutorService ticker;

	ChangeSubscriber(RedissonClient redis, RedisKeys keys, CoherenceTracker tracker,
			ObjectProvider<ChangeMessageFilter> filter, MeterRegistry meters) {
		this.topic = redis.getTopic(keys.changeChannel(), StringCodec.INSTANCE);
		this.tracker = tracker;
		this.filter = filter.getIfAvailable(() -> message -> true);
		this.applied = Counter.builder("gatehouse.invalidations.applied").register(meters);
		this.subscriptions = Counter.builder("gatehouse.invalidations.subscriptions").register(meters);
		this.unreadable = Counter.builder("gatehouse.invalidations.unreadable")
			.description("Change messages this version could not read; each cleared L1")
			.register(meters);
	}

	@Override
	public void start() {
		this.topic.addListener(new BaseStatusListener() {
			@Override
			public void onSubscribe(String channel) {
				ChangeSubscriber.this.subscriptions.increment();
				ChangeSubscriber.this.tracker.onSubscribed();
			}
		});
		this.topic.addListener(String.class, (channel, message) -> receive(message));
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("coherence").daemon().factory());
		scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
		this.ticker = scheduler;
	}

	void receive(String text) {
		ChangeMessage message;
		try {
			message = ChangeMessage.decode(text);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Unreadable change message, clearing L1 and catching up: {}", ex.getMessage());
			this.unreadable.increment();
			this.tracker.onUnreadable();
			return;
		}
		if (!this.filter.accept(message)) {
			return;
		}
		switch (message) {
			case ChangeMessage.Change change -> {
				this.tracker.onChange(change);
				this.applied.increment();
			}
			case ChangeMessage.Heartbeat heartbeat -> this.tracker.onHeartbeat(heartbeat);
		}
	}

	private void tick() {
		try {
			this.tracker.tick();
		}
		catch (RuntimeException ex) {
			logger.warn("Coherence tick failed: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		this.topic.removeAllListeners();
		ScheduledExecutorService scheduler = this.ticker;
		this.ticker = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.ticker != null;
	}

}

package dev.gatehouse.auth.invalidation;

import dev.gatehouse.auth.cache.CacheDirectory;
import dev.gatehouse.auth.cache.SourceReader;
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

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens on the change channel and drops changed entries from L1. A (re)subscription drops all of L1,
 * since messages published while this replica was not subscribed are lost.
 */
@Component
class ChangeSubscriber implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeSubscriber.class);

	private final RTopic topic;

	private final CacheDirectory caches;

	private final SourceReader source;

	private final Counter applied;

	private final Counter resubscriptions;

	private volatile boolean running;

	ChangeSubscriber(RedissonClient redis, RedisKeys keys, CacheDirectory caches, SourceReader source,
			MeterRegistry meters) {
		this.topic = redis.getTopic(keys.changeChannel(), StringCodec.INSTANCE);
		this.caches = caches;
		this.source = source;
		this.applied = Counter.builder("gatehouse.invalidations.applied").register(meters);
		this.resubscriptions = Counter.builder("gatehouse.invalidations.subscriptions").register(meters);
	}

	@Override
	public void start() {
		this.topic.addListener(new BaseStatusListener() {
			@Override
			public void onSubscribe(String channel) {
				ChangeSubscriber.this.resubscriptions.increment();
				ChangeSubscriber.this.caches.invalidateAll();
			}
		});
		this.topic.addListener(String.class, (channel, message) -> apply(message));
		try {
			// opens the connection pool before the first request, so cold loads do not pay for it
			logger.info("Subscribed to {}; the change log is at seq {}", this.topic.getChannelNames(), this.source.currentSeq());
		}
		catch (RuntimeException ex) {
			logger.warn("PostgreSQL is not reachable at start-up ({}); cold entries will fail until it is", ex.toString());
		}
		this.running = true;
	}

	void apply(String text) {
		ChangeMessage message;
		try {
			message = ChangeMessage.decode(text);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring a malformed change message: {}", ex.getMessage());
			return;
		}
		switch (message) {
			case ChangeMessage.Invalidation invalidation -> {
				this.caches.invalidate(invalidation.kind(), invalidation.key());
				this.applied.increment();
			}
			case ChangeMessage.Heartbeat heartbeat -> {
				// seq tracking and catch-up: see docs/consistency.md
			}
		}
	}

	@Override
	public void stop() {
		this.topic.removeAllListeners();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}

package dev.gatehouse.auth.invalidation;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.auth.cache.CoherenceLease;
import dev.gatehouse.auth.cache.L2Store;
import dev.gatehouse.auth.config.AuthProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The coherence machinery and its health.
 */
@Configuration(proxyBeanMethods = false)
class InvalidationConfiguration {

	@Bean
	CoherenceTracker coherenceTracker(ChangeApplier applier, ChangeLogReader changeLog, CoherenceLease lease,
			Ticker ticker, AuthProperties properties, MeterRegistry meters) {
		return new CoherenceTracker(applier, changeLog, lease, ticker, properties.heartbeatTimeout(),
				properties.pollInterval(), meters);
	}

	/**
	 * Part of readiness: a replica is ready once its first catch-up is done and while its L1 is provably
	 * current. Polling (Redis down) or a bypassed L2 is degraded but ready.
	 */
	@Bean
	HealthIndicator coherence(CoherenceTracker tracker, CoherenceLease lease, L2Store l2) {
		return () -> (lease.valid() ? Health.up() : Health.outOfService()).withDetail("appliedSeq", tracker.applied())
			.withDetail("lag", tracker.lag())
			.withDetail("polling", tracker.polling())
			.withDetail("l2Degraded", l2.degraded())
			.build();
	}

}

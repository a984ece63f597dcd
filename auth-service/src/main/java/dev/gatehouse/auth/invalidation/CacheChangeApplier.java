package dev.gatehouse.auth.invalidation;

import dev.gatehouse.auth.cache.CacheDirectory;
import dev.gatehouse.auth.cache.L2Store;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Applies changes to this replica's tiered caches.
 */
@Component
class CacheChangeApplier implements ChangeApplier {

	private final CacheDirectory caches;

	private final L2Store l2;

	private final Counter absencesInstalled;

	private final Counter absencesDropped;

	CacheChangeApplier(CacheDirectory caches, L2Store l2, MeterRegistry meters) {
		this.caches = caches;
		this.l2 = l2;
		this.absencesInstalled = removals("installed", meters);
		this.absencesDropped = removals("dropped", meters);
	}

	private static Counter removals(String outcome, MeterRegistry meters) {
		return Counter.builder("gatehouse.removals")
			.description("Removals applied to L1: negative entry installed, or the key only dropped (a newer state "
					+ "possible, or the lease lapsed)")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public void invalidate(CacheKind kind, String key, long seq) {
		this.caches.invalidate(kind, key, seq);
	}

	@Override
	public void installAbsent(CacheKind kind, String key, long seq) {
		(this.caches.installAbsent(kind, key, seq) ? this.absencesInstalled : this.absencesDropped).increment();
	}

	@Override
	public void tombstone(CacheKind kind, String key, long seq) {
		this.l2.putIfNewer(kind, key, new L2Entry.Tombstone(seq));
	}

	@Override
	public void invalidateAll() {
		this.caches.invalidateAll();
	}

}

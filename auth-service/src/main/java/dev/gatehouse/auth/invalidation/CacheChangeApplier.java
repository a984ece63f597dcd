package dev.gatehouse.auth.invalidation;

import dev.gatehouse.auth.cache.CacheDirectory;
import dev.gatehouse.auth.cache.L2Store;
import dev.gatehouse.model.invalidation.CacheKind;
import dev.gatehouse.model.invalidation.L2Entry;

import org.springframework.stereotype.Component;

/**
 * Applies changes to this replica's tiered caches.
 */
@Component
class CacheChangeApplier implements ChangeApplier {

	private final CacheDirectory caches;

	private final L2Store l2;

	CacheChangeApplier(CacheDirectory caches, L2Store l2) {
		this.caches = caches;
		this.l2 = l2;
	}

	@Override
	public void invalidate(CacheKind kind, String key) {
		this.caches.invalidate(kind, key);
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

package dev.gatehouse.auth.cache;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.model.invalidation.CacheKind;

/**
 * Every tiered cache of this replica, by kind: where invalidations are applied.
 */
public final class CacheDirectory {

	private final Map<CacheKind, TieredCache<?, ?>> caches = new EnumMap<>(CacheKind.class);

	CacheDirectory(List<TieredCache<?, ?>> caches) {
		for (TieredCache<?, ?> cache : caches) {
			if (this.caches.put(cache.kind(), cache) != null) {
				throw new IllegalStateException("two caches hold entries of kind %s".formatted(cache.kind()));
			}
		}
	}

	/**
	 * Drops one entry from L1.
	 * @param kind the kind of entry
	 * @param key its key
	 * @param seq the seq of the change that invalidates it
	 */
	public void invalidate(CacheKind kind, String key, long seq) {
		TieredCache<?, ?> cache = this.caches.get(kind);
		if (cache != null) {
			cache.invalidate(key, seq);
		}
	}

	/**
	 * Installs a negative entry in L1, or only drops the key when that could replace a newer state (see
	 * {@link TieredCache#installAbsent}).
	 * @param kind the kind of entry
	 * @param key its key
	 * @param seq the seq of the deletion
	 * @return true when the negative entry was installed
	 */
	public boolean installAbsent(CacheKind kind, String key, long seq) {
		TieredCache<?, ?> cache = this.caches.get(kind);
		return cache != null && cache.installAbsent(key, seq);
	}

	/**
	 * Drops every entry from L1.
	 */
	public void invalidateAll() {
		this.caches.values().forEach(TieredCache::invalidateAll);
	}

}

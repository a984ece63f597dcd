package dev.gatehouse.auth.invalidation;

import dev.gatehouse.model.invalidation.CacheKind;

/**
 * Where the effects of changes land: this replica's L1 and the shared L2.
 */
interface ChangeApplier {

	/**
	 * Drops one entry from L1.
	 */
	void invalidate(CacheKind kind, String key);

	/**
	 * Replaces one L2 entry with a tombstone of {@code seq}, unless L2 holds something newer.
	 */
	void tombstone(CacheKind kind, String key, long seq);

	/**
	 * Drops every entry from L1.
	 */
	void invalidateAll();

}

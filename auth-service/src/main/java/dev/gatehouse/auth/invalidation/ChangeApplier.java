package dev.gatehouse.auth.invalidation;

import dev.gatehouse.model.invalidation.CacheKind;

/**
 * Where the effects of changes land: this replica's L1 and the shared L2.
 */
interface ChangeApplier {

	/**
	 * Drops one entry from L1; {@code seq} is the change's.
	 */
	void invalidate(CacheKind kind, String key, long seq);

	/**
	 * Installs in L1 that one entry is absent as of {@code seq}, or only drops it when L1 may hold a newer
	 * state.
	 */
	void installAbsent(CacheKind kind, String key, long seq);

	/**
	 * Replaces one L2 entry with a tombstone of {@code seq}, unless L2 holds something newer.
	 */
	void tombstone(CacheKind kind, String key, long seq);

	/**
	 * Drops every entry from L1.
	 */
	void invalidateAll();

}

package dev.gatehouse.auth.invalidation;

import java.util.List;

import dev.gatehouse.model.invalidation.ChangeMessage.Invalidation;

/**
 * Reads the change log (the transactional outbox in PostgreSQL) to catch up on changes.
 */
interface ChangeLogReader {

	/**
	 * The latest committed seq and every change after {@code seq}, from one snapshot.
	 * @param seq the last seq already applied
	 * @param limit the most changes to return
	 * @return the head and the changes in seq order (at most {@code limit})
	 */
	CatchUp since(long seq, int limit);

	/**
	 * The latest committed seq.
	 * @return the head of the change log
	 */
	long head();

	/**
	 * The outcome of a catch-up read.
	 *
	 * @param head the latest committed seq in the snapshot
	 * @param changes the changes after the requested seq, in seq order
	 */
	record CatchUp(long head, List<Invalidation> changes) {
	}

}

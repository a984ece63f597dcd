package dev.gatehouse.auth.invalidation;

import dev.gatehouse.model.invalidation.ChangeMessage;

/**
 * A fault-injection point: when a bean of this type exists, change messages it refuses are dropped as if
 * pub/sub had lost them. Production has none; tests use it to prove that every loss is detected.
 */
@FunctionalInterface
public interface ChangeMessageFilter {

	/**
	 * Whether a received message is applied.
	 * @param message the message
	 * @return false to drop it
	 */
	boolean accept(ChangeMessage message);

}
